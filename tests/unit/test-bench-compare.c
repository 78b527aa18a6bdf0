// SPDX-License-Identifier: GPL-2.0
/*
 * bench --compare (bench-compare.c) on hand-made bench --json files, and
 * the JSON reader under it (json-parse.c) on good and bad text.
 */
#include "unit.h"
#include "bench-compare.h"
#include "json-parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ustat-cmp-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[2][256];
	static int which;
	char *p = path[which++ & 1];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A bench --json file with the results R (a JSON array's items). */
static const char *bench_file(const char *name, const char *r)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\"tool\": \"uprobe-stat bench\", \"kernel\": \"6.18\", \"machine\": \"x86_64\",\n"
		 " \"attach\": true, \"record\": false, \"duration_s\": 0.2,\n"
		 " \"results\": [%s]}\n", r);
	return write_file(name, text);
}

#define REP(x)	"{\"hits_per_sec\": " #x ", \"threads\": [{\"cpu\": 0}]}"
#define RES(kind, t, reps) \
	"{\"kind\": \"" kind "\", \"name\": \"" kind "\", \"threads\": " #t ", \"skipped\": null, \"repeats\": [" reps "]}"

static const struct bench_cmp_row *row(const struct bench_cmp *c, const char *kind, int t)
{
	int i;

	for (i = 0; i < c->nr_rows; i++)
		if (!strcmp(c->rows[i].kind, kind) && c->rows[i].threads == t)
			return &c->rows[i];
	fail_msg("no row %s:%d", kind, t);
	return NULL;
}

static void test_compare_pairs_and_judges(void **state)
{
	const char *a, *b;
	const struct bench_cmp_row *r;
	struct bench_cmp c;
	char err[512] = "";
	char *pa;

	a = bench_file("a.json",
		RES("nop5", 1, REP(100) "," REP(102) "," REP(98)) ","
		RES("xol", 1, REP(50) "," REP(51) "," REP(49)) ","
		RES("int3", 2, REP(10)) ","
		"{\"kind\": \"ret\", \"threads\": 1, \"skipped\": \"no uretprobes here\", \"repeats\": []}");
	pa = strdup(a);
	b = bench_file("b.json",
		RES("nop5", 1, REP(101) "," REP(99) "," REP(100)) ","
		RES("xol", 1, REP(80) "," REP(81) "," REP(79)) ","
		RES("int3", 2, REP(11) "," REP(12)) ","
		RES("ret", 1, REP(5) "," REP(6)) ","
		RES("base", 4, REP(500) "," REP(501)));
	assert_int_equal(bench_cmp__load(&c, pa, b, err, sizeof(err)), 0);
	assert_int_equal(c.nr_rows, 5);

	r = row(&c, "nop5", 1);
	assert_string_equal(r->verdict, "within noise");
	assert_true(r->tested && r->w.p > 0.5);
	assert_true(fabs(r->ratio - 1.0) < 1e-12);

	r = row(&c, "xol", 1);
	assert_string_equal(r->verdict, "significant");
	assert_true(fabs(r->ratio - 1.6) < 1e-12);
	assert_true(r->w.p < 1e-4);
	/* ns per hit: threads * 1e9 / mean */
	assert_true(fabs(r->a.ns_per_hit - 2e7) < 1e-6);

	r = row(&c, "int3", 2);
	assert_false(r->tested);
	assert_string_equal(r->verdict, "untested (needs 2 repeats)");

	r = row(&c, "ret", 1);
	assert_string_equal(r->verdict, "skipped in A");
	assert_string_equal(r->a.skipped, "no uretprobes here");

	r = row(&c, "base", 4);
	assert_string_equal(r->verdict, "only in B");
	/* The rows keep A's order, B's extras after. */
	assert_string_equal(c.rows[0].kind, "nop5");
	assert_string_equal(c.rows[4].kind, "base");
	bench_cmp__exit(&c);
	free(pa);
}

static void test_compare_bad_files(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "", "unexpected end of input" },
		{ "{\"tool\": \"perf stat\", \"results\": []}", "not a bench --json file" },
		{ "{\"tool\": \"uprobe-stat bench\"}", "not a bench --json file" },
		{ "{\"tool\": \"uprobe-stat bench\", \"results\": [{\"kind\": \"x\"}]}",
		  "result 0 lacks kind, threads or repeats" },
		{ "{\"tool\": \"uprobe-stat bench\", \"results\": [" RES("x", 1, "{}") "]}",
		  "repeat 0 has no hits_per_sec" },
		{ "{\"tool\": \"uprobe-stat bench\", \"results\": [] } x", "text after the JSON value" },
		{ "{\"tool\": \"uprobe-stat bench\",\n \"results\": [1,]}", "line 2: not a JSON value" },
	};
	char err[512], name[32];
	struct bench_cmp c;
	const char *good;
	char *g;
	size_t i;

	good = bench_file("good.json", RES("nop5", 1, REP(1) "," REP(2)));
	g = strdup(good);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "bad%zu.json", i);
		err[0] = '\0';
		assert_int_not_equal(bench_cmp__load(&c, g, write_file(name, bad[i].text), err,
						     sizeof(err)), 0);
		if (!strstr(err, bad[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i].msg);
		bench_cmp__exit(&c);
	}
	free(g);
}

static void test_json_reader(void **state)
{
	struct ustat_jv v;
	char err[256], deep[200];
	double d;
	int i;

	assert_int_equal(ustat_json__parse(
		" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"\\u00e9\\n\", \"o\": {}}",
		&v, err, sizeof(err)), 0);
	assert_int_equal(v.type, USTAT_JV_OBJECT);
	assert_int_equal(ustat_jv__get(&v, "a")->nr, 5);
	assert_true(ustat_jv__get(&v, "a")->items[1].number == -2500);
	assert_true(ustat_jv__get(&v, "a")->items[2].boolean);
	assert_int_equal(ustat_jv__get(&v, "a")->items[4].type, USTAT_JV_NULL);
	assert_string_equal(ustat_jv__string(&v, "s"), "x\"\xc3\xa9\n");
	assert_false(ustat_jv__number(&v, "s", &d));
	assert_null(ustat_jv__get(&v, "missing"));
	ustat_jv__free(&v);

	/* Bounded nesting: an error, not a stack overflow. */
	for (i = 0; i < (int)sizeof(deep) - 1; i++)
		deep[i] = '[';
	deep[i] = '\0';
	assert_int_not_equal(ustat_json__parse(deep, &v, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "nested too deep"));
	assert_int_not_equal(ustat_json__parse("\"abc", &v, err, sizeof(err)), 0);
	assert_int_not_equal(ustat_json__parse("\"\\u12\"", &v, err, sizeof(err)), 0);
	assert_int_not_equal(ustat_json__parse("{\"a\" 1}", &v, err, sizeof(err)), 0);
	assert_int_not_equal(ustat_json__parse("[1 2]", &v, err, sizeof(err)), 0);
	assert_int_not_equal(ustat_json__parse("tru", &v, err, sizeof(err)), 0);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_pairs_and_judges),
		cmocka_unit_test(test_compare_bad_files),
		cmocka_unit_test(test_json_reader),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
