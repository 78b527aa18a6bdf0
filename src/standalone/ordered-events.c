// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/kernel.h>

#include "util/uprobe-stat/util/array.h"
#include "ordered-events.h"

/*
 * Files without FINISHED_ROUND records (some tools never write them) would
 * otherwise queue everything: past this much, the older half is delivered.
 * The arena, its spare and the index stay near 20 MiB whatever the file (a
 * record that then comes in older than one delivered is counted out of
 * order, and still delivered).
 */
#define OE_DEFAULT_LIMIT	(6 << 20)
/*
 * A file with rounds keeps each whole, however big: a recorder that fell
 * behind (descheduled while 16 MiB buffers filled) writes rounds of 30 MB
 * and more, and delivering the older half of one early put 403,439 of a
 * million records out of order, pairs of entry and return among them.
 * The limit doubles as such a round needs, up to this; past it, the
 * older half again.  Only such a file pays the memory.
 */
#define OE_MAX_LIMIT		(512UL << 20)

static int flush_limit(struct ustat_ordered_events *oe, u64 limit);

/*
 * The arenas hold megabytes of records, touched once per round: in huge
 * pages, a fault brings 2 MiB instead of 4 KiB (faults were a fifth of
 * report's time in a VM).  Sizes are multiples of 2 MiB.
 */
#define ARENA_ALIGN	(2UL << 20)

static char *arena_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_HUGEPAGE);	/* a hint: fine if refused */
	return p;
}

static void arena_free(char *p, size_t size)
{
	if (p)
		munmap(p, size);
}

void ustat_oe__init(struct ustat_ordered_events *oe, ustat_deliver_fn fn, void *ctx)
{
	memset(oe, 0, sizeof(*oe));
	oe->deliver = fn;
	oe->ctx = ctx;
	oe->limit = OE_DEFAULT_LIMIT;
	oe->limit_max = OE_MAX_LIMIT;
	oe->hold = (u64)-1;
}

void ustat_oe__exit(struct ustat_ordered_events *oe)
{
	free(oe->q);
	free(oe->runs);
	free(oe->run_at);
	free(oe->heap);
	arena_free(oe->arena, oe->arena_cap);
	arena_free(oe->spare, oe->spare_cap);
	memset(oe, 0, sizeof(*oe));
}

/*
 * Deliver the older half of the time span since the last delivery.  When
 * nothing was delivered yet that span starts at 0, and its half may hold
 * no record at all (times since boot are large): then the span of what is
 * queued, whose older half always holds at least the oldest record --
 * else each record queued past the limit would scan the queue in vain.
 */
static int flush_older_half(struct ustat_ordered_events *oe)
{
	size_t nr = oe->nr, i;
	u64 lo = (u64)-1;
	int ret;

	ret = flush_limit(oe, oe->last_delivered + (oe->max_time - oe->last_delivered) / 2);
	if (ret || oe->nr < nr || !oe->nr)
		return ret;
	for (i = 0; i < oe->nr; i++)
		if (oe->q[i].time < lo)
			lo = oe->q[i].time;
	return flush_limit(oe, lo + (oe->max_time - lo) / 2);
}

void ustat_oe__borrow(struct ustat_ordered_events *oe, const char *base)
{
	oe->base = base;
}

/* Room for SIZE more bytes of records in the arena. */
static int arena_room(struct ustat_ordered_events *oe, size_t size)
{
	size_t cap = oe->arena_cap ? oe->arena_cap * 2 : ARENA_ALIGN;
	char *a;

	while (cap < oe->arena_used + size)
		cap *= 2;
	a = arena_alloc(cap);
	if (!a)
		return -ENOMEM;
	if (oe->arena) {
		memcpy(a, oe->arena, oe->arena_used);
		arena_free(oe->arena, oe->arena_cap);
	}
	oe->arena = a;
	oe->arena_cap = cap;
	return 0;
}

int ustat_oe__queue_tag(struct ustat_ordered_events *oe, const union perf_event *ev, u64 time,
			u32 tag)
{
	size_t size = ev->header.size, used;
	struct ustat_oe_entry *e;

	if (ustat_array_grow(oe->q, oe->cap, oe->nr + 1))
		return -ENOMEM;
	/* An older record than the one before starts a run (see find_runs()). */
	if (!oe->nr || time < oe->q[oe->nr - 1].time) {
		if (ustat_array_grow(oe->run_at, oe->run_at_cap, oe->nr_runs + 1))
			return -ENOMEM;
		oe->run_at[oe->nr_runs++] = oe->nr;
	}
	e = &oe->q[oe->nr];
	if (oe->base) {
		/* What must stay in memory: from the oldest queued to this one. */
		e->off = (const char *)ev - oe->base;
		used = e->off + size - oe->q[0].off;
	} else {
		if (oe->arena_used + size > oe->arena_cap && arena_room(oe, size))
			return -ENOMEM;
		memcpy(oe->arena + oe->arena_used, ev, size);
		e->off = oe->arena_used;
		oe->arena_used += size;
		used = oe->arena_used;
	}
	e->time = time;
	e->tag = tag;
	oe->nr++;
	if (time > oe->max_time)
		oe->max_time = time;
	if (used > oe->limit && oe->rounds && oe->limit < oe->limit_max) {
		/* A round this big: room for it, so that it comes out in order. */
		oe->limit = min(oe->limit * 2, oe->limit_max);
		oe->raised = oe->limit;
	}
	if (used > oe->limit) {
		/*
		 * No rounds in this file, or too much in one: deliver the older
		 * half to bound memory.  The round mark stays: the next round
		 * may still only release up to the previous pass's newest.
		 */
		return flush_older_half(oe);
	}
	return 0;
}

/*
 * The queue is made of few runs sorted by time: what the last flush kept,
 * then each CPU's ring buffer as record drained it.  A flush merges the
 * runs' heads through a small heap and delivers as it goes, up to the
 * limit; what is left of each run stays, in arrival order.  Nothing
 * delivered is ever moved (sorting the whole queue first -- qsort(), then
 * a merge sort -- moved every entry log2(runs) times a round).  On equal
 * times the earlier run goes first, and a run is in arrival order: equal
 * timestamps keep the order they came in.
 */
struct oe_run {
	size_t	at;	/* next entry */
	size_t	end;
};

/* Whether run A's head goes before run B's (runs are in arrival order). */
static bool run_before(const struct ustat_ordered_events *oe, const struct oe_run *a,
		       const struct oe_run *b)
{
	u64 ta = oe->q[a->at].time, tb = oe->q[b->at].time;

	return ta < tb || (ta == tb && a < b);
}

/*
 * The runs of the queue, in arrival order; NULL on no memory.  Their
 * starts are noted as records are queued: a pass over the queue to find
 * them was a tenth of report's time.
 */
static struct oe_run *find_runs(struct ustat_ordered_events *oe, size_t *nr)
{
	size_t r, n = oe->nr_runs;

	if (ustat_array_grow(oe->runs, oe->runs_cap, n))
		return NULL;
	for (r = 0; r < n; r++) {
		oe->runs[r].at = oe->run_at[r];
		oe->runs[r].end = r + 1 < n ? oe->run_at[r + 1] : oe->nr;
	}
	*nr = n;
	return oe->runs;
}

/* Heap of run pointers by head: the run to take from is heap[0]. */
static void sift_down(const struct ustat_ordered_events *oe, struct oe_run **heap, size_t n,
		      size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct oe_run *t;

		if (l < n && run_before(oe, heap[l], heap[m]))
			m = l;
		if (l + 1 < n && run_before(oe, heap[l + 1], heap[m]))
			m = l + 1;
		if (m == i)
			return;
		t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

static int deliver_one(struct ustat_ordered_events *oe, const struct ustat_oe_entry *e)
{
	union perf_event *ev = (union perf_event *)((oe->base ? oe->base : oe->arena) + e->off);

	if (e->time < oe->last_delivered)
		oe->out_of_order++;
	else
		oe->last_delivered = e->time;
	return oe->deliver(oe->ctx, ev, e->time, e->tag);
}

/*
 * The entries q[0, KEPT) are what stays queued: move their records to the
 * front of the spare arena, which then becomes the arena.  The same two
 * buffers serve every round (a fresh one each round was page faults on
 * megabytes: a fifth of report's time on a recording with large rounds).
 */
static int compact(struct ustat_ordered_events *oe, size_t kept)
{
	size_t i, used = 0, cap;
	char *arena;

	if (oe->base) {
		oe->nr = kept;	/* the records stay where they are */
		return 0;
	}
	if (oe->spare_cap < oe->arena_cap) {
		arena_free(oe->spare, oe->spare_cap);
		oe->spare = arena_alloc(oe->arena_cap);
		oe->spare_cap = oe->spare ? oe->arena_cap : 0;
		if (!oe->spare)
			return -ENOMEM;
	}
	arena = oe->spare;
	for (i = 0; i < kept; i++) {
		const union perf_event *ev = (void *)(oe->arena + oe->q[i].off);

		memcpy(arena + used, ev, ev->header.size);
		oe->q[i].off = used;
		used += ev->header.size;
	}
	cap = oe->spare_cap;
	oe->spare = oe->arena;
	oe->spare_cap = oe->arena_cap;
	oe->arena = arena;
	oe->arena_cap = cap;
	oe->arena_used = used;
	oe->nr = kept;
	return 0;
}

/* Deliver entries with time <= LIMIT in time order; keep the rest. */
static int flush_limit(struct ustat_ordered_events *oe, u64 limit)
{
	struct oe_run *runs, **heap;
	size_t nr_runs, n, r, kept = 0;
	int ret = 0;

	if (!oe->nr)
		return 0;
	runs = find_runs(oe, &nr_runs);
	if (!runs)
		return -ENOMEM;
	if (ustat_array_grow(oe->heap, oe->heap_cap, nr_runs))
		return -ENOMEM;
	heap = oe->heap;
	for (r = 0; r < nr_runs; r++)
		heap[r] = &runs[r];
	n = nr_runs;
	for (r = n / 2; r-- > 0;)
		sift_down(oe, heap, n, r);
	while (n && oe->q[heap[0]->at].time <= limit) {
		ret = deliver_one(oe, &oe->q[heap[0]->at]);
		if (ret)
			return ret;
		if (++heap[0]->at == heap[0]->end)
			heap[0] = heap[--n];
		sift_down(oe, heap, n, 0);
	}
	/* What is left of each run, in arrival order, to the front. */
	oe->nr_runs = 0;
	for (r = 0; r < nr_runs; r++) {
		size_t len = runs[r].end - runs[r].at;

		if (!len)
			continue;
		if (kept != runs[r].at)
			memmove(&oe->q[kept], &oe->q[runs[r].at], len * sizeof(*oe->q));
		/* a leftover run is still sorted; no more runs than before */
		oe->run_at[oe->nr_runs++] = kept;
		kept += len;
	}
	if (!kept) {
		oe->nr = 0;
		oe->arena_used = 0;
		return 0;
	}
	return kept == oe->nr ? 0 : compact(oe, kept);
}

int ustat_oe__round(struct ustat_ordered_events *oe)
{
	int ret = flush_limit(oe, min(oe->next_flush, oe->hold));

	oe->rounds = true;
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
