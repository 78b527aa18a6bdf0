// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-stat's metadata records (meta.h): the text they are written as,
 * escaping that survives a round trip, and lookups of keys that are
 * missing, prefixes of others, or numbers.
 */
#include "unit.h"
#include "meta.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>

static void test_record_text(void **state)
{
	struct ustat_meta_buf b = { 0 };

	assert_int_equal(ustat_meta__begin(&b, "event"), 0);
	assert_int_equal(ustat_meta__add_u64(&b, "idx", 1), 0);
	assert_int_equal(ustat_meta__add(&b, "spec", "work%return"), 0);
	assert_int_equal(ustat_meta__add(&b, "binary", "/usr/bin/x"), 0);
	assert_int_equal(ustat_meta__add(&b, "empty", NULL), 0);
	assert_string_equal(b.s, "event\tidx=1\tspec=work%25return\tbinary=/usr/bin/x\tempty=");
	assert_int_equal(b.len, strlen(b.s));

	/* begin starts a new record in the same buffer */
	assert_int_equal(ustat_meta__begin(&b, "session"), 0);
	assert_string_equal(b.s, "session");
	ustat_meta__free(&b);
	assert_null(b.s);
}

/* Tab, newline and '%' are escaped so a record stays one line of fields. */
static void test_escape_round_trip(void **state)
{
	static const char *const vals[] = {
		"a\tb", "line1\nline2", "100%", "%25", "%%", "\t\n%", "", "plain text",
		"key=value", "x\ty=1",
	};
	struct ustat_meta_buf b = { 0 };
	char got[128], key[16];
	size_t i;

	assert_int_equal(ustat_meta__begin(&b, "test"), 0);
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ustat_meta__add(&b, key, vals[i]), 0);
	}
	/* One line, tabs only between fields: kind + one per value. */
	assert_null(strchr(b.s, '\n'));
	{
		size_t tabs = 0;
		const char *p;

		for (p = b.s; *p; p++)
			tabs += *p == '\t';
		assert_int_equal(tabs, ARRAY_SIZE(vals));
	}
	assert_non_null(strstr(b.s, "\tk0=a%09b\t"));
	assert_non_null(strstr(b.s, "\tk1=line1%0aline2\t"));
	assert_non_null(strstr(b.s, "\tk2=100%25\t"));
	assert_non_null(strstr(b.s, "\tk3=%2525\t"));

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ustat_meta__get(b.s, key, got, sizeof(got)), strlen(vals[i]));
		assert_string_equal(got, vals[i]);
	}
	/* "x\ty=1" is one value: no key y appears */
	assert_int_equal(ustat_meta__get(b.s, "y", got, sizeof(got)), -1);
	ustat_meta__free(&b);
}

static void test_missing_and_prefix_keys(void **state)
{
	const char *rec = "event\tidx2=5\tname=x\tidx=7";
	char got[32];

	assert_int_equal(ustat_meta__get(rec, "missing", got, sizeof(got)), -1);
	/* "idx" is a prefix of "idx2": only the exact key matches */
	assert_int_equal(ustat_meta__get(rec, "idx", got, sizeof(got)), 1);
	assert_string_equal(got, "7");
	assert_int_equal(ustat_meta__get(rec, "id", got, sizeof(got)), -1);
	/* the kind is not a key */
	assert_int_equal(ustat_meta__get("idx\tfoo=1", "idx", got, sizeof(got)), -1);
	/* a value is not a key */
	assert_int_equal(ustat_meta__get(rec, "x", got, sizeof(got)), -1);
	assert_int_equal(ustat_meta__get("", "a", got, sizeof(got)), -1);
}

/* Readers decode escapes written in either case, and leave stray '%' alone. */
static void test_decode_edge_cases(void **state)
{
	char got[32];

	assert_int_equal(ustat_meta__get("k\ta=x%0Ay%0ez", "a", got, sizeof(got)), 5);
	assert_string_equal(got, "x\ny\x0ez");
	assert_int_equal(ustat_meta__get("k\ta=50%\tb=1", "a", got, sizeof(got)), 3);
	assert_string_equal(got, "50%");
	assert_int_equal(ustat_meta__get("k\ta=%zz", "a", got, sizeof(got)), 3);
	assert_string_equal(got, "%zz");
}

/* A value longer than the buffer is cut, still NUL-terminated. */
static void test_small_buffer(void **state)
{
	char got[4] = "???";

	assert_true(ustat_meta__get("k\ta=abcdef", "a", got, sizeof(got)) >= 0);
	assert_string_equal(got, "abc");
	assert_int_equal(ustat_meta__get("k\ta=abcdef", "a", got, 0), -1);
}

static void test_u64(void **state)
{
	struct ustat_meta_buf b = { 0 };
	unsigned long long v = 1;

	assert_int_equal(ustat_meta__begin(&b, "n"), 0);
	assert_int_equal(ustat_meta__add_u64(&b, "zero", 0), 0);
	assert_int_equal(ustat_meta__add_u64(&b, "max", UINT64_MAX), 0);
	assert_int_equal(ustat_meta__add_u64(&b, "mid", 1234567890123ULL), 0);
	assert_int_equal(ustat_meta__add(&b, "word", "12abc"), 0);
	assert_int_equal(ustat_meta__add(&b, "empty", ""), 0);
	assert_string_equal(b.s, "n\tzero=0\tmax=18446744073709551615\tmid=1234567890123"
				 "\tword=12abc\tempty=");

	assert_int_equal(ustat_meta__get_u64(b.s, "zero", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ustat_meta__get_u64(b.s, "max", &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(ustat_meta__get_u64(b.s, "mid", &v), 0);
	assert_int_equal(v, 1234567890123ULL);
	v = 99;
	assert_int_equal(ustat_meta__get_u64(b.s, "word", &v), -1);
	assert_int_equal(ustat_meta__get_u64(b.s, "empty", &v), -1);
	assert_int_equal(ustat_meta__get_u64(b.s, "missing", &v), -1);
	ustat_meta__free(&b);
}

static void test_is_kind(void **state)
{
	assert_true(ustat_meta__is("event\tidx=0", "event"));
	assert_true(ustat_meta__is("event", "event"));
	assert_false(ustat_meta__is("events\tidx=0", "event"));
	assert_false(ustat_meta__is("even", "event"));
	assert_false(ustat_meta__is("session\tevent=1", "event"));
}

/* Records far larger than the first allocation grow without losing text. */
static void test_growth(void **state)
{
	struct ustat_meta_buf b = { 0 };
	char key[16], got[16], want[16];
	int i;

	assert_int_equal(ustat_meta__begin(&b, "big"), 0);
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ustat_meta__add_u64(&b, key, i * 7ULL), 0);
	}
	for (i = 0; i < 2000; i += 97) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(want, sizeof(want), "%d", i * 7);
		assert_true(ustat_meta__get(b.s, key, got, sizeof(got)) > 0);
		assert_string_equal(got, want);
	}
	ustat_meta__free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_text),
		cmocka_unit_test(test_escape_round_trip),
		cmocka_unit_test(test_missing_and_prefix_keys),
		cmocka_unit_test(test_decode_edge_cases),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_is_kind),
		cmocka_unit_test(test_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
