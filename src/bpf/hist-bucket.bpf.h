/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_HIST_BUCKET_BPF_H
#define __USTAT_HIST_BUCKET_BPF_H
/*
 * For the BPF programs only (uprobe-stat.bpf.c, uprobe-kfunc.bpf.c): the
 * bucket of a value in the log-linear histograms of uprobe-stat-bpf.h.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "uprobe-stat-bpf.h"

/* ../histogram.c's ustat_hist__bucket(), without a count-leading-zeros insn. */
static __always_inline __u32 hist_bucket(__u64 v)
{
	__u32 e = 0;
	__u64 x = v;

	if (v < (1 << USTAT_BPF_SUB_BITS))
		return v;
	if (x >> 32) {
		e += 32;
		x >>= 32;
	}
	if (x >> 16) {
		e += 16;
		x >>= 16;
	}
	if (x >> 8) {
		e += 8;
		x >>= 8;
	}
	if (x >> 4) {
		e += 4;
		x >>= 4;
	}
	if (x >> 2) {
		e += 2;
		x >>= 2;
	}
	if (x >> 1)
		e += 1;
	return (e - USTAT_BPF_SUB_BITS + 1) * (1 << USTAT_BPF_SUB_BITS) +
	       ((v >> (e - USTAT_BPF_SUB_BITS)) & ((1 << USTAT_BPF_SUB_BITS) - 1));
}

/* Add V to H; atomic, as a preempted program may share H with another. */
static __always_inline void hrec_add(struct ustat_bpf_hrec *h, __u64 v)
{
	__u32 b = hist_bucket(v);
	__u64 old;

	if (b >= USTAT_BPF_BUCKETS)
		b = USTAT_BPF_BUCKETS - 1;
	__sync_fetch_and_add(&h->buckets[b], 1);
	__sync_fetch_and_add(&h->sum, v);
	/* One try each: a race lost to preemption leaves min/max a little off. */
	old = h->min;
	if (!old || v < old)
		__sync_val_compare_and_swap(&h->min, old, v ? v : 1);
	old = h->max;
	if (v > old)
		__sync_val_compare_and_swap(&h->max, old, v);
	/* The count last: a reader never sees more values than buckets hold. */
	__sync_fetch_and_add(&h->count, 1);
}

#endif /* __USTAT_HIST_BUCKET_BPF_H */
