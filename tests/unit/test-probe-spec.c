// SPDX-License-Identifier: GPL-2.0
/*
 * Probe spec parsing (probe-spec.h): what each accepted form splits into,
 * the name reports show for it, and that each malformed spec is refused
 * with a message naming what is wrong.
 */
#include "unit.h"
#include "probe-spec.h"

#include <errno.h>
#include <string.h>
#include <linux/kernel.h>

struct good_case {
	const char	*text;
	const char	*binary;	/* NULL: none */
	const char	*func;
	bool		 has_offset;
	u64		 offset;
	bool		 is_return;
	const char	*display;
};

static const struct good_case good[] = {
	{ "func", NULL, "func", false, 0, false, "func" },
	{ "func+0x10", NULL, "func", true, 16, false, "func+0x10" },
	/* decimal offsets are shown in hex, as perf probe shows them */
	{ "func+16", NULL, "func", true, 16, false, "func+0x10" },
	{ "func+0x1000", NULL, "func", true, 4096, false, "func+0x1000" },
	{ "func%return", NULL, "func", false, 0, true, "func%return" },
	{ "/path/bin:func", "/path/bin", "func", false, 0, false, "/path/bin:func" },
	{ "libc.so.6:malloc", "libc.so.6", "malloc", false, 0, false, "libc.so.6:malloc" },
	{ "malloc@GLIBC_2.2.5", NULL, "malloc@GLIBC_2.2.5", false, 0, false,
	  "malloc@GLIBC_2.2.5" },
	{ "libc.so.6:free%return", "libc.so.6", "free", false, 0, true,
	  "libc.so.6:free%return" },
	{ "./a.out:_start+8", "./a.out", "_start", true, 8, false, "./a.out:_start+0x8" },
	{ "_Z3fooi", NULL, "_Z3fooi", false, 0, false, "_Z3fooi" },
	{ "f.cold", NULL, "f.cold", false, 0, false, "f.cold" },
};

/* Fail naming the spec, so that a table-driven test says which row broke. */
#define check(text, cond)						\
	do {								\
		if (!(cond))						\
			fail_msg("spec '%s': %s", (text), #cond);	\
	} while (0)

static void test_good_specs(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		const struct good_case *c = &good[i];
		struct ustat_probe_spec spec;
		char err[256] = "", disp[256];
		int ret, n;

		ret = ustat_probe_spec__parse(&spec, c->text, err, sizeof(err));
		if (ret)
			fail_msg("spec '%s' refused: %s", c->text, err);
		check(c->text, !strcmp(spec.text, c->text));
		if (c->binary)
			check(c->text, spec.binary && !strcmp(spec.binary, c->binary));
		else
			check(c->text, !spec.binary);
		check(c->text, !strcmp(spec.func, c->func));
		check(c->text, spec.has_offset == c->has_offset);
		check(c->text, spec.offset == c->offset);
		check(c->text, spec.is_return == c->is_return);

		n = ustat_probe_spec__display(&spec, disp, sizeof(disp));
		if (strcmp(disp, c->display))
			fail_msg("spec '%s' displayed as '%s', want '%s'", c->text, disp,
				 c->display);
		check(c->text, n == (int)strlen(c->display));
		ustat_probe_spec__exit(&spec);
		check(c->text, !spec.func);
	}
}

/* The display text is cut to the buffer, and the full length is returned. */
static void test_display_truncates(void **state)
{
	struct ustat_probe_spec spec;
	char err[256], disp[8];

	assert_int_equal(ustat_probe_spec__parse(&spec, "libc.so.6:malloc", err,
						 sizeof(err)), 0);
	assert_int_equal(ustat_probe_spec__display(&spec, disp, sizeof(disp)),
			 strlen("libc.so.6:malloc"));
	assert_string_equal(disp, "libc.so");
	ustat_probe_spec__exit(&spec);
}

struct bad_case {
	const char	*text;
	const char	*want[3];	/* substrings the message must hold */
};

static const struct bad_case bad[] = {
	{ "", { "empty" } },
	{ ":func", { "':func'", "empty binary" } },
	{ "func+", { "'func+'", "bad offset" } },
	{ "func+zz", { "bad offset", "'zz'" } },
	{ "func+0x", { "bad offset", "'0x'" } },
	{ "func+-4", { "bad offset", "'-4'" } },
	{ "func+99999999999999999999999", { "bad offset" } },
	{ "func%ret", { "unknown modifier", "'%ret'" } },
	{ "func%", { "unknown modifier" } },
	{ "func+4%return", { "'func+4%return'", "%return", "offset" } },
	{ "fu nc", { "invalid character ' '" } },
	{ "4func", { "invalid character '4'" } },
	{ "a:b:c:d", { "'a:b:c:d'", "too many ':'" } },
	{ "+4", { "'+4'", "no function name" } },
	{ "/bin/ls:", { "no function name" } },
	{ "%return", { "no function name" } },
};

static void test_bad_specs(void **state)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct bad_case *c = &bad[i];
		struct ustat_probe_spec spec;
		char err[256] = "";

		check(c->text, ustat_probe_spec__parse(&spec, c->text, err, sizeof(err)) ==
			       -EINVAL);
		for (j = 0; j < 3 && c->want[j]; j++) {
			if (!strstr(err, c->want[j]))
				fail_msg("'%s': error \"%s\" lacks \"%s\"", c->text, err,
					 c->want[j]);
		}
		/* A failed parse leaves nothing to free and no half-filled spec. */
		check(c->text, !spec.func && !spec.binary && !spec.text);
		ustat_probe_spec__exit(&spec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_specs),
		cmocka_unit_test(test_display_truncates),
		cmocka_unit_test(test_bad_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
