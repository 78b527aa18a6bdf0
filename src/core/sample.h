/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_SAMPLE_H
#define __USTAT_SAMPLE_H

#include <stddef.h>
#include <linux/types.h>

/*
 * A sample as the core sees it, decoded by the backend: the fields of a
 * PERF_RECORD_SAMPLE, or of the sample_id trailer of any other record,
 * that uprobe-stat uses.  Pointers point into the record.
 */
struct ustat_sample {
	u64		 id;
	u64		 ip;
	u64		 time;
	u64		 addr;
	u64		 period;
	u32		 pid;
	u32		 tid;
	u32		 cpu;
	u64		 callchain_nr;
	const u64	*callchain;
	u32		 raw_size;
	const void	*raw;
	/*
	 * --call-graph dwarf: the user registers (USER_REGS_MASK's, in the
	 * order of its bits; none when abi is 0) and the copy of the top of
	 * the user stack (user_stack_size bytes that were really copied).
	 */
	u64		 user_regs_abi;
	u64		 user_regs_mask;
	const u64	*user_regs;
	u64		 user_stack_size;
	const void	*user_stack;
	/*
	 * The backend's own view of the record (the in-tree backend's
	 * struct perf_sample), or NULL: only the backend looks at it.
	 */
	const void	*priv;
};

/* None of the fields that point into a record: decoders fill the rest. */
static inline void ustat_sample__no_refs(struct ustat_sample *s)
{
	s->callchain_nr = 0;
	s->callchain = NULL;
	s->raw_size = 0;
	s->raw = NULL;
	s->user_regs_abi = 0;
	s->user_regs_mask = 0;
	s->user_regs = NULL;
	s->user_stack_size = 0;
	s->user_stack = NULL;
	s->priv = NULL;
}

#endif /* __USTAT_SAMPLE_H */
