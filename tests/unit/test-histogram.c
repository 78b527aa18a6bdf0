// SPDX-License-Identifier: GPL-2.0
#include "unit.h"
#include "histogram.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_values_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
