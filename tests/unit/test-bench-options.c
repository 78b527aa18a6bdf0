// SPDX-License-Identifier: GPL-2.0
/*
 * bench's option values (bench-options.c): what is accepted, and that
 * what is not gives an error naming the option and the value at fault.
 */
#include "unit.h"
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define K(kind)	(1U << (kind))

static void test_kinds(void **state)
{
	unsigned int kinds;
	char err[256];

	assert_int_equal(bench_parse_kinds("nop5", &kinds, err, sizeof(err)), 0);
	assert_int_equal(kinds, K(BENCH_NOP5));
	assert_int_equal(bench_parse_kinds("base,nop5,int3,xol,ret", &kinds, err, sizeof(err)), 0);
	assert_int_equal(kinds, K(BENCH_BASE) | K(BENCH_NOP5) | K(BENCH_INT3) | K(BENCH_XOL) |
				K(BENCH_RET));
	assert_int_equal(bench_parse_kinds("all", &kinds, err, sizeof(err)), 0);
	assert_int_equal(kinds, (1U << BENCH_NR_KINDS) - 1);
	/* Order does not matter: runs always go base, nop5, int3, xol, ret. */
	assert_int_equal(bench_parse_kinds("ret,int3", &kinds, err, sizeof(err)), 0);
	assert_int_equal(kinds, K(BENCH_INT3) | K(BENCH_RET));
}

static void test_kinds_errors(void **state)
{
	unsigned int kinds;
	char err[256];

	assert_int_not_equal(bench_parse_kinds("nop5,frob", &kinds, err, sizeof(err)), 0);
	assert_string_equal(err, "unknown --kind 'frob' (known: base, nop5, int3, xol, ret, all)");
	assert_int_not_equal(bench_parse_kinds("NOP5", &kinds, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "unknown --kind 'NOP5'"));
	assert_int_not_equal(bench_parse_kinds("nop5,", &kinds, err, sizeof(err)), 0);
	assert_string_equal(err, "--kind 'nop5,': empty kind in the list");
	assert_int_not_equal(bench_parse_kinds("", &kinds, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "empty kind"));
	assert_int_not_equal(bench_parse_kinds("xol,int3,xol", &kinds, err, sizeof(err)), 0);
	assert_string_equal(err, "--kind 'xol,int3,xol': 'xol' given twice");
}

static void test_threads(void **state)
{
	int *threads = NULL, nr = 0;
	char err[256];

	assert_int_equal(bench_parse_threads("1,2,4,64", &threads, &nr, err, sizeof(err)), 0);
	assert_int_equal(nr, 4);
	assert_int_equal(threads[0], 1);
	assert_int_equal(threads[3], 64);
	free(threads);
	/* Kept in the order given. */
	assert_int_equal(bench_parse_threads("8,1", &threads, &nr, err, sizeof(err)), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(threads[0], 8);
	assert_int_equal(threads[1], 1);
	free(threads);
}

static void test_threads_errors(void **state)
{
	int *threads = NULL, nr = 0;
	char err[256];

	assert_int_not_equal(bench_parse_threads("0", &threads, &nr, err, sizeof(err)), 0);
	assert_string_equal(err, "--threads '0': 0 threads: give 1 to 4096");
	assert_int_not_equal(bench_parse_threads("1,-2", &threads, &nr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "-2 threads"));
	assert_int_not_equal(bench_parse_threads("4097", &threads, &nr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "give 1 to 4096"));
	assert_int_not_equal(bench_parse_threads("2,x", &threads, &nr, err, sizeof(err)), 0);
	assert_string_equal(err, "--threads '2,x': 'x' is not a number of threads");
	assert_int_not_equal(bench_parse_threads("2,,4", &threads, &nr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "'' is not a number"));
	assert_int_not_equal(bench_parse_threads("3k", &threads, &nr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "'3k' is not a number"));
	assert_int_not_equal(bench_parse_threads("99999999999999999999", &threads, &nr,
						 err, sizeof(err)), 0);
	assert_non_null(strstr(err, "is not a number"));
	assert_int_not_equal(bench_parse_threads("2,1,2", &threads, &nr, err, sizeof(err)), 0);
	assert_string_equal(err, "--threads '2,1,2': 2 given twice");
	assert_null(threads);
}

static void test_seconds(void **state)
{
	char err[256];
	double s;

	assert_int_equal(bench_parse_seconds("--duration", "0.2", false, &s, err, sizeof(err)), 0);
	assert_true(s > 0.19999 && s < 0.20001);
	assert_int_equal(bench_parse_seconds("--duration", "5", false, &s, err, sizeof(err)), 0);
	assert_true(s == 5);
	assert_int_equal(bench_parse_seconds("--warmup", "0", true, &s, err, sizeof(err)), 0);
	assert_true(s == 0);
	assert_int_equal(bench_parse_seconds("--duration", "3600", false, &s, err, sizeof(err)), 0);
}

static void test_seconds_errors(void **state)
{
	char err[256];
	double s;

	assert_int_not_equal(bench_parse_seconds("--duration", "abc", false, &s, err, sizeof(err)), 0);
	assert_string_equal(err, "--duration 'abc': not a number of seconds");
	assert_int_not_equal(bench_parse_seconds("--duration", "1s", false, &s, err, sizeof(err)), 0);
	assert_string_equal(err, "--duration '1s': not a number of seconds");
	assert_int_not_equal(bench_parse_seconds("--duration", "", false, &s, err, sizeof(err)), 0);
	assert_int_not_equal(bench_parse_seconds("--duration", "nan", false, &s, err, sizeof(err)), 0);
	assert_int_not_equal(bench_parse_seconds("--duration", "inf", false, &s, err, sizeof(err)), 0);
	assert_int_not_equal(bench_parse_seconds("--duration", "0", false, &s, err, sizeof(err)), 0);
	assert_string_equal(err, "--duration 0: must be at least 0.001 seconds");
	assert_int_not_equal(bench_parse_seconds("--warmup", "-1", true, &s, err, sizeof(err)), 0);
	assert_string_equal(err, "--warmup -1: must be 0 or more seconds");
	assert_int_not_equal(bench_parse_seconds("--duration", "3601", false, &s, err, sizeof(err)), 0);
	assert_string_equal(err, "--duration 3601: at most 3600 seconds");
}

static void check_default(int nr_cpus, const int *want, int nr_want)
{
	int *threads, nr, i;

	assert_int_equal(bench_default_threads(nr_cpus, &threads, &nr), 0);
	assert_int_equal(nr, nr_want);
	for (i = 0; i < nr; i++)
		assert_int_equal(threads[i], want[i]);
	free(threads);
}

static void test_default_threads(void **state)
{
	const int one[] = { 1 }, two[] = { 1, 2 }, six[] = { 1, 2, 4, 6 };
	const int eighty[] = { 1, 2, 4, 8, 16, 32, 64, 80 };

	check_default(1, one, 1);
	check_default(2, two, 2);
	check_default(6, six, 4);
	check_default(80, eighty, 8);
	check_default(0, one, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_kinds_errors),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_threads_errors),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_seconds_errors),
		cmocka_unit_test(test_default_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
