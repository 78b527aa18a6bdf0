// SPDX-License-Identifier: GPL-2.0
/*
 * Re-ordering by time (ordered-events.h): what a FINISHED_ROUND releases,
 * stable order for equal timestamps, the final flush, records kept byte
 * for byte while they wait, each delivered with its tag, and records
 * borrowed in place (a mapped file) rather than copied.
 */
#include "unit.h"
#include "ordered-events.h"

#include <stdlib.h>
#include <string.h>

/* A record: header, a tag, then TAG-derived filler so copies can be checked. */
struct rec {
	struct perf_event_header	h;
	u64				tag;
	u64				fill[6];
};

struct out {
	u64	tag[4096];
	u64	time[4096];
	size_t	n;
	size_t	fail_at;	/* deliver returns an error at this call (1-based) */
};

/* Borrowing: the records live here and are queued where they are. */
static struct rec *pool;
static size_t pool_used, pool_size;

/* What a record is queued with, from its tag: delivery must hand it back. */
#define TAG_OF(t)	((u32)(t) ^ 0x5a5a5a5a)

static int deliver(void *ctx, union perf_event *ev, u64 time, u32 tag)
{
	struct out *o = ctx;
	const struct rec *r = (const struct rec *)ev;
	size_t i, nfill = (r->h.size - 16) / 8;

	if (tag != TAG_OF(r->tag))
		fail_msg("record %llu came with tag %#x", (unsigned long long)r->tag, tag);
	if (pool && (r < pool || r >= pool + pool_used))
		fail_msg("record %llu was copied, not borrowed", (unsigned long long)r->tag);

	if (o->n >= 4096)
		fail_msg("too many deliveries");
	/* the whole record came back as queued */
	for (i = 0; i < nfill; i++)
		if (r->fill[i] != r->tag * 100 + i)
			fail_msg("record %llu damaged", (unsigned long long)r->tag);
	o->tag[o->n] = r->tag;
	o->time[o->n] = time;
	o->n++;
	return o->fail_at && o->n == o->fail_at ? -42 : 0;
}

static void queue(struct ustat_ordered_events *oe, u64 tag, u64 time)
{
	struct rec own, *r = &own;
	size_t i, nfill = tag % 7;

	if (pool) {
		assert_true(pool_used < pool_size);
		r = &pool[pool_used++];
	}
	memset(r, 0, sizeof(*r));
	r->h.type = PERF_RECORD_SAMPLE;
	r->h.size = 16 + nfill * 8;		/* sizes vary: 16 to 64 bytes */
	r->tag = tag;
	for (i = 0; i < nfill; i++)
		r->fill[i] = tag * 100 + i;
	assert_int_equal(ustat_oe__queue_tag(oe, (union perf_event *)r, time, TAG_OF(tag)), 0);
}

/* Records from here on are laid out in a pool the queue borrows from. */
static void borrow(struct ustat_ordered_events *oe, size_t nr)
{
	pool = calloc(nr, sizeof(*pool));
	assert_non_null(pool);
	pool_used = 0;
	pool_size = nr;
	ustat_oe__borrow(oe, (const char *)pool);
}

static void unborrow(void)
{
	free(pool);
	pool = NULL;
	pool_used = pool_size = 0;
}

static void check_tags(const struct out *o, const u64 *tags, size_t nr)
{
	size_t i;

	assert_int_equal(o->n, nr);
	for (i = 0; i < nr; i++)
		if (o->tag[i] != tags[i])
			fail_msg("delivery %zu: record %llu, want %llu", i,
				 (unsigned long long)o->tag[i], (unsigned long long)tags[i]);
}

/*
 * Round 1 is held back entirely: a later pass may still bring older
 * records.  Round 2 releases what is no newer than round 1's newest, round
 * 2's own older records included; the rest waits for the end.
 */
static void test_rounds(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	static const u64 after_round2[] = { 1, 5, 3, 4, 2 };	/* times 10 15 20 25 30 */
	static const u64 after_round3[] = { 1, 5, 3, 4, 2, 8, 6 };	/* 35 40 */
	static const u64 after_round4[] = { 1, 5, 3, 4, 2, 8, 6, 9, 7 };
	static const u64 all[] = { 1, 5, 3, 4, 2, 8, 6, 9, 7, 10 };

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	/* pass 1: CPU 0 then CPU 1 */
	queue(&oe, 1, 10);
	queue(&oe, 2, 30);
	queue(&oe, 3, 20);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(o->n, 0);
	/* pass 2: older than 30 still arrive */
	queue(&oe, 4, 25);
	queue(&oe, 5, 15);
	queue(&oe, 6, 40);
	assert_int_equal(ustat_oe__round(&oe), 0);
	check_tags(o, after_round2, 5);
	/* pass 3 */
	queue(&oe, 7, 60);
	queue(&oe, 8, 35);
	queue(&oe, 9, 45);
	assert_int_equal(ustat_oe__round(&oe), 0);
	/* released: up to 40, pass 2's newest */
	check_tags(o, after_round3, 7);
	queue(&oe, 10, 70);
	assert_int_equal(ustat_oe__round(&oe), 0);
	check_tags(o, after_round4, 9);		/* up to 60 */
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	check_tags(o, all, 10);
	assert_int_equal(oe.out_of_order, 0);
	/* each delivery carries its record's time, in order */
	assert_int_equal(o->time[0], 10);
	assert_int_equal(o->time[9], 70);
	ustat_oe__exit(&oe);
	free(o);
}

/* Equal timestamps come out in the order they went in. */
static void test_equal_times_stable(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	u64 x = 12345, tag;
	size_t i;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	/* 3000 records over 4 timestamps, in a scrambled order */
	for (tag = 0; tag < 3000; tag++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		queue(&oe, tag, 100 + (x >> 62));
	}
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 3000);
	for (i = 1; i < o->n; i++) {
		assert_true(o->time[i] >= o->time[i - 1]);
		if (o->time[i] == o->time[i - 1])
			assert_true(o->tag[i] > o->tag[i - 1]);
	}
	ustat_oe__exit(&oe);
	free(o);
}

/*
 * As record writes them: each pass drains CPU after CPU, each CPU's records
 * in time order, the CPUs overlapping in time (here 5 CPUs: an odd number
 * of runs to merge), with what a round keeps back merged into the next
 * pass.  Everything comes out in (time, arrival) order.
 */
static void cpu_runs(bool borrowed)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	u64 x = 777, tag = 0, t[5] = { 0 };
	int pass, cpu, k;
	size_t i;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	if (borrowed)
		borrow(&oe, 4096);
	for (pass = 0; pass < 6; pass++) {
		for (cpu = 0; cpu < 5; cpu++) {
			t[cpu] = pass * 2000;	/* a pass spans the same time on each CPU */
			for (k = 0; k < 100 + cpu * 17; k++) {
				x = x * 6364136223846793005ULL + 1442695040888963407ULL;
				t[cpu] += 1 + (x >> 61);	/* 1..8: ties across CPUs */
				queue(&oe, tag++, 1000 + t[cpu]);
			}
		}
		assert_int_equal(ustat_oe__round(&oe), 0);
	}
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, tag);
	for (i = 1; i < o->n; i++) {
		if (o->time[i] < o->time[i - 1])
			fail_msg("delivery %zu: time %llu after %llu", i,
				 (unsigned long long)o->time[i], (unsigned long long)o->time[i - 1]);
		if (o->time[i] == o->time[i - 1] && o->tag[i] < o->tag[i - 1])
			fail_msg("delivery %zu: equal times out of arrival order", i);
	}
	/* borrowed: nothing was copied into an arena */
	if (borrowed)
		assert_null(oe.arena);
	ustat_oe__exit(&oe);
	unborrow();
	free(o);
}

static void test_cpu_runs(void **state)
{
	cpu_runs(false);
}

/* The same from records in place: the same order, no copies. */
static void test_cpu_runs_borrowed(void **state)
{
	cpu_runs(true);
}

/* A record older than what was already delivered is delivered, and counted. */
static void test_late_record_counted(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	queue(&oe, 1, 100);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(o->n, 1);
	queue(&oe, 2, 50);			/* too late: 100 is out */
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 2);
	assert_int_equal(o->tag[1], 2);
	assert_int_equal(oe.out_of_order, 1);
	ustat_oe__exit(&oe);
	free(o);
}

/* flush_all with nothing queued, and twice, delivers nothing more. */
static void test_flush_all_empty(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(ustat_oe__round(&oe), 0);
	queue(&oe, 1, 5);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 1);
	ustat_oe__exit(&oe);
	free(o);
}

/* The consumer's error stops the delivery and comes back. */
static void test_deliver_error(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	o->fail_at = 2;
	queue(&oe, 1, 1);
	queue(&oe, 2, 2);
	queue(&oe, 3, 3);
	assert_int_equal(ustat_oe__flush_all(&oe), -42);
	assert_int_equal(o->n, 2);
	ustat_oe__exit(&oe);
	free(o);
}

/*
 * A file without rounds: past the memory limit the older half is
 * delivered early, still in order, and records still queued survive the
 * arena being compacted.  Borrowed, what must stay in memory (from the
 * oldest queued record to the newest) stays under the limit.
 */
static void limit_without_rounds(bool borrowed)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	size_t i;
	u64 tag;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	if (borrowed)
		borrow(&oe, 2000);
	oe.limit = 4096;
	for (tag = 0; tag < 2000; tag++) {
		/* times rise with a jitter: pairs arrive swapped */
		queue(&oe, tag, 1000 + tag * 10 + (tag % 2 ? 0 : 15));
		if (borrowed)
			assert_true(pool_used * sizeof(*pool) - ustat_oe__oldest(&oe) <=
				    4096 + 64);
	}
	assert_true(o->n > 0);			/* delivered before the end */
	assert_true(o->n < 2000);
	assert_true(oe.arena_used <= 4096 + 64);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 2000);
	assert_int_equal(ustat_oe__oldest(&oe), (u64)-1);
	for (i = 1; i < o->n; i++)
		assert_true(o->time[i] >= o->time[i - 1]);
	assert_int_equal(oe.out_of_order, 0);
	ustat_oe__exit(&oe);
	unborrow();
	free(o);
}

static void test_limit_without_rounds(void **state)
{
	limit_without_rounds(false);
}

static void test_limit_borrowed(void **state)
{
	limit_without_rounds(true);
}

/*
 * An early flush forced by the memory limit in the middle of a pass must
 * not move the round mark: records of the next pass may still be as old as
 * the newest of the pass before, so the next FINISHED_ROUND may release
 * only up to that, not up to what was newest when the limit hit.
 */
static void test_limit_keeps_round_mark(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	size_t i;
	u64 k;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	/* 16-byte records (tags that are multiples of 7): 256 of them fill it */
	oe.limit = oe.limit_max = 256 * 16;	/* a queue that may not grow (top's) */
	/* pass 1 */
	queue(&oe, 0, 100);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(o->n, 0);
	/*
	 * pass 2: the 256th record (time 2750) goes over the limit: the older
	 * half, up to 2750 / 2 = 1375, is delivered early.
	 */
	for (k = 1; k <= 256; k++)
		queue(&oe, 7 * k, 200 + (k - 1) * 10);
	assert_int_equal(o->time[o->n - 1], 1370);
	assert_int_equal(ustat_oe__round(&oe), 0);
	/* nothing beyond what the limit released: pass 1 ended at 100 */
	assert_int_equal(o->time[o->n - 1], 1370);
	/* pass 3: 2000 is newer than pass 1's newest, so it may come now */
	queue(&oe, 7 * 1000, 2000);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 258);
	for (i = 1; i < o->n; i++)
		assert_true(o->time[i] >= o->time[i - 1]);
	assert_int_equal(oe.out_of_order, 0);
	ustat_oe__exit(&oe);
	free(o);
}

/*
 * A replay holds the rounds at its clock: what a round may release but is
 * newer than the hold stays queued until the clock gets there.
 */
static void test_hold(void **state)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	static const u64 at_15[] = { 1, 5 };
	static const u64 at_30[] = { 1, 5, 3, 4, 2 };

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	oe.hold = 15;
	queue(&oe, 1, 10);
	queue(&oe, 2, 30);
	queue(&oe, 3, 20);
	assert_int_equal(ustat_oe__round(&oe), 0);
	queue(&oe, 4, 25);
	queue(&oe, 5, 15);
	queue(&oe, 6, 40);
	/* the round could release up to 30; the hold stops it at 15 */
	assert_int_equal(ustat_oe__round(&oe), 0);
	check_tags(o, at_15, 2);
	/* but the mark says all up to 30 is here, so the clock may move to 30 */
	assert_int_equal(oe.flushed, 30);
	oe.hold = 30;
	assert_int_equal(ustat_oe__flush_limit(&oe, 30), 0);
	check_tags(o, at_30, 5);
	assert_int_equal(oe.nr, 1);
	assert_int_equal(oe.out_of_order, 0);
	ustat_oe__exit(&oe);
	free(o);
}

/*
 * A recorder that fell behind: a pass reads thousands of records from each
 * CPU's buffer in turn, CPU 0's run then CPU 1's, as old.  A queue that may
 * grow keeps such a round whole and delivers every record in order; held to
 * the same limit, the older half of CPU 0's run goes early and CPU 1's
 * records then come in out of order (the control: the check can fail).
 */
static void big_round(bool may_grow, bool borrowed)
{
	struct out *o = calloc(1, sizeof(*o));
	struct ustat_ordered_events oe;
	u64 k, cpu;
	size_t i;

	assert_non_null(o);
	ustat_oe__init(&oe, deliver, o);
	if (borrowed)
		borrow(&oe, 2001);
	oe.limit = 4096;
	if (!may_grow)
		oe.limit_max = oe.limit;
	queue(&oe, 1, 100);
	assert_int_equal(ustat_oe__round(&oe), 0);
	for (cpu = 0; cpu < 2; cpu++)
		for (k = 0; k < 1000; k++)
			queue(&oe, 2 + cpu * 1000 + k, 1000 + k * 10 + cpu * 5);
	assert_int_equal(ustat_oe__round(&oe), 0);
	assert_int_equal(ustat_oe__flush_all(&oe), 0);
	assert_int_equal(o->n, 2001);
	if (!may_grow) {
		assert_true(oe.out_of_order > 0);
		assert_int_equal(oe.raised, 0);
	} else {
		for (i = 1; i < o->n; i++)
			assert_true(o->time[i] >= o->time[i - 1]);
		assert_int_equal(oe.out_of_order, 0);
		/* no more than the round needed: 2000 records of 16-64 bytes */
		assert_true(oe.raised > 4096 && oe.raised <= 4 * 2000 * 64);
	}
	ustat_oe__exit(&oe);
	unborrow();
	free(o);
}

static void test_big_round_whole(void **state)
{
	big_round(true, false);
}

static void test_big_round_borrowed(void **state)
{
	big_round(true, true);
}

static void test_big_round_capped(void **state)
{
	big_round(false, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_equal_times_stable),
		cmocka_unit_test(test_cpu_runs),
		cmocka_unit_test(test_cpu_runs_borrowed),
		cmocka_unit_test(test_limit_borrowed),
		cmocka_unit_test(test_late_record_counted),
		cmocka_unit_test(test_flush_all_empty),
		cmocka_unit_test(test_deliver_error),
		cmocka_unit_test(test_limit_without_rounds),
		cmocka_unit_test(test_limit_keeps_round_mark),
		cmocka_unit_test(test_big_round_whole),
		cmocka_unit_test(test_big_round_borrowed),
		cmocka_unit_test(test_big_round_capped),
		cmocka_unit_test(test_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
