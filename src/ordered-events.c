// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "ordered-events.h"

/*
 * Files without FINISHED_ROUND records (some tools never write them) would
 * otherwise queue everything: past this much, half the queue is delivered.
 */
#define OE_DEFAULT_LIMIT	(256 << 20)

static int flush_limit(struct ustat_ordered_events *oe, u64 limit);

void ustat_oe__init(struct ustat_ordered_events *oe, ustat_deliver_fn fn, void *ctx)
{
	memset(oe, 0, sizeof(*oe));
	oe->deliver = fn;
	oe->ctx = ctx;
	oe->limit = OE_DEFAULT_LIMIT;
	oe->hold = (u64)-1;
}

void ustat_oe__exit(struct ustat_ordered_events *oe)
{
	free(oe->q);
	free(oe->tmp);
	free(oe->arena);
	memset(oe, 0, sizeof(*oe));
}

int ustat_oe__queue(struct ustat_ordered_events *oe, const union perf_event *ev, u64 time)
{
	size_t size = ev->header.size;

	if (oe->nr == oe->cap) {
		size_t cap = oe->cap ? oe->cap * 2 : 4096;
		struct ustat_oe_entry *q = realloc(oe->q, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		oe->q = q;
		oe->cap = cap;
	}
	if (oe->arena_used + size > oe->arena_cap) {
		size_t cap = oe->arena_cap ? oe->arena_cap * 2 : (1 << 20);
		char *a;

		while (cap < oe->arena_used + size)
			cap *= 2;
		a = realloc(oe->arena, cap);
		if (!a)
			return -ENOMEM;
		oe->arena = a;
		oe->arena_cap = cap;
	}
	memcpy(oe->arena + oe->arena_used, ev, size);
	oe->q[oe->nr].time = time;
	oe->q[oe->nr].seq = oe->seq++;
	oe->q[oe->nr].off = oe->arena_used;
	oe->nr++;
	oe->arena_used += size;
	if (time > oe->max_time)
		oe->max_time = time;
	if (oe->arena_used > oe->limit) {
		/*
		 * No rounds in this file, or too much in one: deliver the older
		 * half to bound memory.  The round mark stays: the next round
		 * may still only release up to the previous pass's newest.
		 */
		return flush_limit(oe, oe->last_delivered +
				       (oe->max_time - oe->last_delivered) / 2);
	}
	return 0;
}

static bool before(const struct ustat_oe_entry *x, const struct ustat_oe_entry *y)
{
	return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

/* Merge the sorted runs SRC[a, b) and SRC[b, c) into DST[a, c). */
static void merge(struct ustat_oe_entry *dst, const struct ustat_oe_entry *src,
		  size_t a, size_t b, size_t c)
{
	size_t i = a, j = b, k = a;

	while (i < b && j < c)
		dst[k++] = before(&src[j], &src[i]) ? src[j++] : src[i++];
	memcpy(dst + k, src + i, (b - i) * sizeof(*dst));
	k += b - i;
	memcpy(dst + k, src + j, (c - j) * sizeof(*dst));
}

/*
 * Sort the queue by (time, seq).  It is made of few sorted runs: what the
 * last flush kept, then each CPU's ring buffer as record drained it, in
 * time order within itself.  A natural merge sort takes those runs as
 * they are: one pass when the queue is sorted already (qsort() of the
 * whole queue took half of report's time), log2(runs) passes otherwise.
 */
static int sort_queue(struct ustat_ordered_events *oe)
{
	struct ustat_oe_entry *src = oe->q, *dst, *tmp;
	size_t *runs, nr_runs = 1, i, r;

	for (i = 1; i < oe->nr; i++)
		nr_runs += before(&src[i], &src[i - 1]);
	if (nr_runs == 1)
		return 0;
	if (oe->tmp_cap < oe->cap) {
		free(oe->tmp);
		oe->tmp = malloc(oe->cap * sizeof(*oe->tmp));
		if (!oe->tmp) {
			oe->tmp_cap = 0;
			return -ENOMEM;
		}
		oe->tmp_cap = oe->cap;
	}
	runs = malloc((nr_runs + 1) * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	runs[0] = 0;
	for (i = 1, r = 1; i < oe->nr; i++)
		if (before(&src[i], &src[i - 1]))
			runs[r++] = i;
	runs[nr_runs] = oe->nr;

	dst = oe->tmp;
	while (nr_runs > 1) {
		for (r = 0; r + 1 < nr_runs; r += 2)
			merge(dst, src, runs[r], runs[r + 1], runs[r + 2]);
		if (r < nr_runs)	/* an odd run out: copied as it is */
			memcpy(dst + runs[r], src + runs[r],
			       (runs[nr_runs] - runs[r]) * sizeof(*dst));
		for (i = 0, r = 0; r < nr_runs; r += 2)
			runs[i++] = runs[r];
		runs[i] = oe->nr;
		nr_runs = i;
		tmp = src;
		src = dst;
		dst = tmp;
	}
	free(runs);
	if (src != oe->q) {	/* the sorted queue is in tmp: swap the buffers */
		size_t cap = oe->cap;

		oe->tmp = oe->q;
		oe->q = src;
		oe->cap = oe->tmp_cap;
		oe->tmp_cap = cap;
	}
	return 0;
}

/*
 * Move the entries from FIRST on to the front of a fresh arena.  They are
 * sorted by time, not by arena offset, so they go through a new buffer.
 */
static int compact(struct ustat_ordered_events *oe, size_t first)
{
	char *arena = malloc(oe->arena_used);
	size_t i, used = 0;

	if (!arena)
		return -ENOMEM;
	for (i = first; i < oe->nr; i++) {
		const union perf_event *ev = (void *)(oe->arena + oe->q[i].off);

		memcpy(arena + used, ev, ev->header.size);
		oe->q[i - first] = oe->q[i];
		oe->q[i - first].off = used;
		used += ev->header.size;
	}
	free(oe->arena);
	oe->arena = arena;
	oe->arena_cap = oe->arena_used;
	oe->arena_used = used;
	oe->nr -= first;
	return 0;
}

/* Deliver entries with time <= LIMIT in time order; keep the rest. */
static int flush_limit(struct ustat_ordered_events *oe, u64 limit)
{
	size_t i;
	int ret;

	if (!oe->nr)
		return 0;
	ret = sort_queue(oe);
	if (ret)
		return ret;
	for (i = 0; i < oe->nr && oe->q[i].time <= limit; i++) {
		union perf_event *ev = (union perf_event *)(oe->arena + oe->q[i].off);

		if (oe->q[i].time < oe->last_delivered)
			oe->out_of_order++;
		else
			oe->last_delivered = oe->q[i].time;
		ret = oe->deliver(oe->ctx, ev, oe->q[i].time);
		if (ret)
			return ret;
	}
	if (i == oe->nr) {
		oe->nr = 0;
		oe->arena_used = 0;
		return 0;
	}
	return i ? compact(oe, i) : 0;
}

int ustat_oe__round(struct ustat_ordered_events *oe)
{
	int ret = flush_limit(oe, min(oe->next_flush, oe->hold));

	oe->flushed = oe->next_flush;
	oe->next_flush = oe->max_time;
	return ret;
}

int ustat_oe__flush_all(struct ustat_ordered_events *oe)
{
	return flush_limit(oe, (u64)-1);
}

int ustat_oe__flush_limit(struct ustat_ordered_events *oe, u64 limit)
{
	return flush_limit(oe, limit);
}
