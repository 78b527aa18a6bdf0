// SPDX-License-Identifier: GPL-2.0
/*
 * DWARF probe points (probe-resolve.h on dwarf-lines.c, dwarf-inline.c) on
 * the fixture built four ways (-O0, -O2; PIE or not).  The oracle is
 * binutils' addr2line, which reads the same DWARF with other code: every
 * site of a line must map back to that line, every site of an inlined
 * function into that function.
 */
#include "unit.h"
#include "probe-resolve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC	"tests/fixtures/dwarf-prog.c"

static const char * const builds[] = { "O0-pie", "O2-pie", "O0-nopie", "O2-nopie" };

/* The line of SRC holding "LINE:MARK". */
static int marker(const char *mark)
{
	char line[512], want[64];
	int no = 0;
	FILE *f = fopen(SRC, "r");

	if (!f)
		fail_msg("cannot open %s", SRC);
	snprintf(want, sizeof(want), "LINE:%s", mark);
	while (fgets(line, sizeof(line), f)) {
		no++;
		if (strstr(line, want)) {
			fclose(f);
			return no;
		}
	}
	fail_msg("no %s in %s", want, SRC);
	return 0;
}

/* addr2line's innermost function and line at VADDR of PROG. */
static void addr2line(const char *prog, u64 vaddr, char *func, size_t len, int *line)
{
	char cmd[512], loc[512], *colon;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "addr2line -f -i -e %s %#llx", prog,
		 (unsigned long long)vaddr);
	p = popen(cmd, "r");
	if (!p || !fgets(func, len, p) || !fgets(loc, sizeof(loc), p))
		fail_msg("%s gave nothing", cmd);
	pclose(p);
	func[strcspn(func, "\n")] = '\0';
	colon = strrchr(loc, ':');
	*line = colon ? atoi(colon + 1) : -1;
}

static struct ustat_probe *resolve(const char *prog, const char *spec, int *nr)
{
	struct ustat_probe *sites;
	char err[512] = "";

	if (ustat_probe__resolve_sites(spec, prog, &sites, nr, err, sizeof(err)))
		fail_msg("%s in %s: %s", spec, prog, err);
	return sites;
}

static void release(struct ustat_probe *sites, int nr)
{
	while (nr--)
		ustat_probe__exit(&sites[nr]);
	free(sites);
}

static void prog_path(char *buf, size_t len, const char *build)
{
	snprintf(buf, len, TEST_BIN_DIR "/dwarf/prog-%s", build);
}

/* add_one: its out-of-line copy first, then each inlined copy's entry. */
static void test_inlined_function(void **state)
{
	char prog[256], func[256];
	struct ustat_probe *s;
	size_t b;
	int nr, i, line;

	for (b = 0; b < sizeof(builds) / sizeof(builds[0]); b++) {
		prog_path(prog, sizeof(prog), builds[b]);
		s = resolve(prog, "add_one", &nr);
		assert_int_equal(nr, 4);
		assert_int_equal(s[0].site_kind, USTAT_SITE_FUNC);
		assert_int_equal(s[0].vaddr, s[0].sym.vaddr);
		for (i = 0; i < nr; i++) {
			if (i)
				assert_int_equal(s[i].site_kind, USTAT_SITE_INLINE);
			assert_int_equal(s[i].site, i);
			assert_int_equal(s[i].nr_sites, 4);
			assert_string_equal(s[i].display, "add_one");
			addr2line(prog, s[i].vaddr, func, sizeof(func), &line);
			if (strcmp(func, "add_one"))
				fail_msg("%s: add_one site %d at %#llx is in %s", prog, i,
					 (unsigned long long)s[i].vaddr, func);
		}
		release(s, nr);
	}
}

static void check_line_sites(const char *prog, const char *spec, int want_sites, int want_line)
{
	struct ustat_probe *s;
	char func[256];
	int nr, i, line;

	s = resolve(prog, spec, &nr);
	if (nr != want_sites)
		fail_msg("%s in %s: %d sites, want %d", spec, prog, nr, want_sites);
	for (i = 0; i < nr; i++) {
		assert_int_equal(s[i].site_kind, USTAT_SITE_LINE);
		addr2line(prog, s[i].vaddr, func, sizeof(func), &line);
		if (line != want_line)
			fail_msg("%s in %s: site %d at %#llx is line %d, want %d", spec, prog, i,
				 (unsigned long long)s[i].vaddr, line, want_line);
		/* The uprobe goes at the file offset of that address. */
		assert_true(s[i].offset > 0 && s[i].offset <= s[i].vaddr);
	}
	release(s, nr);
}

/* file.c:LINE in an inlined function: a site in every copy; func:LINE. */
static void test_lines(void **state)
{
	int body = marker("body"), decl = marker("caller_a"), stmt = marker("a_stmt");
	char prog[256], spec[64];
	size_t b;

	for (b = 0; b < sizeof(builds) / sizeof(builds[0]); b++) {
		prog_path(prog, sizeof(prog), builds[b]);
		snprintf(spec, sizeof(spec), "dwarf-prog.c:%d", body);
		check_line_sites(prog, spec, 4, body);
		snprintf(spec, sizeof(spec), "fixtures/dwarf-prog.c:%d", body);
		check_line_sites(prog, spec, 4, body);
		snprintf(spec, sizeof(spec), "caller_a:%d", stmt - decl);
		check_line_sites(prog, spec, 1, stmt);
	}
}

/* func:0 is where the function is entered, as in perf probe. */
static void test_func_line_zero(void **state)
{
	struct ustat_probe *s, *sym;
	char prog[256];
	size_t b;
	int nr, nr_sym;

	for (b = 0; b < sizeof(builds) / sizeof(builds[0]); b++) {
		prog_path(prog, sizeof(prog), builds[b]);
		s = resolve(prog, "caller_a:0", &nr);
		sym = resolve(prog, "caller_a", &nr_sym);
		assert_int_equal(nr, 1);
		assert_int_equal(nr_sym, 1);
		assert_int_equal(s[0].offset, sym[0].offset);
		assert_string_equal(s[0].func, "caller_a");
		assert_int_equal(s[0].func_offset, 0);
		release(s, nr);
		release(sym, nr_sym);
	}
}

static void expect_error(const char *prog, const char *spec, int ret, const char *msg)
{
	struct ustat_probe *s = NULL;
	char err[512] = "";
	int nr = -1;

	if (ustat_probe__resolve_sites(spec, prog, &s, &nr, err, sizeof(err)) != ret)
		fail_msg("%s: not refused with %d (%s)", spec, ret, err);
	if (!strstr(err, msg))
		fail_msg("%s: error \"%s\" lacks \"%s\"", spec, err, msg);
	assert_null(s);
	assert_int_equal(nr, 0);
}

static void test_errors(void **state)
{
	char prog[256], spec[64], msg[128];
	int nocode = marker("nocode");

	prog_path(prog, sizeof(prog), "O2-pie");
	snprintf(spec, sizeof(spec), "dwarf-prog.c:%d", nocode);
	snprintf(msg, sizeof(msg), "no code at dwarf-prog.c:%d (nearest lines with code: %d and %d)",
		 nocode, nocode - 1, nocode + 1);
	expect_error(prog, spec, -ENOENT, msg);
	expect_error(prog, "nosuch.c:3", -ENOENT, "source file 'nosuch.c' not found");
	expect_error(prog, "caller_a:99", -ENOENT, "no code at line 99 of caller_a");
	expect_error(prog, "nosuch:1", -ENOENT, "function 'nosuch' not found");
	expect_error(prog, "sdt:a:b", -ENOENT, "has no USDT probes");
	/* Without DWARF a line means nothing (and no debug tree to find it in). */
	setenv("UPROBE_STAT_DEBUGINFO_DIR", "/nonexistent", 1);
	expect_error("/bin/true", "main.c:3", -ENOENT, "no DWARF debuginfo");
	unsetenv("UPROBE_STAT_DEBUGINFO_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inlined_function),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_func_line_zero),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
