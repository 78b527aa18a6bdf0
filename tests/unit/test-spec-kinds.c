// SPDX-License-Identifier: GPL-2.0
/*
 * The probe spec forms beyond symbols (probe-spec.h): how each parses,
 * which kind it is, how reports name it, and that the forms cannot be
 * mistaken for one another.
 */
#include "unit.h"
#include "probe-spec.h"

#include <errno.h>
#include <string.h>

struct kind_case {
	const char		*text;
	enum ustat_spec_kind	 kind;
	const char		*binary;	/* NULL: none */
	const char		*func;		/* FUNC, FUNC_LINE */
	const char		*file;		/* LINE */
	unsigned int		 line;
	const char		*provider;	/* SDT */
	const char		*name;
	const char		*display;
};

static const struct kind_case cases[] = {
	{ "main.c:12", USTAT_SPEC_LINE, NULL, NULL, "main.c", 12, NULL, NULL, "main.c:12" },
	{ "src/main.c:7", USTAT_SPEC_LINE, NULL, NULL, "src/main.c", 7, NULL, NULL,
	  "src/main.c:7" },
	/* no dot, no slash: a function, and the line counts from its first line */
	{ "main:3", USTAT_SPEC_FUNC_LINE, NULL, "main", NULL, 3, NULL, NULL, "main:3" },
	{ "main:0", USTAT_SPEC_FUNC_LINE, NULL, "main", NULL, 0, NULL, NULL, "main:0" },
	{ "./prog:main.c:12", USTAT_SPEC_LINE, "./prog", NULL, "main.c", 12, NULL, NULL,
	  "./prog:main.c:12" },
	{ "/bin/prog:work:2", USTAT_SPEC_FUNC_LINE, "/bin/prog", "work", NULL, 2, NULL, NULL,
	  "/bin/prog:work:2" },
	{ "sdt:myapp:req_start", USTAT_SPEC_SDT, NULL, NULL, NULL, 0, "myapp", "req_start",
	  "sdt:myapp:req_start" },
	{ "libpython3.11.so.1.0:python:function__entry", USTAT_SPEC_SDT,
	  "libpython3.11.so.1.0", NULL, NULL, 0, "python", "function__entry",
	  "libpython3.11.so.1.0:python:function__entry" },
	/* a library name with dots and digits is still BINARY:func */
	{ "libc.so.6:malloc", USTAT_SPEC_FUNC, "libc.so.6", "malloc", NULL, 0, NULL, NULL,
	  "libc.so.6:malloc" },
	{ "work", USTAT_SPEC_FUNC, NULL, "work", NULL, 0, NULL, NULL, "work" },
};

static void check_str(const char *text, const char *what, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("'%s': %s is '%s', want none", text, what, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s': %s is '%s', want '%s'", text, what, got ? got : "(none)", want);
}

static void test_kinds(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kind_case *c = &cases[i];
		struct ustat_probe_spec spec;
		char err[256] = "", disp[256];

		if (ustat_probe_spec__parse(&spec, c->text, err, sizeof(err)))
			fail_msg("'%s' refused: %s", c->text, err);
		if (spec.kind != c->kind)
			fail_msg("'%s': kind %d, want %d", c->text, spec.kind, c->kind);
		check_str(c->text, "binary", spec.binary, c->binary);
		check_str(c->text, "func", spec.func, c->func);
		check_str(c->text, "file", spec.file, c->file);
		check_str(c->text, "provider", spec.provider, c->provider);
		check_str(c->text, "name", spec.name, c->name);
		if (spec.line != c->line)
			fail_msg("'%s': line %u, want %u", c->text, spec.line, c->line);
		assert_false(spec.is_return || spec.has_offset);
		ustat_probe_spec__display(&spec, disp, sizeof(disp));
		check_str(c->text, "display", disp, c->display);
		ustat_probe_spec__exit(&spec);
	}
}

struct bad_case {
	const char	*text;
	const char	*want;
};

static const struct bad_case bad[] = {
	{ "a:b:c:d", "too many ':'" },
	{ "main.c:12%return", "a line probe takes no +OFF or %return" },
	{ "main:3+4", "a line probe takes no +OFF or %return" },
	{ "main.c:1x", "bad line number '1x'" },
	{ "main.c:99999999999", "bad line number" },
	{ "main.c:0", "source lines start at 1" },
	{ "bin::3", "no file or function before ':3'" },
	{ "ma in:3", "invalid character ' '" },
	{ "sdt:myapp:", "empty USDT name" },
	{ "sdt::req", "empty USDT provider" },
	{ "sdt:my-app:req", "invalid character '-' in USDT provider" },
	{ "sdt:myapp:req%return", "a USDT probe takes no +OFF or %return" },
	{ "sdt:main.c:3", "'sdt:' takes provider:name, not a line" },
	{ ":main.c:3", "empty binary before ':'" },
};

static void test_bad(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ustat_probe_spec spec;
		char err[256] = "";

		if (ustat_probe_spec__parse(&spec, bad[i].text, err, sizeof(err)) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].text);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s': error \"%s\" lacks \"%s\"", bad[i].text, err, bad[i].want);
		/* Every message names the spec it is about. */
		if (!strstr(err, bad[i].text))
			fail_msg("'%s': error \"%s\" does not name it", bad[i].text, err);
		assert_null(spec.text);
		assert_null(spec.binary);
		assert_null(spec.file);
		assert_null(spec.provider);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
