/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DWARF_UTIL_H
#define __USTAT_DWARF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <elfutils/libdw.h>
#include <linux/types.h>

/*
 * What the DWARF probes (dwarf-lines.c, dwarf-inline.c) share: walking
 * units and DIEs with libdw, matching names and files as perf probe does,
 * and sets of addresses.
 */

/* Link-time addresses, sorted and unique once ustat_addrs__finish() ran. */
struct ustat_addrs {
	u64	*addr;
	int	 nr;
	int	 cap;
};

int ustat_addrs__add(struct ustat_addrs *a, u64 addr);
void ustat_addrs__finish(struct ustat_addrs *a);
void ustat_addrs__exit(struct ustat_addrs *a);

/* Address ranges [lo, hi) of code, e.g. every copy of one function. */
struct ustat_ranges {
	u64	(*r)[2];
	int	 nr;
	int	 cap;
};

int ustat_ranges__add_range(struct ustat_ranges *rs, u64 lo, u64 hi);
/* Add the ranges DIE's code occupies (DW_AT_low_pc/high_pc or DW_AT_ranges). */
int ustat_ranges__add_die(struct ustat_ranges *rs, Dwarf_Die *die);
bool ustat_ranges__has(const struct ustat_ranges *rs, u64 addr);
void ustat_ranges__exit(struct ustat_ranges *rs);

/* FN for each compile unit; a non-zero return stops the walk and is returned. */
typedef int (*ustat_cu_cb_t)(Dwarf_Die *cu, void *arg);
int ustat_dwarf__walk_units(Dwarf *dw, ustat_cu_cb_t fn, void *arg);

/*
 * FN for every DIE below PARENT, depth first, except inside types (code
 * is never there).  FN returns 0 to go on, USTAT_DWARF_SKIP to go on but
 * not below that DIE, anything else to stop the walk with that value.
 */
#define USTAT_DWARF_SKIP	1
typedef int (*ustat_die_cb_t)(Dwarf_Die *die, void *arg);
int ustat_dwarf__walk(Dwarf_Die *parent, ustat_die_cb_t fn, void *arg);

/*
 * The source PATH that a FILE the user typed names: the same path, or a
 * path ending in "/FILE" (so "main.c" and "src/main.c" both name
 * "/build/src/main.c").
 */
bool ustat_dwarf__file_matches(const char *path, const char *file);

/* DIE (or the DIE it is a copy of) is called NAME, or linked as NAME. */
bool ustat_dwarf__name_is(Dwarf_Die *die, const char *name);

/*
 * Where DIE's code is entered: DW_AT_entry_pc, else DW_AT_low_pc, else
 * the start of its first range.  -ENOENT when it has no code (optimised
 * away).
 */
int ustat_dwarf__entry_pc(Dwarf_Die *die, u64 *pc);

/* The name of entry IDX of CU's file table (DW_AT_decl_file, DW_AT_call_file). */
const char *ustat_dwarf__cu_file(Dwarf_Die *cu, Dwarf_Word idx);

#endif /* __USTAT_DWARF_UTIL_H */
