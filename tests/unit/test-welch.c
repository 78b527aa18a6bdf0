// SPDX-License-Identifier: GPL-2.0
/*
 * welch.c: the regularized incomplete beta function against closed forms,
 * Student's t two-sided p-values against closed forms and published
 * critical values, and Welch's test on a textbook example.
 */
#include "unit.h"
#include "bench.h"
#include "welch.h"

#include <math.h>

#define assert_near(a, b, eps)	check_near((a), (b), (eps), #a, __LINE__)

static void check_near(double a, double b, double eps, const char *what, int line)
{
	if (!(fabs(a - b) <= eps))
		fail_msg("line %d: %s is %.12g, expected %.12g (within %g)", line, what, a, b, eps);
}

static void test_betainc_closed_forms(void **state)
{
	double x;

	for (x = 0.05; x < 1; x += 0.1) {
		assert_near(ustat_betainc(1, 1, x), x, 1e-12);
		/* I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b */
		assert_near(ustat_betainc(3.5, 1, x), pow(x, 3.5), 1e-12);
		assert_near(ustat_betainc(1, 7, x), 1 - pow(1 - x, 7), 1e-12);
		/* Symmetry: I_x(a, b) = 1 - I_(1-x)(b, a) */
		assert_near(ustat_betainc(2.5, 0.5, x), 1 - ustat_betainc(0.5, 2.5, 1 - x), 1e-12);
	}
	assert_near(ustat_betainc(4, 4, 0.5), 0.5, 1e-12);
	assert_near(ustat_betainc(40, 40, 0.5), 0.5, 1e-12);
	assert_near(ustat_betainc(2, 3, 0), 0, 0);
	assert_near(ustat_betainc(2, 3, 1), 1, 0);
	/* I_0.3(2, 3) = sum_{j=2..4} C(4, j) 0.3^j 0.7^(4-j) */
	assert_near(ustat_betainc(2, 3, 0.3), 6 * 0.09 * 0.49 + 4 * 0.027 * 0.7 + 0.0081, 1e-12);
}

static void test_t_closed_forms(void **state)
{
	double t;

	for (t = 0; t < 20; t += 0.7) {
		/* df 1 is Cauchy: p = 1 - 2 atan(t) / pi; df 2: 1 - t / sqrt(2 + t^2) */
		assert_near(ustat_t_two_sided_p(t, 1), 1 - 2 * atan(t) / M_PI, 1e-10);
		assert_near(ustat_t_two_sided_p(-t, 2), 1 - t / sqrt(2 + t * t), 1e-10);
	}
	assert_near(ustat_t_two_sided_p(INFINITY, 3), 0, 0);
	assert_near(ustat_t_two_sided_p(NAN, 3), 1, 0);
}

/* Two-sided 5 % critical values of Student's t, from any table. */
static void test_t_critical_values(void **state)
{
	static const struct { double df, t; } crit[] = {
		{ 1, 12.706205 }, { 2, 4.302653 }, { 3, 3.182446 }, { 4, 2.776445 },
		{ 10, 2.228139 }, { 30, 2.042272 }, { 1000, 1.962339 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(crit) / sizeof(crit[0]); i++)
		assert_near(ustat_t_two_sided_p(crit[i].t, crit[i].df), 0.05, 1e-6);
	/* 1 % at df 5 */
	assert_near(ustat_t_two_sided_p(4.032143, 5), 0.01, 1e-6);
	/* A large df tends to the normal: 1.959964 is its 5 % point. */
	assert_near(ustat_t_two_sided_p(1.959964, 1e7), 0.05, 1e-5);
}

/*
 * Wikipedia's "Welch's t-test" example 1: t = -2.46, df = 24.99, p = 0.021
 * (two-sided; p = 0.021378 by numerical integration of the t density).
 */
static void test_welch_textbook(void **state)
{
	const double a[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6,
			     23.1, 19.6, 19.0, 21.7, 21.4 };
	const double b[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2,
			     21.9, 22.1, 22.9, 20.5, 24.4 };
	struct bench_stat sa, sb;
	struct ustat_welch w;

	bench_stat__compute(&sa, a, 15);
	bench_stat__compute(&sb, b, 15);
	ustat_welch(sb.mean, sb.stddev, sb.n, sa.mean, sa.stddev, sa.n, &w);
	assert_true(w.valid);
	assert_near(w.t, -2.455356, 0.000001);
	assert_near(w.df, 24.9885, 0.0001);
	assert_near(w.p, 0.021378, 0.000002);
	/* The test is symmetric in its sides, up to the sign of t. */
	ustat_welch(sa.mean, sa.stddev, sa.n, sb.mean, sb.stddev, sb.n, &w);
	assert_near(w.t, 2.455356, 0.000001);
	assert_near(w.p, 0.021378, 0.000002);
}

static void test_welch_edges(void **state)
{
	struct ustat_welch w;

	/* One repeat on a side: no test. */
	ustat_welch(10, 1, 1, 20, 1, 3, &w);
	assert_false(w.valid);
	/* No spread: equal means are no difference, unequal ones are beyond noise. */
	ustat_welch(10, 0, 3, 10, 0, 3, &w);
	assert_true(w.valid);
	assert_near(w.p, 1, 0);
	ustat_welch(10, 0, 3, 11, 0, 3, &w);
	assert_near(w.p, 0, 0);
	assert_true(isinf(w.t) && w.t > 0);
	/* Identical samples: t 0, p 1. */
	ustat_welch(5, 2, 4, 5, 2, 4, &w);
	assert_near(w.t, 0, 0);
	assert_near(w.p, 1, 1e-12);
	/* Equal sizes and spreads: df = 2 (n - 1). */
	ustat_welch(5, 2, 4, 9, 2, 4, &w);
	assert_near(w.df, 6, 1e-12);
	assert_near(w.t, 4 / sqrt(2.0), 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_betainc_closed_forms),
		cmocka_unit_test(test_t_closed_forms),
		cmocka_unit_test(test_t_critical_values),
		cmocka_unit_test(test_welch_textbook),
		cmocka_unit_test(test_welch_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
