// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "util/uprobe-stat/util/array.h"
#include "dwarf-inline.h"

struct entries_walk {
	const char		*func;
	struct ustat_addrs	*out;
};

static int entry_die(Dwarf_Die *die, void *arg)
{
	struct entries_walk *w = arg;
	u64 pc;

	if (dwarf_tag(die) != DW_TAG_inlined_subroutine || !ustat_dwarf__name_is(die, w->func))
		return 0;
	/* An inlined copy optimised away entirely has no code to probe. */
	if (ustat_dwarf__entry_pc(die, &pc))
		return 0;
	return ustat_addrs__add(w->out, pc);
}

static int entries_cu(Dwarf_Die *cu, void *arg)
{
	return ustat_dwarf__walk(cu, entry_die, arg);
}

int ustat_dwarf__inline_entries(Dwarf *dw, const char *func, struct ustat_addrs *out)
{
	struct entries_walk w = { .func = func, .out = out };
	int ret;

	ret = ustat_dwarf__walk_units(dw, entries_cu, &w);
	ustat_addrs__finish(out);
	return ret;
}

struct funcs_walk {
	struct ustat_inline_func	*f;
	int				 nr;
	int				 cap;
};

static int func_die(Dwarf_Die *die, void *arg)
{
	struct funcs_walk *w = arg;
	const char *name;
	u64 pc;

	if (dwarf_tag(die) != DW_TAG_inlined_subroutine || ustat_dwarf__entry_pc(die, &pc))
		return 0;
	name = dwarf_diename(die);
	if (!name)
		return 0;
	if (ustat_array_grow(w->f, w->cap, w->nr + 1))
		return -ENOMEM;
	w->f[w->nr].name = strdup(name);
	if (!w->f[w->nr].name)
		return -ENOMEM;
	w->f[w->nr++].copies = 1;
	return 0;
}

static int funcs_cu(Dwarf_Die *cu, void *arg)
{
	return ustat_dwarf__walk(cu, func_die, arg);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct ustat_inline_func *)a)->name,
		      ((const struct ustat_inline_func *)b)->name);
}

int ustat_dwarf__inline_funcs(Dwarf *dw, struct ustat_inline_func **funcs, int *nr)
{
	struct funcs_walk w = { 0 };
	int ret, i, n = 0;

	ret = ustat_dwarf__walk_units(dw, funcs_cu, &w);
	if (ret) {
		ustat_inline_funcs__free(w.f, w.nr);
		return ret;
	}
	/* One entry per name, counting its copies. */
	if (w.nr)
		qsort(w.f, w.nr, sizeof(*w.f), cmp_name);
	for (i = 0; i < w.nr; i++) {
		if (n && !strcmp(w.f[n - 1].name, w.f[i].name)) {
			w.f[n - 1].copies++;
			free(w.f[i].name);
			continue;
		}
		w.f[n++] = w.f[i];
	}
	*funcs = w.f;
	*nr = n;
	return 0;
}

void ustat_inline_funcs__free(struct ustat_inline_func *funcs, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(funcs[i].name);
	free(funcs);
}
