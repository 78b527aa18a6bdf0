// SPDX-License-Identifier: GPL-2.0
/*
 * dl.c: a library and its calls loaded together, or nothing: a missing
 * library or call leaves no slot set and says which.
 */
#include "unit.h"
#include "dl.h"

#include <dlfcn.h>
#include <string.h>

static size_t (*my_strlen)(const char *s);
static int (*my_abs)(int j);
static void *missing;

static void test_loads_all(void **state)
{
	const struct ustat_dl_sym syms[] = {
		{ "strlen", (void **)&my_strlen },
		{ "abs", (void **)&my_abs },
	};
	char err[256] = "";
	void *h = ustat_dl__open("libc.so.6", syms, 2, err, sizeof(err));

	(void)state;
	assert_non_null(h);
	assert_string_equal(err, "");
	assert_int_equal(my_strlen("uprobe"), 6);
	assert_int_equal(my_abs(-3), 3);
	dlclose(h);
}

static void test_missing_call(void **state)
{
	const struct ustat_dl_sym syms[] = {
		{ "strlen", (void **)&my_strlen },
		{ "no_such_call_in_libc", &missing },
	};
	char err[256] = "";

	(void)state;
	my_strlen = NULL;
	assert_null(ustat_dl__open("libc.so.6", syms, 2, err, sizeof(err)));
	assert_null(my_strlen);
	assert_null(missing);
	assert_string_equal(err, "libc.so.6 has no no_such_call_in_libc");
}

static void test_missing_library(void **state)
{
	const struct ustat_dl_sym syms[] = { { "strlen", (void **)&my_strlen } };
	char err[256] = "";

	(void)state;
	my_strlen = NULL;
	assert_null(ustat_dl__open("libno-such-library.so.9", syms, 1, err, sizeof(err)));
	assert_null(my_strlen);
	assert_non_null(strstr(err, "cannot load libno-such-library.so.9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_all),
		cmocka_unit_test(test_missing_call),
		cmocka_unit_test(test_missing_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
