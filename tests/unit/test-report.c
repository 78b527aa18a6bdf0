// SPDX-License-Identifier: GPL-2.0
/*
 * The report's table (report.h): --sort keys, the rows of an aggregation
 * filled in by hand and their order, rates and the recorded target; and
 * the uprobe PMU's sysfs format lines (uprobe-pmu.h) the record side
 * depends on.
 */
#include "unit.h"
#include "report.h"
#include "uprobe-pmu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

/* ---- --sort --------------------------------------------------------------- */

static void test_parse_sort_good(void **state)
{
	struct ustat_report rep;
	char err[256] = "";

	memset(&rep, 0, sizeof(rep));
	assert_int_equal(ustat_report__parse_sort(&rep, "probe", err, sizeof(err)), 0);
	assert_int_equal(rep.nr_keys, 1);
	assert_int_equal(rep.keys[0], USTAT_SORT_PROBE);

	assert_int_equal(ustat_report__parse_sort(&rep, "cpu,probe", err, sizeof(err)), 0);
	assert_int_equal(rep.nr_keys, 2);
	assert_int_equal(rep.keys[0], USTAT_SORT_CPU);
	assert_int_equal(rep.keys[1], USTAT_SORT_PROBE);

	/* parsing again replaces the keys, it does not add to them */
	assert_int_equal(ustat_report__parse_sort(&rep, "cpu", err, sizeof(err)), 0);
	assert_int_equal(rep.nr_keys, 1);
	assert_int_equal(rep.keys[0], USTAT_SORT_CPU);
}

/* A key given twice is refused (perf drops it silently; a typo is likelier). */
static void test_parse_sort_duplicates(void **state)
{
	struct ustat_report rep;
	char err[256] = "";

	memset(&rep, 0, sizeof(rep));
	assert_int_equal(ustat_report__parse_sort(&rep, "probe,cpu,probe", err,
						  sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'probe' given twice"));
}

static void test_parse_sort_bad(void **state)
{
	struct ustat_report rep;
	char err[256] = "";

	memset(&rep, 0, sizeof(rep));
	assert_int_equal(ustat_report__parse_sort(&rep, "symbol", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'symbol'"));
	assert_non_null(strstr(err, "probe"));		/* says what is known */
	assert_non_null(strstr(err, "cpu"));

	err[0] = '\0';
	assert_int_equal(ustat_report__parse_sort(&rep, "probe,bogus", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "'bogus'"));

	err[0] = '\0';
	assert_int_equal(ustat_report__parse_sort(&rep, "Probe", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'Probe'"));

	err[0] = '\0';
	assert_int_equal(ustat_report__parse_sort(&rep, "", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty"));
	err[0] = '\0';
	assert_int_equal(ustat_report__parse_sort(&rep, ",", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty"));
}

/* ---- rows ------------------------------------------------------------------ */

/*
 * Five events over four CPUs: probes a, b, c%return and d (never hit),
 * and a kernel signal's tracepoint, which is no probe and gets no row.
 */
#define NR_EV		5
#define NR_TEST_CPUS		4
#define EV_SIGNAL	2

static const u64 cpu_hits[NR_EV][NR_TEST_CPUS] = {
	{ 5, 0, 2, 0 },		/* a: 7 */
	{ 0, 9, 0, 0 },		/* b: 9 */
	{ 100, 100, 100, 0 },	/* the signal */
	{ 1, 1, 5, 0 },		/* c%return: 7 */
	{ 0, 0, 0, 0 },		/* d: 0 */
};

struct fixture {
	struct ustat_event_info		ev[NR_EV];
	struct ustat_event_infos	infos;
	struct ustat_probe_agg		probes[NR_EV];
	u64				per_cpu[NR_EV][NR_TEST_CPUS];
	u64				all_cpu[NR_TEST_CPUS];
	struct ustat_agg		agg;
	struct ustat_report		rep;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	int i, c;

	if (!f)
		return -1;
	for (i = 0; i < NR_EV; i++) {
		f->ev[i].kind = i == EV_SIGNAL ? USTAT_EVENT_KERNEL :
				i == 3 ? USTAT_EVENT_RETPROBE : USTAT_EVENT_PROBE;
		f->ev[i].pair = -1;
		f->ev[i].func_idx = -1;
		f->ev[i].signal = i == EV_SIGNAL ? USTAT_KEV_LOCK_BEGIN : USTAT_KEV_NONE;
		for (c = 0; c < NR_TEST_CPUS; c++) {
			f->per_cpu[i][c] = cpu_hits[i][c];
			f->probes[i].hits += cpu_hits[i][c];
			/* the aggregation counts probe hits per CPU, not signals */
			if (i != EV_SIGNAL)
				f->all_cpu[c] += cpu_hits[i][c];
		}
		f->probes[i].cpu_hits = f->per_cpu[i];
	}
	f->infos.ev = f->ev;
	f->infos.nr = NR_EV;
	f->agg.infos = &f->infos;
	f->agg.probes = f->probes;
	f->agg.cpu_cap = NR_TEST_CPUS;
	f->agg.nr_cpus = NR_TEST_CPUS;
	f->agg.cpu_hits = f->all_cpu;
	f->rep.agg = &f->agg;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	test_free(*state);
	return 0;
}

struct want_row {
	int	probe, cpu;
	u64	hits;
};

static void check_rows(struct ustat_report *rep, const char *sort, const struct want_row *want,
		       size_t nr)
{
	struct ustat_report_row *rows;
	char err[256] = "";
	size_t n, i;

	assert_int_equal(ustat_report__parse_sort(rep, sort, err, sizeof(err)), 0);
	assert_int_equal(ustat_report__rows(rep, &rows, &n), 0);
	if (n != nr)
		fail_msg("--sort %s: %zu rows, want %zu", sort, n, nr);
	for (i = 0; i < nr; i++) {
		if (rows[i].probe != want[i].probe || rows[i].cpu != want[i].cpu ||
		    rows[i].hits != want[i].hits)
			fail_msg("--sort %s row %zu: probe %d cpu %d hits %llu, want %d %d %llu",
				 sort, i, rows[i].probe, rows[i].cpu,
				 (unsigned long long)rows[i].hits, want[i].probe, want[i].cpu,
				 (unsigned long long)want[i].hits);
	}
	free(rows);
}

/* Most hits first; ties in event order; a probe never hit still has its row. */
static void test_rows_by_probe(void **state)
{
	static const struct want_row want[] = {
		{ 1, -1, 9 }, { 0, -1, 7 }, { 3, -1, 7 }, { 4, -1, 0 },
	};
	struct fixture *f = *state;

	check_rows(&f->rep, "probe", want, 4);
	assert_true(ustat_report__is_probe(&f->rep, 0));
	assert_false(ustat_report__is_probe(&f->rep, EV_SIGNAL));
}

/* Per CPU: probe hits only, CPUs that saw nothing left out. */
static void test_rows_by_cpu(void **state)
{
	/* CPU 0: 5 + 1, CPU 1: 9 + 1, CPU 2: 2 + 5, CPU 3: nothing */
	static const struct want_row want[] = {
		{ -1, 1, 10 }, { -1, 2, 7 }, { -1, 0, 6 },
	};
	struct fixture *f = *state;

	check_rows(&f->rep, "cpu", want, 3);
}

static void test_rows_by_probe_and_cpu(void **state)
{
	static const struct want_row want[] = {
		{ 1, 1, 9 }, { 0, 0, 5 }, { 3, 2, 5 }, { 0, 2, 2 }, { 3, 0, 1 }, { 3, 1, 1 },
	};
	struct fixture *f = *state;

	check_rows(&f->rep, "probe,cpu", want, 6);
	/* the order of the keys does not change the rows */
	check_rows(&f->rep, "cpu,probe", want, 6);
}

/* Nothing recorded at all: no CPU rows, probe rows of zero. */
static void test_rows_empty(void **state)
{
	static const struct want_row want[] = {
		{ 0, -1, 0 }, { 1, -1, 0 }, { 3, -1, 0 }, { 4, -1, 0 },
	};
	struct fixture *f = *state;
	int i;

	for (i = 0; i < NR_EV; i++) {
		f->probes[i].hits = 0;
		f->probes[i].cpu_hits = NULL;
	}
	f->agg.nr_cpus = 0;
	f->agg.cpu_hits = NULL;
	check_rows(&f->rep, "probe", want, 4);
	check_rows(&f->rep, "cpu", NULL, 0);
	check_rows(&f->rep, "probe,cpu", NULL, 0);
}

static void test_rate(void **state)
{
	struct fixture *f = *state;

	f->rep.duration_ns = 2000000000ULL;		/* 2 s */
	assert_true(ustat_report__rate(&f->rep, 1000) == 500.0);
	f->rep.duration_ns = 0;
	assert_true(ustat_report__rate(&f->rep, 1000) == 0.0);
}

static void test_target(void **state)
{
	static char a0[] = "perf", a1[] = "record", a2[] = "-e", a3[] = "probe_x:f";
	static char a4[] = "./a.out", meta[] = "session\ttarget=./a.out%09arg\tpid=0";
	static char *argv[] = { a0, a1, a2, a3, a4 };
	struct fixture *f = *state;
	struct ustat_recording rec = { .path = "x.data" };
	char buf[256];

	f->rep.rec = &rec;
	assert_string_equal(ustat_report__target(&f->rep, buf, sizeof(buf)), "unknown");
	rec.cmdline = argv;
	rec.cmdline_nr = 5;
	assert_string_equal(ustat_report__target(&f->rep, buf, sizeof(buf)),
			    "perf record -e probe_x:f ./a.out");
	/* our own metadata wins, unescaped */
	rec.session_meta = meta;
	assert_string_equal(ustat_report__target(&f->rep, buf, sizeof(buf)), "./a.out\targ");
	f->rep.rec = NULL;
}

/* ---- the uprobe PMU's format lines ------------------------------------------- */

static void test_pmu_format_good(void **state)
{
	int lo = -5, hi = -5;

	assert_int_equal(ustat_pmu_format__parse("config:0", &lo, &hi), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
	assert_int_equal(ustat_pmu_format__parse("config:32-63", &lo, &hi), 0);
	assert_int_equal(lo, 32);
	assert_int_equal(hi, 63);
	/* as read from sysfs: with its newline */
	assert_int_equal(ustat_pmu_format__parse("config:63\n", &lo, &hi), 0);
	assert_int_equal(lo, 63);
	assert_int_equal(hi, 63);
	assert_int_equal(ustat_pmu_format__parse("config:5-5\n", &lo, &hi), 0);
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 5);
}

static void test_pmu_format_bad(void **state)
{
	static const char *const bad[] = {
		"", "config", "config:", "config:x", "config1:0", "config2:0-63",
		"config:64", "config:0-64", "config:5-3", "config:-1", "config:3-",
		"config:0 junk", "config:0,4", "config:0-7x", "retprobe",
		"config: 5", "config:+5", "config:5- 7", "config:123",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int lo = -5, hi = -5;

		if (ustat_pmu_format__parse(bad[i], &lo, &hi) != -EINVAL)
			fail_msg("format \"%s\" accepted as %d-%d", bad[i], lo, hi);
		assert_int_equal(lo, -5);	/* untouched on failure */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sort_good),
		cmocka_unit_test(test_parse_sort_duplicates),
		cmocka_unit_test(test_parse_sort_bad),
		cmocka_unit_test_setup_teardown(test_rows_by_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_by_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_by_probe_and_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target, setup, teardown),
		cmocka_unit_test(test_pmu_format_good),
		cmocka_unit_test(test_pmu_format_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
