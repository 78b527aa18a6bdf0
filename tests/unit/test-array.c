// SPDX-License-Identifier: GPL-2.0
/*
 * array.h: appending one at a time keeps every element and grows the
 * capacity geometrically; a size the capacity's type or size_t cannot
 * count fails with the array left as it was.
 */
#include "unit.h"
#include "array.h"

#include <stdint.h>
#include <stdlib.h>
#include <linux/types.h>

static void test_append(void **state)
{
	int *v = NULL, nr = 0, cap = 0, i, grows = 0, last = 0;

	for (i = 0; i < 100000; i++) {
		assert_int_equal(ustat_array_grow(v, cap, nr + 1), 0);
		assert_true(cap >= nr + 1);
		if (cap != last)
			grows++;
		last = cap;
		v[nr++] = i;
	}
	for (i = 0; i < nr; i++)
		assert_int_equal(v[i], i);
	assert_true(grows <= 20);	/* 16 << 13 > 100000 */
	/* Room enough: nothing moves. */
	assert_int_equal(ustat_array_grow(v, cap, 5), 0);
	assert_int_equal(cap, last);
	free(v);
}

static void test_need_more_than_double(void **state)
{
	u64 *v = NULL;
	u32 cap = 0;

	assert_int_equal(ustat_array_grow(v, cap, 1000), 0);
	assert_true(cap >= 1000);
	v[999] = 1;
	free(v);
}

static void test_overflow(void **state)
{
	char *c = NULL;
	u8 cap8 = 0;
	u64 *big = NULL;
	size_t cap = 0;
	int icap = 0;
	int *iv = NULL;

	/* u8 counts to 255: 256 elements cannot be counted. */
	assert_int_equal(ustat_array_grow(c, cap8, 255), 0);
	assert_int_equal(cap8, 255);
	assert_int_equal(ustat_array_grow(c, cap8, 256), -ENOMEM);
	assert_int_equal(cap8, 255);
	assert_non_null(c);
	c[254] = 'x';
	free(c);
	/* n * size past SIZE_MAX */
	assert_int_equal(ustat_array_grow(big, cap, SIZE_MAX / 4), -ENOMEM);
	assert_null(big);
	assert_int_equal(cap, 0);
	/* past INT_MAX for an int capacity */
	assert_int_equal(ustat_array_grow(iv, icap, (size_t)INT32_MAX + 1), -ENOMEM);
	assert_int_equal(icap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_need_more_than_double),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
