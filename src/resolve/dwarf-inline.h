/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DWARF_INLINE_H
#define __USTAT_DWARF_INLINE_H

#include <elfutils/libdw.h>

#include "dwarf-util.h"

/*
 * Inlined copies of functions.  A function the compiler inlined has no
 * symbol at its call sites: a probe on its symbol alone misses those
 * calls.  As perf probe does, a function probe also goes on the entry of
 * each DW_TAG_inlined_subroutine of the function.
 */

/* A function and how many inlined copies of it have code. */
struct ustat_inline_func {
	char	*name;
	int	 copies;
};

/* Add to OUT the entry of each inlined copy of FUNC (none: nothing added). */
int ustat_dwarf__inline_entries(Dwarf *dw, const char *func,
				struct ustat_addrs *out);

/* Every inlined function, sorted by name (list --funcs); caller frees. */
int ustat_dwarf__inline_funcs(Dwarf *dw, struct ustat_inline_func **funcs, int *nr);
void ustat_inline_funcs__free(struct ustat_inline_func *funcs, int nr);

#endif /* __USTAT_DWARF_INLINE_H */
