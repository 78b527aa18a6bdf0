// SPDX-License-Identifier: GPL-2.0
/*
 * C++ names (demangle.h): what the demangler's output is cut into, the
 * name and the signature record matches, and C++ specs that the parser
 * keeps whole ("ns::f" is no BINARY:func).
 */
#include "unit.h"
#include "demangle.h"
#include "probe-spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

static const struct {
	const char	*sym;
	const char	*name;
	const char	*sig;
} split_cases[] = {
	{ "_ZN2ns6Widget4pokeEv", "ns::Widget::poke", "ns::Widget::poke()" },
	{ "_ZN2ns6Widget4pokeEi", "ns::Widget::poke", "ns::Widget::poke(int)" },
	{ "_Z5twiceIiET_S0_", "twice<int>", "twice<int>(int)" },
	{ "_ZNK1C3getEv", "C::get", "C::get() const" },
	{ "_ZN1CltERKS_", "C::operator<", "C::operator<(C const&)" },
	{ "_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo",
	  "(anonymous namespace)::foo()" },
};

static void test_split(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(split_cases); i++) {
		char *full = ustat_demangle(split_cases[i].sym), sig[256];

		if (!full)
			fail_msg("'%s' not demangled", split_cases[i].sym);
		ustat_demangle__split(full, sig, sizeof(sig));
		if (strcmp(full, split_cases[i].name) || strcmp(sig, split_cases[i].sig))
			fail_msg("'%s': '%s' / '%s'", split_cases[i].sym, full, sig);
		free(full);
	}
	assert_null(ustat_demangle("main"));
	assert_true(ustat_demangle__same("f(int, char)", "f(int,char)"));
	assert_false(ustat_demangle__same("f(int)", "f(long)"));
}

static void test_names(void **state)
{
	char *names[] = { strdup("_ZN2ns6Widget4pokeEv"), strdup("_ZN2ns6Widget4pokeEi"),
			  strdup("_Z5twiceIiET_S0_"), strdup("main") };
	int nr = ARRAY_SIZE(names), i;

	(void)state;
	assert_int_equal(ustat_demangle__names(names, &nr), 0);
	assert_int_equal(nr, 4);
	assert_string_equal(names[0], "main");
	assert_string_equal(names[1], "ns::Widget::poke()");
	assert_string_equal(names[2], "ns::Widget::poke(int)");
	assert_string_equal(names[3], "twice<int>");
	for (i = 0; i < nr; i++)
		free(names[i]);
}

static void test_cxx_specs(void **state)
{
	static const struct {
		const char *text, *binary, *func;
	} cases[] = {
		{ "ns::Widget::poke", NULL, "ns::Widget::poke" },
		{ "prog:ns::Widget::poke(int)", "prog", "ns::Widget::poke(int)" },
		{ "twice<int>", NULL, "twice<int>" },
		{ "libc.so.6:str*", "libc.so.6", "str*" },
		{ "f(int, char)", NULL, "f(int, char)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ustat_probe_spec spec;
		char err[256] = "";

		if (ustat_probe_spec__parse(&spec, cases[i].text, err, sizeof(err)))
			fail_msg("'%s' refused: %s", cases[i].text, err);
		assert_int_equal(spec.kind, USTAT_SPEC_FUNC);
		if (cases[i].binary)
			assert_string_equal(spec.binary, cases[i].binary);
		else
			assert_null(spec.binary);
		assert_string_equal(spec.func, cases[i].func);
		ustat_probe_spec__exit(&spec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cxx_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
