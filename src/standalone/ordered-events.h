/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_ORDERED_EVENTS_H
#define __USTAT_ORDERED_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <perf/event.h>

/*
 * Puts records back in time order.  Each CPU has its own ring buffer and a
 * recorder drains them one after another, so the file interleaves CPUs
 * out of order; a thread that migrates can have its return probe in the
 * file before its entry.  The recorder writes PERF_RECORD_FINISHED_ROUND
 * after each pass over all buffers: nothing read after the end of pass N
 * can be older than the newest record seen by the end of pass N-1, so at
 * each round the queue delivers, sorted, what is older than that mark.
 * Memory is bounded by what two passes hold, not by the file.
 */
/*
 * The queue's bound for a live recording (top): past it the older half is
 * delivered.  Just under the first arena (2 MiB, which a record of at most
 * 64 KiB then never outgrows): with its spare and the index, ~5 MiB.  top
 * reads each buffer to its end every pass, within a time budget (see
 * recorder.c), so a round rarely comes near it.
 */
#define USTAT_OE_LIVE_LIMIT	((2UL << 20) - (64UL << 10))

/* TAG is what the record was queued with (the session's event index). */
typedef int (*ustat_deliver_fn)(void *ctx, union perf_event *ev, u64 time, u32 tag);

struct ustat_oe_entry {
	u64	time;
	u64	off;	/* into the arena or the borrowed base; arrival order */
	u32	tag;
};

struct oe_run;

struct ustat_ordered_events {
	struct ustat_oe_entry	*q;
	size_t			 nr;
	size_t			 cap;
	size_t			*run_at;	/* where each sorted run starts in q */
	size_t			 nr_runs;
	size_t			 run_at_cap;
	struct oe_run		*runs;		/* flush: the queue's sorted runs */
	size_t			 runs_cap;
	struct oe_run		**heap;		/* ... and a heap of them */
	size_t			 heap_cap;
	char			*arena;
	size_t			 arena_used;
	size_t			 arena_cap;
	char			*spare;		/* compact() copies into it, then swaps */
	size_t			 spare_cap;
	const char		*base;		/* borrowed records: no arena */
	u64			 max_time;	/* newest seen so far */
	u64			 next_flush;	/* deliver up to here at the next round */
	u64			 flushed;	/* all up to here is queued or delivered */
	u64			 hold;		/* rounds deliver nothing newer (replay) */
	size_t			 limit;		/* force a flush beyond this many bytes */
	size_t			 limit_max;	/* ... which rounds may raise up to this */
	bool			 rounds;	/* rounds seen, or FINISHED_INIT: keep them whole */
	size_t			 raised;	/* the limit a big round raised, or 0 */
	ustat_deliver_fn	 deliver;
	void			*ctx;
	u64			 out_of_order;	/* came in older than what was delivered */
	u64			 last_delivered;
};

void ustat_oe__init(struct ustat_ordered_events *oe, ustat_deliver_fn fn, void *ctx);
void ustat_oe__exit(struct ustat_ordered_events *oe);
/* Queue a copy of EV (or EV itself: see _borrow()) at TIME, delivered with TAG. */
int ustat_oe__queue_tag(struct ustat_ordered_events *oe, const union perf_event *ev, u64 time,
			u32 tag);
/*
 * Every record queued from now on lies in memory at BASE that stays put
 * until the queue is done (a mapped file): queue where it is, not a copy.
 */
void ustat_oe__borrow(struct ustat_ordered_events *oe, const char *base);
/* Borrowing: the offset from BASE of the oldest record still queued, or -1. */
static inline u64 ustat_oe__oldest(const struct ustat_ordered_events *oe)
{
	return oe->nr ? oe->q[0].off : (u64)-1;
}
/* A PERF_RECORD_FINISHED_ROUND was read. */
int ustat_oe__round(struct ustat_ordered_events *oe);
/* Deliver what is queued up to LIMIT, whatever the rounds say (replay). */
int ustat_oe__flush_limit(struct ustat_ordered_events *oe, u64 limit);
/* End of input: deliver everything. */
int ustat_oe__flush_all(struct ustat_ordered_events *oe);

#endif /* __USTAT_ORDERED_EVENTS_H */
