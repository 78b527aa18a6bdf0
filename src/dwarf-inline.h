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

/* Add to OUT the entry of each inlined copy of FUNC (none: nothing added). */
int ustat_dwarf__inline_entries(Dwarf *dw, const char *func,
				struct ustat_addrs *out);

#endif /* __USTAT_DWARF_INLINE_H */
