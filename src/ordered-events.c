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

static int cmp_entry(const void *a, const void *b)
{
	const struct ustat_oe_entry *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
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
	qsort(oe->q, oe->nr, sizeof(*oe->q), cmp_entry);
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
