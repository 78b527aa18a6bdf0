/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TEST_UNIT_H
#define __USTAT_TEST_UNIT_H

/* cmocka needs these before its header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Where the build put the test programs (the Makefile runs the tests from
 * the top of the tree).
 */
#define TEST_BIN_DIR	"build/tests"

/* A fixture file, whole and NUL-terminated; the test fails if it is missing. */
static inline char *unit_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = n;
	return buf;
}

#endif /* __USTAT_TEST_UNIT_H */
