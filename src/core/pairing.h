/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PAIRING_H
#define __USTAT_PAIRING_H

#include <linux/types.h>

#include "util/uprobe-stat/util/u64-map.h"

/*
 * Pairs entry and return probes of one function into latencies, per thread,
 * with a stack per function: returns on a thread come back in the reverse
 * order of the entries, so the most recent open entry is the one a return
 * closes, however calls nest or recurse.
 *
 * The kernel gives up hijacking return addresses beyond a nesting depth
 * (MAX_URETPROBE_DEPTH, 64): deeper entries get no return.  Such a thread
 * counts in 'too_deep' each time it passes that depth, and reports warn
 * that such latencies pair wrongly.
 */
#define USTAT_URETPROBE_DEPTH	64

/* Open entry timestamps of one function on one thread. */
struct ustat_entry_stack {
	u64	*times;
	u32	 depth;
	u32	 cap;
};

struct ustat_pair_thread {
	u32			 tid;
	struct ustat_entry_stack stacks[];	/* one per paired function */
};

#define USTAT_PAIR_HOT	16

struct ustat_pairing {
	struct ustat_map		threads;
	/* Threads seen last, by tid modulo USTAT_PAIR_HOT: most lookups end here. */
	struct ustat_pair_thread	*hot[USTAT_PAIR_HOT];
	int			nr_funcs;	/* functions with an entry/return pair */
	u64			unmatched_returns;
	u64			too_deep;
};

int ustat_pairing__init(struct ustat_pairing *p, int nr_funcs);
void ustat_pairing__exit(struct ustat_pairing *p);

/* The slow paths of the two below: another thread, or a stack to grow. */
int ustat_pairing__entry_slow(struct ustat_pairing *p, u32 tid, int func, u64 time);
int ustat_pairing__return_slow(struct ustat_pairing *p, u32 tid, int func, u64 time,
			       u64 *lat);

/*
 * An entry of function FUNC on thread TID at TIME.  Inline: report pairs
 * millions, nearly all on a thread of the last few calls.
 */
static inline int ustat_pairing__entry(struct ustat_pairing *p, u32 tid, int func, u64 time)
{
	struct ustat_pair_thread *t = p->hot[tid % USTAT_PAIR_HOT];
	struct ustat_entry_stack *s;

	if (!t || t->tid != tid || func < 0 || func >= p->nr_funcs)
		return ustat_pairing__entry_slow(p, tid, func, time);
	s = &t->stacks[func];
	if (s->depth >= s->cap || s->depth == USTAT_URETPROBE_DEPTH)
		return ustat_pairing__entry_slow(p, tid, func, time);
	s->times[s->depth++] = time;
	return 0;
}

/*
 * A return: 1 and *LAT set when it closes an entry, 0 when no entry is
 * open (the entry happened before recording started), -errno on failure.
 */
static inline int ustat_pairing__return(struct ustat_pairing *p, u32 tid, int func, u64 time,
					u64 *lat)
{
	struct ustat_pair_thread *t = p->hot[tid % USTAT_PAIR_HOT];
	struct ustat_entry_stack *s;
	u64 start;

	if (!t || t->tid != tid || func < 0 || func >= p->nr_funcs || !t->stacks[func].depth)
		return ustat_pairing__return_slow(p, tid, func, time, lat);
	s = &t->stacks[func];
	start = s->times[--s->depth];
	*lat = time >= start ? time - start : 0;
	return 1;
}

/* Entries still open: calls in flight when recording stopped, or longjmp'ed. */
u64 ustat_pairing__open_entries(const struct ustat_pairing *p, int func);

#endif /* __USTAT_PAIRING_H */
