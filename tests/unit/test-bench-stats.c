// SPDX-License-Identifier: GPL-2.0
/*
 * bench's statistics (bench-stats.c): mean and sample standard deviation
 * over the repeats, rates from counts and windows, what a hit costs a
 * thread, and its cost above the unprobed call.
 */
#include "unit.h"
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* cmocka 1.1's assert_near() works in float: too coarse for rates. */
#define assert_near(a, b, eps)	check_near((a), (b), (eps), #a, __LINE__)

static void check_near(double a, double b, double eps, const char *what, int line)
{
	if (fabs(a - b) > eps)
		fail_msg("line %d: %s is %.12g, expected %.12g (within %g)", line, what, a, b, eps);
}

static void test_stat_known_values(void **state)
{
	/* Mean 5; squares of deviations sum to 32; 32 / (8 - 1). */
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct bench_stat st;

	bench_stat__compute(&st, v, 8);
	assert_int_equal(st.n, 8);
	assert_near(st.mean, 5.0, 1e-12);
	assert_near(st.stddev, sqrt(32.0 / 7.0), 1e-12);
}

static void test_stat_one_and_none(void **state)
{
	const double one = 3.25;
	struct bench_stat st;

	bench_stat__compute(&st, &one, 1);
	assert_near(st.mean, 3.25, 0);
	assert_near(st.stddev, 0, 0);
	bench_stat__compute(&st, NULL, 0);
	assert_int_equal(st.n, 0);
	assert_near(st.mean, 0, 0);
	assert_near(st.stddev, 0, 0);
}

/* Large, close values (as rates are): no cancellation in the deviation. */
static void test_stat_close_large_values(void **state)
{
	const double v[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
	struct bench_stat st;

	bench_stat__compute(&st, v, 3);
	assert_near(st.mean, 1e9 + 2, 1e-6);
	assert_near(st.stddev, 1.0, 1e-9);
}

/* A result of NR_THREADS threads and two repeats with these timed calls. */
static void make_result(struct bench_result *r, enum bench_kind kind, int nr_threads,
			const u64 *timed, u64 window_ns)
{
	unsigned int i;
	int t;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->nr_threads = nr_threads;
	r->ran = true;
	r->nr_repeats = 2;
	r->nr_alloc = 2;
	r->repeats = calloc(2, sizeof(*r->repeats));
	assert_non_null(r->repeats);
	for (i = 0; i < 2; i++) {
		r->repeats[i].window_ns = window_ns;
		r->repeats[i].threads = calloc(nr_threads, sizeof(*r->repeats[i].threads));
		assert_non_null(r->repeats[i].threads);
		for (t = 0; t < nr_threads; t++) {
			u64 n = timed[i * nr_threads + t];

			r->repeats[i].threads[t].timed = n;
			r->repeats[i].timed += n;
		}
	}
}

static void test_summarise_rates_and_costs(void **state)
{
	/* base: 2 threads, 100M calls each per 0.5 s: 400M/s, 5 ns a call. */
	const u64 base_timed[] = { 100000000, 100000000, 100000000, 100000000 };
	/* nop5: 2 threads; repeat 1: 300k + 200k, repeat 2: 250k + 250k, in 0.5 s. */
	const u64 nop5_timed[] = { 300000, 200000, 250000, 250000 };
	struct bench_result base, nop5;

	make_result(&base, BENCH_BASE, 2, base_timed, 500000000);
	make_result(&nop5, BENCH_NOP5, 2, nop5_timed, 500000000);
	bench_result__summarise(&base, &base);
	bench_result__summarise(&nop5, &base);

	assert_near(base.rate.mean, 400e6, 1e-3);
	assert_near(base.ns_per_hit, 5.0, 1e-9);
	assert_false(base.have_base);		/* base is not counted from itself */

	assert_near(nop5.rate.mean, 1e6, 1e-6);
	assert_near(nop5.rate.stddev, 0, 1e-6);
	/* Per thread, over the repeats: (600k + 500k) / 2 and (400k + 500k) / 2. */
	assert_near(nop5.thread_rate[0], 550e3, 1e-6);
	assert_near(nop5.thread_rate[1], 450e3, 1e-6);
	/* Each thread: 0.5M calls a second, 2000 ns a call; 1995 beyond base. */
	assert_near(nop5.ns_per_hit, 2000.0, 1e-9);
	assert_true(nop5.have_base);
	assert_near(nop5.ns_above_base, 1995.0, 1e-9);

	bench_result__exit(&base);
	bench_result__exit(&nop5);
}

static void test_summarise_skipped_run(void **state)
{
	struct bench_result r;

	memset(&r, 0, sizeof(r));
	r.kind = BENCH_XOL;
	r.nr_threads = 1;
	bench_result__summarise(&r, NULL);
	assert_null(r.thread_rate);
	assert_false(r.have_base);
	assert_near(r.ns_per_hit, 0, 0);
}

static void test_find(void **state)
{
	struct bench_result results[3];
	struct bench b = { .results = results, .nr_results = 3 };

	memset(results, 0, sizeof(results));
	results[0].kind = BENCH_BASE;
	results[0].nr_threads = 1;
	results[1].kind = BENCH_BASE;
	results[1].nr_threads = 2;
	results[2].kind = BENCH_XOL;
	results[2].nr_threads = 2;
	assert_ptr_equal(bench__find(&b, BENCH_BASE, 2), &results[1]);
	assert_ptr_equal(bench__find(&b, BENCH_XOL, 2), &results[2]);
	assert_null(bench__find(&b, BENCH_XOL, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_known_values),
		cmocka_unit_test(test_stat_one_and_none),
		cmocka_unit_test(test_stat_close_large_values),
		cmocka_unit_test(test_summarise_rates_and_costs),
		cmocka_unit_test(test_summarise_skipped_run),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
