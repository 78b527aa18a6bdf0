/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DWARF_UNWIND_H
#define __USTAT_DWARF_UNWIND_H

#include <stddef.h>
#include <linux/types.h>

/*
 * --call-graph dwarf: a hit's callchain from the user registers and the
 * copy of the top of its stack the kernel took, unwound with the CFI of
 * the process's files by libdw's unwinder (dwfl_getthread_frames), as
 * perf does with libdw.
 */

/*
 * The registers record asks for: perf's x86-64 set (all but the segment
 * registers).  0 where the unwinder does not know the architecture.
 */
#ifdef __x86_64__
#define USTAT_USER_REGS_MASK	(((1ULL << 24) - 1) & ~(0xfULL << 12))
#else
#define USTAT_USER_REGS_MASK	0ULL
#endif

/* A mapping of code in the process: where FILE's bytes from PGOFF are. */
struct ustat_unwind_map {
	u64		 start;
	u64		 end;
	u64		 pgoff;
	const char	*path;
};

struct ustat_unwinder;

/* One per process: its mappings as they are now.  NULL on failure. */
struct ustat_unwinder *ustat_unwinder__new(const struct ustat_unwind_map *maps, int nr);
void ustat_unwinder__delete(struct ustat_unwinder *u);

/*
 * Unwind thread TID from REGS (MASK's registers in the order of its bits)
 * and STACK[0..STACK_SIZE) copied from the stack pointer up: the pcs,
 * innermost first, into IPS[0..MAX).  The number found (0: none).
 */
int ustat_unwinder__unwind(struct ustat_unwinder *u, u32 tid, const u64 *regs, u64 mask,
			   const void *stack, u64 stack_size, u64 *ips, int max);

#endif /* __USTAT_DWARF_UNWIND_H */
