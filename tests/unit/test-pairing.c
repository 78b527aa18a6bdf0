// SPDX-License-Identifier: GPL-2.0
/*
 * Entry/return pairing (pairing.h) and the aggregation built on it
 * (aggregate.h): latencies per call however calls nest, recurse or
 * interleave across threads, what cannot be paired, and the per-CPU hit
 * and loss counts.  Every expected latency is a difference of the
 * timestamps written in the test.
 */
#include "unit.h"
#include "aggregate.h"
#include "event-info.h"
#include "pairing.h"

#include <errno.h>
#include <string.h>

/* ---- ustat_pairing on its own ------------------------------------------- */

#define F	0
#define G	1

static u64 ret_lat(struct ustat_pairing *p, u32 tid, int func, u64 time)
{
	u64 lat = ~0ULL;

	assert_int_equal(ustat_pairing__return(p, tid, func, time, &lat), 1);
	return lat;
}

/* f calls g twice: each return closes its own function's entry. */
static void test_nested_two_functions(void **state)
{
	struct ustat_pairing p;

	assert_int_equal(ustat_pairing__init(&p, 2), 0);
	assert_int_equal(ustat_pairing__entry(&p, 1, F, 100), 0);
	assert_int_equal(ustat_pairing__entry(&p, 1, G, 150), 0);
	assert_int_equal(ret_lat(&p, 1, G, 180), 30);
	assert_int_equal(ustat_pairing__entry(&p, 1, G, 200), 0);
	assert_int_equal(ret_lat(&p, 1, G, 260), 60);
	assert_int_equal(ret_lat(&p, 1, F, 400), 300);
	assert_int_equal(ustat_pairing__open_entries(&p, F), 0);
	assert_int_equal(ustat_pairing__open_entries(&p, G), 0);
	assert_int_equal(p.unmatched_returns, 0);
	ustat_pairing__exit(&p);
}

/* Recursion 5 deep: returns unwind innermost first. */
static void test_recursion_depth_5(void **state)
{
	static const u64 entry[5] = { 10, 20, 30, 40, 50 };
	static const u64 ret[5] = { 55, 70, 100, 150, 260 };
	/* ret[i] closes entry[4 - i]: 55-50, 70-40, 100-30, 150-20, 260-10 */
	static const u64 want[5] = { 5, 30, 70, 130, 250 };
	struct ustat_pairing p;
	int i;

	assert_int_equal(ustat_pairing__init(&p, 1), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(ustat_pairing__entry(&p, 7, F, entry[i]), 0);
	assert_int_equal(ustat_pairing__open_entries(&p, F), 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(ret_lat(&p, 7, F, ret[i]), want[i]);
		assert_int_equal(ustat_pairing__open_entries(&p, F), 4 - i);
	}
	assert_int_equal(p.too_deep, 0);
	ustat_pairing__exit(&p);
}

/* Two threads in the same function at once: each pairs with its own entry. */
static void test_two_threads_interleaved(void **state)
{
	struct ustat_pairing p;

	assert_int_equal(ustat_pairing__init(&p, 1), 0);
	assert_int_equal(ustat_pairing__entry(&p, 100, F, 0), 0);
	assert_int_equal(ustat_pairing__entry(&p, 200, F, 10), 0);
	assert_int_equal(ustat_pairing__entry(&p, 100, F, 12), 0);
	assert_int_equal(ret_lat(&p, 100, F, 25), 13);		/* 25 - 12 */
	assert_int_equal(ret_lat(&p, 200, F, 100), 90);		/* 100 - 10 */
	assert_int_equal(ret_lat(&p, 100, F, 101), 101);	/* 101 - 0 */
	/* Thread id 0 (the idle task's) is a thread like any other. */
	assert_int_equal(ustat_pairing__entry(&p, 0, F, 1000), 0);
	assert_int_equal(ret_lat(&p, 0, F, 1003), 3);
	assert_int_equal(ustat_pairing__open_entries(&p, F), 0);
	ustat_pairing__exit(&p);
}

static void test_unmatched_returns(void **state)
{
	struct ustat_pairing p;
	u64 lat = 12345;

	assert_int_equal(ustat_pairing__init(&p, 2), 0);
	/* A thread never seen. */
	assert_int_equal(ustat_pairing__return(&p, 9, F, 50, &lat), 0);
	assert_int_equal(lat, 12345);
	assert_int_equal(p.unmatched_returns, 1);
	/* A known thread, but the other function's entry is the open one. */
	assert_int_equal(ustat_pairing__entry(&p, 9, G, 60), 0);
	assert_int_equal(ustat_pairing__return(&p, 9, F, 70, &lat), 0);
	assert_int_equal(p.unmatched_returns, 2);
	assert_int_equal(ret_lat(&p, 9, G, 80), 20);
	/* Its stack is empty again. */
	assert_int_equal(ustat_pairing__return(&p, 9, G, 90, &lat), 0);
	assert_int_equal(p.unmatched_returns, 3);
	/* Functions out of range are refused, not counted. */
	assert_int_equal(ustat_pairing__entry(&p, 9, 2, 100), -EINVAL);
	assert_int_equal(ustat_pairing__entry(&p, 9, -1, 100), -EINVAL);
	assert_int_equal(ustat_pairing__return(&p, 9, 2, 100, &lat), -EINVAL);
	assert_int_equal(p.unmatched_returns, 3);
	ustat_pairing__exit(&p);
}

static void test_open_entries(void **state)
{
	struct ustat_pairing p;
	u32 tid;

	assert_int_equal(ustat_pairing__init(&p, 2), 0);
	assert_int_equal(ustat_pairing__entry(&p, 1, F, 10), 0);
	assert_int_equal(ustat_pairing__entry(&p, 1, F, 20), 0);
	assert_int_equal(ustat_pairing__entry(&p, 2, F, 30), 0);
	assert_int_equal(ustat_pairing__entry(&p, 2, G, 40), 0);
	assert_int_equal(ret_lat(&p, 2, G, 45), 5);
	/* Enough threads to make the thread map grow and rehash. */
	for (tid = 1000; tid < 1500; tid++)
		assert_int_equal(ustat_pairing__entry(&p, tid, G, tid), 0);
	assert_int_equal(ustat_pairing__open_entries(&p, F), 3);
	assert_int_equal(ustat_pairing__open_entries(&p, G), 500);
	assert_int_equal(ustat_pairing__open_entries(&p, 5), 0);
	/* Entries were kept per thread through the growth. */
	assert_int_equal(ret_lat(&p, 1, F, 100), 80);
	assert_int_equal(ret_lat(&p, 1234, G, 1300), 66);
	ustat_pairing__exit(&p);
}

/* The kernel stops hijacking returns beyond 64 nested calls. */
static void test_too_deep(void **state)
{
	struct ustat_pairing p;
	u64 i;

	assert_int_equal(ustat_pairing__init(&p, 1), 0);
	for (i = 0; i < USTAT_URETPROBE_DEPTH; i++)
		assert_int_equal(ustat_pairing__entry(&p, 1, F, i), 0);
	assert_int_equal(p.too_deep, 0);
	assert_int_equal(ustat_pairing__entry(&p, 1, F, i), 0);
	assert_int_equal(p.too_deep, 1);
	for (i++; i < 100; i++)
		assert_int_equal(ustat_pairing__entry(&p, 1, F, i), 0);
	/* One thread going deeper still is one case, not one per entry. */
	assert_int_equal(p.too_deep, 1);
	/* Another thread at depth 64 exactly is fine. */
	for (i = 0; i < USTAT_URETPROBE_DEPTH; i++)
		assert_int_equal(ustat_pairing__entry(&p, 2, F, i), 0);
	assert_int_equal(p.too_deep, 1);
	assert_int_equal(ustat_pairing__open_entries(&p, F), 100 + USTAT_URETPROBE_DEPTH);
	ustat_pairing__exit(&p);
}

/* ---- ustat_agg: the same through samples --------------------------------- */

/*
 * Events as a report sees them: 0 = f, 1 = f%return, 2 = g, 3 = g%return,
 * 4 = h (an instruction probe, nothing to pair).
 */
#define EV_F		0
#define EV_F_RET	1
#define EV_G		2
#define EV_G_RET	3
#define EV_H		4
#define NR_EV		5

static struct ustat_event_info ev_info[NR_EV];
static struct ustat_event_infos infos;

static void set_info(int i, enum ustat_event_kind kind, const char *display, int pair,
		     int func_idx)
{
	memset(&ev_info[i], 0, sizeof(ev_info[i]));
	ev_info[i].kind = kind;
	ev_info[i].display = (char *)display;
	ev_info[i].at_entry = kind == USTAT_EVENT_PROBE && pair >= 0;
	ev_info[i].pair = pair;
	ev_info[i].func_idx = func_idx;
	ev_info[i].signal = USTAT_KEV_NONE;
}

static int setup_agg(void **state)
{
	static struct ustat_agg agg;

	set_info(EV_F, USTAT_EVENT_PROBE, "f", EV_F_RET, 0);
	set_info(EV_F_RET, USTAT_EVENT_RETPROBE, "f%return", EV_F, 0);
	set_info(EV_G, USTAT_EVENT_PROBE, "g", EV_G_RET, 1);
	set_info(EV_G_RET, USTAT_EVENT_RETPROBE, "g%return", EV_G, 1);
	set_info(EV_H, USTAT_EVENT_PROBE, "h+0x4", -1, -1);
	infos.ev = ev_info;
	infos.nr = NR_EV;
	infos.nr_funcs = 2;
	if (ustat_agg__init(&agg, &infos))
		return -1;
	*state = &agg;
	return 0;
}

static int teardown_agg(void **state)
{
	ustat_agg__exit(*state);
	return 0;
}

static void hit(struct ustat_agg *agg, int idx, u32 cpu, u32 tid, u64 time)
{
	assert_int_equal(ustat_agg__sample(agg, idx, cpu, tid, time), 0);
}

/* The latency histogram of entry probe IDX holds exactly VALS. */
static void check_lat(const struct ustat_agg *agg, int idx, const u64 *vals, int nr)
{
	const struct ustat_hist *h = agg->probes[idx].lat;
	u64 sum = 0, min = ~0ULL, max = 0;
	int i;

	assert_non_null(h);
	for (i = 0; i < nr; i++) {
		sum += vals[i];
		min = vals[i] < min ? vals[i] : min;
		max = vals[i] > max ? vals[i] : max;
		/* Values below 32 are counted exactly, one bucket each. */
		assert_true(vals[i] < USTAT_HIST_SUB);
	}
	assert_int_equal(h->count, nr);
	assert_int_equal(h->sum, sum);
	assert_int_equal(h->min, min);
	assert_int_equal(h->max, max);
	for (i = 0; i < USTAT_HIST_SUB; i++) {
		int j, n = 0;

		for (j = 0; j < nr; j++)
			n += vals[j] == (u64)i;
		assert_int_equal(h->buckets[i], n);
	}
}

static void test_agg_nested_and_recursive(void **state)
{
	struct ustat_agg *agg = *state;
	static const u64 f_lat[] = { 25, 9, 4 }, g_lat[] = { 3, 5 };

	/* Thread 1: f { g {} g {} } on CPU 0. */
	hit(agg, EV_F, 0, 1, 100);
	hit(agg, EV_G, 0, 1, 101);
	hit(agg, EV_G_RET, 0, 1, 104);		/* g: 3 */
	hit(agg, EV_G, 0, 1, 110);
	hit(agg, EV_G_RET, 0, 1, 115);		/* g: 5 */
	hit(agg, EV_F_RET, 0, 1, 125);		/* f: 25 */
	/* Thread 2: f recursing once, on CPU 1. */
	hit(agg, EV_F, 1, 2, 200);
	hit(agg, EV_F, 1, 2, 203);
	hit(agg, EV_F_RET, 1, 2, 207);		/* inner f: 4 */
	hit(agg, EV_F_RET, 1, 2, 209);		/* outer f: 9 */
	ustat_agg__finish(agg);

	check_lat(agg, EV_F, f_lat, 3);
	check_lat(agg, EV_G, g_lat, 2);
	/* Return probes and unpaired probes carry no histogram. */
	assert_null(agg->probes[EV_F_RET].lat);
	assert_null(agg->probes[EV_H].lat);
	assert_int_equal(agg->probes[EV_F].hits, 3);
	assert_int_equal(agg->probes[EV_F_RET].hits, 3);
	assert_int_equal(agg->probes[EV_G].hits, 2);
	assert_int_equal(agg->probes[EV_F_RET].unmatched, 0);
	assert_int_equal(agg->probes[EV_F].open_entries, 0);
	assert_int_equal(agg->samples, 10);
	assert_int_equal(agg->first_time, 100);
	assert_int_equal(agg->last_time, 209);
}

/* Recursion 5 deep on one thread, through the aggregation. */
static void test_agg_recursion_depth_5(void **state)
{
	struct ustat_agg *agg = *state;
	static const u64 want[] = { 1, 3, 6, 10, 15 };
	u64 t = 1000;
	int i;

	for (i = 0; i < 5; i++)
		hit(agg, EV_F, 2, 42, t + i);	/* entries at 1000 .. 1004 */
	/* Returns at 1005, 1006, 1008, 1011, 1015 close 1004, 1003, ... 1000. */
	hit(agg, EV_F_RET, 2, 42, 1005);	/* 1005 - 1004 = 1 */
	hit(agg, EV_F_RET, 2, 42, 1006);	/* 1006 - 1003 = 3 */
	hit(agg, EV_F_RET, 2, 42, 1008);	/* 1008 - 1002 = 6 */
	hit(agg, EV_F_RET, 2, 42, 1011);	/* 1011 - 1001 = 10 */
	hit(agg, EV_F_RET, 2, 42, 1015);	/* 1015 - 1000 = 15 */
	ustat_agg__finish(agg);
	check_lat(agg, EV_F, want, 5);
	assert_int_equal(agg->pairing.too_deep, 0);
}

static void test_agg_two_threads_interleaved(void **state)
{
	struct ustat_agg *agg = *state;
	static const u64 want[] = { 7, 20 };

	hit(agg, EV_F, 0, 10, 100);
	hit(agg, EV_F, 1, 11, 103);
	hit(agg, EV_F_RET, 0, 10, 120);		/* thread 10: 20 */
	hit(agg, EV_F_RET, 1, 11, 110);		/* thread 11: 7 */
	ustat_agg__finish(agg);
	check_lat(agg, EV_F, want, 2);
}

static void test_agg_unmatched_and_open(void **state)
{
	struct ustat_agg *agg = *state;
	static const u64 want[] = { 2 };

	hit(agg, EV_F_RET, 0, 5, 10);		/* entry before the recording */
	hit(agg, EV_G_RET, 0, 5, 11);
	hit(agg, EV_F, 0, 5, 20);
	hit(agg, EV_F_RET, 0, 5, 22);		/* 2 */
	hit(agg, EV_F, 0, 5, 30);		/* still running at the end */
	hit(agg, EV_F, 0, 6, 31);
	hit(agg, EV_G, 0, 6, 32);
	/* No thread id: counted, never paired. */
	hit(agg, EV_F, 0, (u32)-1, 33);
	hit(agg, EV_F_RET, 0, (u32)-1, 34);
	ustat_agg__finish(agg);
	check_lat(agg, EV_F, want, 1);
	assert_int_equal(agg->probes[EV_F_RET].unmatched, 1);
	assert_int_equal(agg->probes[EV_G_RET].unmatched, 1);
	assert_int_equal(agg->pairing.unmatched_returns, 2);
	assert_int_equal(agg->probes[EV_F].open_entries, 2);
	assert_int_equal(agg->probes[EV_G].open_entries, 1);
	assert_int_equal(agg->probes[EV_F].hits, 4);
	assert_int_equal(agg->probes[EV_F_RET].hits, 3);
}

static void test_agg_too_deep(void **state)
{
	struct ustat_agg *agg = *state;
	int i;

	for (i = 0; i < USTAT_URETPROBE_DEPTH + 6; i++)
		hit(agg, EV_G, 3, 77, 1000 + i);
	ustat_agg__finish(agg);
	assert_int_equal(agg->pairing.too_deep, 1);
	assert_int_equal(agg->probes[EV_G].open_entries, USTAT_URETPROBE_DEPTH + 6);
}

/* Hits per CPU add up to the hits, for each probe and for all. */
static void test_agg_hits_per_cpu(void **state)
{
	/* hits[probe][cpu] for CPUs 0, 3, 70 and 200 */
	static const u32 cpus[] = { 0, 3, 70, 200 };
	static const int hits[NR_EV][4] = {
		{ 5, 0, 2, 1 }, { 1, 1, 1, 1 }, { 0, 0, 0, 9 }, { 0, 0, 0, 0 }, { 3, 2, 0, 0 },
	};
	struct ustat_agg *agg = *state;
	u64 total = 0, cpu_total[4] = { 0 };
	int p, c, k;
	u64 t = 1;

	for (p = 0; p < NR_EV; p++) {
		for (c = 0; c < 4; c++) {
			/* thread -1: only the counting is under test here */
			for (k = 0; k < hits[p][c]; k++)
				hit(agg, p, cpus[c], (u32)-1, t++);
			total += hits[p][c];
			cpu_total[c] += hits[p][c];
		}
	}
	/* A CPU number no machine has: counted as a hit, under no CPU. */
	hit(agg, EV_H, USTAT_MAX_CPUS, (u32)-1, t++);

	assert_int_equal(agg->samples, total + 1);
	assert_int_equal(agg->bad_cpu, 1);
	assert_int_equal(agg->nr_cpus, 201);
	assert_true(agg->cpu_cap >= 201);
	for (p = 0; p < NR_EV; p++) {
		u64 sum = 0;
		u32 cpu;

		for (c = 0; c < 4; c++)
			assert_int_equal(agg->probes[p].cpu_hits[cpus[c]], hits[p][c]);
		for (cpu = 0; cpu < agg->nr_cpus; cpu++)
			sum += agg->probes[p].cpu_hits[cpu];
		assert_int_equal(sum + (p == EV_H), agg->probes[p].hits);
	}
	for (c = 0; c < 4; c++)
		assert_int_equal(agg->cpu_hits[cpus[c]], cpu_total[c]);
	assert_int_equal(agg->cpu_hits[1], 0);
	assert_int_equal(agg->cpu_hits[199], 0);
}

static void test_agg_lost_per_cpu(void **state)
{
	struct ustat_agg *agg = *state;

	ustat_agg__lost(agg, 2, 5);
	ustat_agg__lost(agg, 2, 3);
	ustat_agg__lost(agg, 130, 1);
	ustat_agg__lost(agg, (u32)-1, 4);	/* record without a CPU */
	assert_int_equal(agg->lost, 13);
	assert_int_equal(agg->lost_records, 4);
	assert_int_equal(agg->cpu_lost[2], 8);
	assert_int_equal(agg->cpu_lost[130], 1);
	assert_int_equal(agg->cpu_lost[0], 0);
	assert_int_equal(agg->lost_unknown_cpu, 4);
	assert_int_equal(agg->nr_cpus, 131);
	/* Losses are not hits. */
	assert_int_equal(agg->samples, 0);
	assert_int_equal(agg->cpu_hits[2], 0);
}

static void test_agg_bad_index(void **state)
{
	struct ustat_agg *agg = *state;

	assert_int_equal(ustat_agg__sample(agg, NR_EV, 0, 1, 1), -EINVAL);
	assert_int_equal(ustat_agg__sample(agg, -1, 0, 1, 1), -EINVAL);
	assert_int_equal(agg->samples, 0);
}

#define agg_test(f)	cmocka_unit_test_setup_teardown(f, setup_agg, teardown_agg)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_two_functions),
		cmocka_unit_test(test_recursion_depth_5),
		cmocka_unit_test(test_two_threads_interleaved),
		cmocka_unit_test(test_unmatched_returns),
		cmocka_unit_test(test_open_entries),
		cmocka_unit_test(test_too_deep),
		agg_test(test_agg_nested_and_recursive),
		agg_test(test_agg_recursion_depth_5),
		agg_test(test_agg_two_threads_interleaved),
		agg_test(test_agg_unmatched_and_open),
		agg_test(test_agg_too_deep),
		agg_test(test_agg_hits_per_cpu),
		agg_test(test_agg_lost_per_cpu),
		agg_test(test_agg_bad_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
