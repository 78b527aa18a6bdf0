// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "util/uprobe-stat/util/array.h"
#include "dwarf-util.h"

int ustat_addrs__add(struct ustat_addrs *a, u64 addr)
{
	if (ustat_array_grow(a->addr, a->cap, a->nr + 1))
		return -ENOMEM;
	a->addr[a->nr++] = addr;
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	u64 a = *(const u64 *)x, b = *(const u64 *)y;

	return a < b ? -1 : a > b;
}

void ustat_addrs__finish(struct ustat_addrs *a)
{
	int i, n = 0;

	if (!a->nr)
		return;
	qsort(a->addr, a->nr, sizeof(*a->addr), cmp_u64);
	for (i = 0; i < a->nr; i++)
		if (!n || a->addr[n - 1] != a->addr[i])
			a->addr[n++] = a->addr[i];
	a->nr = n;
}

void ustat_addrs__exit(struct ustat_addrs *a)
{
	free(a->addr);
	memset(a, 0, sizeof(*a));
}

int ustat_ranges__add_range(struct ustat_ranges *rs, u64 lo, u64 hi)
{
	if (ustat_array_grow(rs->r, rs->cap, rs->nr + 1))
		return -ENOMEM;
	rs->r[rs->nr][0] = lo;
	rs->r[rs->nr][1] = hi;
	rs->nr++;
	return 0;
}

int ustat_ranges__add_die(struct ustat_ranges *rs, Dwarf_Die *die)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0)
		if (lo && ustat_ranges__add_range(rs, lo, hi))	/* 0: discarded by the linker */
			return -ENOMEM;
	return 0;
}

bool ustat_ranges__has(const struct ustat_ranges *rs, u64 addr)
{
	int i;

	for (i = 0; i < rs->nr; i++)
		if (addr >= rs->r[i][0] && addr < rs->r[i][1])
			return true;
	return false;
}

void ustat_ranges__exit(struct ustat_ranges *rs)
{
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

int ustat_dwarf__walk_units(Dwarf *dw, ustat_cu_cb_t fn, void *arg)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie;
	uint8_t unit_type;
	Dwarf_Half version;
	int ret;

	while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0) {
		/* Split DWARF: the code's DIEs are in the split unit. */
		if (unit_type == DW_UT_skeleton)
			ret = fn(&subdie, arg);
		else if (unit_type == DW_UT_compile)
			ret = fn(&cudie, arg);
		else
			continue;
		if (ret)
			return ret;
	}
	return 0;
}

/* DIEs that hold code, or hold DIEs that do: the walk goes only into these. */
static bool may_hold_code(int tag)
{
	switch (tag) {
	case DW_TAG_subprogram:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_lexical_block:
	case DW_TAG_namespace:
	case DW_TAG_module:
	case DW_TAG_compile_unit:
	case DW_TAG_partial_unit:
	/* C++ member functions are defined inside their class. */
	case DW_TAG_class_type:
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		return true;
	default:
		return false;
	}
}

int ustat_dwarf__walk(Dwarf_Die *parent, ustat_die_cb_t fn, void *arg)
{
	Dwarf_Die child;
	int ret;

	if (dwarf_child(parent, &child) != 0)
		return 0;
	do {
		ret = fn(&child, arg);
		if (ret == USTAT_DWARF_SKIP)
			continue;
		if (ret)
			return ret;
		if (dwarf_haschildren(&child) && may_hold_code(dwarf_tag(&child))) {
			ret = ustat_dwarf__walk(&child, fn, arg);
			if (ret)
				return ret;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

bool ustat_dwarf__file_matches(const char *path, const char *file)
{
	size_t n, m = strlen(file);

	if (!path)
		return false;
	n = strlen(path);
	if (n < m || strcmp(path + n - m, file))
		return false;
	return n == m || path[n - m - 1] == '/' || file[0] == '/';
}

bool ustat_dwarf__name_is(Dwarf_Die *die, const char *name)
{
	Dwarf_Attribute attr;
	const char *s;

	s = dwarf_diename(die);
	if (s && !strcmp(s, name))
		return true;
	/* C++ and friends: the user may type the mangled name, as for symbols. */
	s = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
	return s && !strcmp(s, name);
}

int ustat_dwarf__entry_pc(Dwarf_Die *die, u64 *pc)
{
	Dwarf_Addr addr, base, lo, hi;

	/* Address 0 is code the linker discarded. */
	if ((!dwarf_entrypc(die, &addr) || !dwarf_lowpc(die, &addr)) && addr) {
		*pc = addr;
		return 0;
	}
	/* Ranges without an entry pc: perf probe takes the first. */
	if (dwarf_ranges(die, 0, &base, &lo, &hi) > 0 && lo) {
		*pc = lo;
		return 0;
	}
	return -ENOENT;
}

const char *ustat_dwarf__cu_file(Dwarf_Die *cu, Dwarf_Word idx)
{
	Dwarf_Files *files;
	size_t nfiles;

	if (dwarf_getsrcfiles(cu, &files, &nfiles) || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}
