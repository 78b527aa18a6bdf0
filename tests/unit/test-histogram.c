// SPDX-License-Identifier: GPL-2.0
#include "unit.h"
#include "histogram.h"

#include <stdlib.h>
#include <linux/kernel.h>

static void test_small_values_exact(void **state)
{
	struct ustat_hist h;
	u64 v;

	ustat_hist__init(&h);
	for (v = 1; v <= 20; v++)
		ustat_hist__add(&h, v);
	assert_int_equal(h.count, 20);
	assert_int_equal(h.min, 1);
	assert_int_equal(h.max, 20);
	assert_int_equal(ustat_hist__mean(&h), 10);	/* 210 / 20, rounded down */
	assert_int_equal(ustat_hist__percentile(&h, 50), 10);
	assert_int_equal(ustat_hist__percentile(&h, 90), 18);
	assert_int_equal(ustat_hist__percentile(&h, 99), 20);
}


/* Each bucket by hand: value, its bucket, the top of that bucket. */
static void test_bucket_boundaries(void **state)
{
	static const struct {
		u64		v;
		unsigned int	bucket;
		u64		high;
	} cases[] = {
		{ 0, 0, 0 },
		{ 31, 31, 31 },
		/* 32..63: the first power of two split in 32, still one value each */
		{ 32, 32, 32 },
		{ 33, 33, 33 },
		{ 63, 63, 63 },
		/* 64..127: 32 buckets of 2 */
		{ 64, 64, 65 },
		{ 65, 64, 65 },
		{ 66, 65, 67 },
		{ 127, 95, 127 },
		{ 128, 96, 131 },
		/* 512..1023: buckets of 16; 1000 is in [512 + 30 * 16, +15] */
		{ 1000, 5 * 32 + 30, 1007 },
		/* 2^40: the first bucket of its power, 2^35 wide */
		{ 1ULL << 40, 36 * 32, (1ULL << 40) + (1ULL << 35) - 1 },
		{ (1ULL << 40) - 1, 35 * 32 + 31, (1ULL << 40) - 1 },
		{ UINT64_MAX, USTAT_HIST_BUCKETS - 1, UINT64_MAX },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int b = ustat_hist__bucket(cases[i].v);

		if (b != cases[i].bucket || ustat_hist__bucket_high(b) != cases[i].high)
			fail_msg("value %llu: bucket %u high %llu, want bucket %u high %llu",
				 (unsigned long long)cases[i].v, b,
				 (unsigned long long)ustat_hist__bucket_high(b), cases[i].bucket,
				 (unsigned long long)cases[i].high);
	}
}

/*
 * Around every power of two: a value lies in its bucket (above the previous
 * bucket's top, at most its own top), and no bucket is wider than 1/32 of
 * the values it holds.
 */
static void test_bucket_invariants(void **state)
{
	unsigned int e, b, prev = 0;
	u64 prev_v = 0;
	int d;

	for (e = 0; e < 64; e++) {
		for (d = -1; d <= 1; d++) {
			u64 v = (1ULL << e) + d;
			u64 high;

			if ((e == 0 && d < 0) || v <= prev_v)
				continue;
			b = ustat_hist__bucket(v);
			assert_true(b < USTAT_HIST_BUCKETS);
			assert_true(b >= prev);		/* monotonic */
			prev = b;
			prev_v = v;
			high = ustat_hist__bucket_high(b);
			assert_true(high >= v);
			if (b)
				assert_true(ustat_hist__bucket_high(b - 1) < v);
			assert_true(high - v <= v / USTAT_HIST_SUB);
		}
	}
	/* Every bucket's top maps back to that bucket, and tops increase. */
	for (b = 0; b < USTAT_HIST_BUCKETS; b++) {
		assert_int_equal(ustat_hist__bucket(ustat_hist__bucket_high(b)), b);
		if (b)
			assert_true(ustat_hist__bucket_high(b) > ustat_hist__bucket_high(b - 1));
	}
}

/* 1..100000: the exact p-th percentile is ceil(p / 100 * 100000) itself. */
static void test_percentiles_large_distribution(void **state)
{
	static const struct {
		double	pct;
		u64	exact;
	} cases[] = {
		{ 0.001, 1 }, { 1, 1000 }, { 10, 10000 }, { 25, 25000 }, { 50, 50000 },
		{ 75, 75000 }, { 90, 90000 }, { 99, 99000 }, { 99.9, 99900 },
		{ 99.99, 99990 },
	};
	struct ustat_hist *h = malloc(sizeof(*h));
	size_t i;
	u64 v;

	assert_non_null(h);
	ustat_hist__init(h);
	for (v = 100000; v >= 1; v--)		/* order must not matter */
		ustat_hist__add(h, v);
	assert_int_equal(h->count, 100000);
	assert_int_equal(h->sum, 5000050000ULL);
	assert_int_equal(h->min, 1);
	assert_int_equal(h->max, 100000);
	assert_int_equal(ustat_hist__mean(h), 50000);	/* 50000.5 rounded down */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 got = ustat_hist__percentile(h, cases[i].pct);
		u64 exact = cases[i].exact;

		/* The top of the bucket: never below, at most 1/32 above. */
		if (got < exact || got - exact > exact / 32)
			fail_msg("p%g = %llu, exact %llu", cases[i].pct,
				 (unsigned long long)got, (unsigned long long)exact);
	}
	assert_int_equal(ustat_hist__percentile(h, 0), 1);
	assert_int_equal(ustat_hist__percentile(h, 100), 100000);
	free(h);
}

/* Two clusters far apart: each percentile lands in the right one. */
static void test_percentiles_bimodal(void **state)
{
	struct ustat_hist *h = malloc(sizeof(*h));
	int i;

	assert_non_null(h);
	ustat_hist__init(h);
	for (i = 0; i < 1000; i++)
		ustat_hist__add(h, 10);
	for (i = 0; i < 10; i++)
		ustat_hist__add(h, 1000000000);
	/* 1010 values: rank ceil(0.99 * 1010) = 1000 is the last 10 */
	assert_int_equal(ustat_hist__percentile(h, 99), 10);
	/* rank ceil(0.995 * 1010) = 1005: the top cluster, clamped to max */
	assert_int_equal(ustat_hist__percentile(h, 99.5), 1000000000);
	assert_int_equal(ustat_hist__mean(h), (10000 + 10000000000ULL) / 1010);
	free(h);
}

/* One value: every percentile is that value, not its bucket's top. */
static void test_percentile_single_value(void **state)
{
	struct ustat_hist h;

	ustat_hist__init(&h);
	ustat_hist__add(&h, 1000);		/* bucket [992, 1007] */
	assert_int_equal(ustat_hist__percentile(&h, 1), 1000);
	assert_int_equal(ustat_hist__percentile(&h, 50), 1000);
	assert_int_equal(ustat_hist__percentile(&h, 99.9), 1000);
}

static u64 lcg(u64 *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 20;
}

/* Merging equals adding every value to one histogram. */
static void test_merge(void **state)
{
	struct ustat_hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct ustat_hist *all = malloc(sizeof(*all)), *empty = malloc(sizeof(*empty));
	u64 x = 1;
	int i;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(all);
	assert_non_null(empty);
	ustat_hist__init(a);
	ustat_hist__init(b);
	ustat_hist__init(all);
	ustat_hist__init(empty);
	for (i = 0; i < 5000; i++) {
		u64 v = lcg(&x) >> (i % 40);	/* all magnitudes */

		ustat_hist__add(i % 3 ? a : b, v);
		ustat_hist__add(all, v);
	}
	ustat_hist__add(b, 0);			/* the smallest value is in the source */
	ustat_hist__add(all, 0);
	ustat_hist__merge(a, b);
	assert_memory_equal(a, all, sizeof(*a));
	assert_int_equal(a->min, 0);

	/* An empty source changes nothing; an empty destination becomes a copy. */
	ustat_hist__merge(a, empty);
	assert_memory_equal(a, all, sizeof(*a));
	ustat_hist__merge(empty, all);
	assert_memory_equal(empty, all, sizeof(*all));
	free(a);
	free(b);
	free(all);
	free(empty);
}

/* A destination that is empty takes the source's min, even above 0. */
static void test_merge_into_empty_min(void **state)
{
	struct ustat_hist dst, src;

	ustat_hist__init(&dst);
	ustat_hist__init(&src);
	ustat_hist__add(&src, 500);
	ustat_hist__add(&src, 700);
	ustat_hist__merge(&dst, &src);
	assert_int_equal(dst.min, 500);
	assert_int_equal(dst.max, 700);
	assert_int_equal(dst.count, 2);
	/* rank 1 is 500, in bucket [496, 503]: its top, within [min, max] */
	assert_int_equal(ustat_hist__percentile(&dst, 50), 503);
}

static void test_empty(void **state)
{
	struct ustat_hist h;

	ustat_hist__init(&h);
	assert_int_equal(ustat_hist__percentile(&h, 0), 0);
	assert_int_equal(ustat_hist__percentile(&h, 50), 0);
	assert_int_equal(ustat_hist__percentile(&h, 100), 0);
	assert_int_equal(ustat_hist__mean(&h), 0);
	assert_int_equal(h.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_values_exact),
		cmocka_unit_test(test_bucket_boundaries),
		cmocka_unit_test(test_bucket_invariants),
		cmocka_unit_test(test_percentiles_large_distribution),
		cmocka_unit_test(test_percentiles_bimodal),
		cmocka_unit_test(test_percentile_single_value),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_into_empty_min),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
