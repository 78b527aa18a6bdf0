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

struct ustat_pairing {
	struct ustat_map		threads;
	int			nr_funcs;	/* functions with an entry/return pair */
	u64			unmatched_returns;
	u64			too_deep;
};

int ustat_pairing__init(struct ustat_pairing *p, int nr_funcs);
void ustat_pairing__exit(struct ustat_pairing *p);

/* An entry of function FUNC on thread TID at TIME. */
int ustat_pairing__entry(struct ustat_pairing *p, u32 tid, int func, u64 time);

/*
 * A return: 1 and *LAT set when it closes an entry, 0 when no entry is
 * open (the entry happened before recording started), -errno on failure.
 */
int ustat_pairing__return(struct ustat_pairing *p, u32 tid, int func, u64 time,
			  u64 *lat);

/* Entries still open: calls in flight when recording stopped, or longjmp'ed. */
u64 ustat_pairing__open_entries(const struct ustat_pairing *p, int func);

#endif /* __USTAT_PAIRING_H */
