// SPDX-License-Identifier: GPL-2.0
/*
 * The view model of top and report --tui (view.h), fed as top feeds it: a
 * live session (no file) whose records go through the aggregation.  Rates
 * per interval, per CPU and per probe; the sort orders; levels and their
 * legend; the history; a metric the recording lacks; refreshes between
 * ticks that keep the last rates.
 */
#include "unit.h"
#include "agg-session.h"
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "meta.h"

#define NR_EV	3	/* fa, fa%return, fb */
#define NR_CPU	3
#define SEC	1000000000ULL

struct sample_rec {
	struct perf_event_header	header;
	u64				id, ip;
	u32				pid, tid;
	u64				time;
	u32				cpu, res;
	u64				period;
};

struct fixture {
	struct perf_event_attr	attr[NR_EV];
	struct ustat_live_event	ev[NR_EV];
	struct ustat_meta_buf	meta[NR_EV];
	u64			ids[NR_EV * NR_CPU];
	struct ustat_input	*input;
	struct ustat_agg	agg;
	struct ustat_view	view;
};

static const char *const names[NR_EV] = { "probe_t:fa", "probe_t:fa__return", "probe_t:fb" };
static const char *const display[NR_EV] = { "fa", "fa%return", "fb" };

static int setup(void **state)
{
	struct ustat_recording rec = { .session_meta = "session\ttarget=unit" };
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	int i, c;

	assert_non_null(f);
	for (i = 0; i < NR_EV; i++) {
		int ret = i == 1;

		f->attr[i].size = sizeof(f->attr[i]);
		f->attr[i].type = 8;
		f->attr[i].config = ret;
		f->attr[i].sample_period = 1;
		f->attr[i].sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
					 PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					 PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
		f->attr[i].sample_id_all = 1;
		f->ev[i].attr = &f->attr[i];
		for (c = 0; c < NR_CPU; c++)
			f->ids[i * NR_CPU + c] = 100 + i * NR_CPU + c;
		f->ev[i].ids = &f->ids[i * NR_CPU];
		f->ev[i].nr_ids = NR_CPU;
		f->ev[i].name = names[i];
		assert_int_equal(ustat_meta__begin(&f->meta[i], "event") ||
				 ustat_meta__add_u64(&f->meta[i], "idx", i) ||
				 ustat_meta__add(&f->meta[i], "kind", "uprobe") ||
				 ustat_meta__add(&f->meta[i], "display", display[i]) ||
				 ustat_meta__add(&f->meta[i], "func", i < 2 ? "fa" : "fb") ||
				 ustat_meta__add_u64(&f->meta[i], "return", ret), 0);
		f->ev[i].meta = f->meta[i].s;
	}
	if (ustat_input__open_live(&f->input, f->ev, NR_EV, &rec, NULL, 0, err, sizeof(err)))
		fail_msg("open_live: %s", err);
	assert_int_equal(ustat_agg__attach(&f->agg, f->input), 0);
	ustat_view__init(&f->view, "unit");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	ustat_view__exit(&f->view);
	ustat_agg__exit(&f->agg);
	ustat_input__close(f->input);
	for (i = 0; i < NR_EV; i++)
		ustat_meta__free(&f->meta[i]);
	free(f);
	return 0;
}

static void hit(struct fixture *f, int idx, u32 cpu, u64 time)
{
	struct sample_rec s = {
		.header = { .type = PERF_RECORD_SAMPLE, .size = sizeof(s) },
		.id = f->ids[idx * NR_CPU + cpu],
		.ip = 0x1000 + idx * 0x40,
		.pid = 7, .tid = 70 + cpu,
		.time = time,
		.cpu = cpu,
		.period = 1,
	};

	assert_int_equal(ustat_input__feed(f->input, (union perf_event *)&s), 0);
}

static const struct ustat_view_row *row(const struct ustat_view *v, const char *name)
{
	int i;

	for (i = 0; i < v->nr_rows; i++)
		if (!strcmp(v->rows[i].name, name))
			return &v->rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

/*
 * Second 1: CPU 0 calls fa 100 times (2 us each), CPU 1 hits fb 10 times,
 * CPU 2 once.  Second 2: only CPU 2, fb 50 times.
 */
static void feed_two_seconds(struct fixture *f)
{
	int i;

	for (i = 0; i < 100; i++) {
		hit(f, 0, 0, SEC + 1000 + i * 5000);
		hit(f, 1, 0, SEC + 3000 + i * 5000);
	}
	for (i = 0; i < 10; i++)
		hit(f, 2, 1, SEC + 500000 + i * 1000);
	hit(f, 2, 2, SEC + 900000);
	assert_int_equal(ustat_input__round(f->input), 0);
	assert_int_equal(ustat_input__round(f->input), 0);
}

static void test_first_interval(void **state)
{
	struct fixture *f = *state;
	struct ustat_view *v = &f->view;

	/* the first refresh, at the start: nothing yet, no rates */
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, SEC), 0);
	assert_int_equal(v->nr_rows, 3);
	assert_true(v->events_per_sec == 0);
	feed_two_seconds(f);
	assert_int_equal(ustat_input__end(f->input), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 2 * SEC), 0);

	assert_int_equal(v->elapsed_ns, SEC);
	assert_int_equal(v->samples, 211);
	assert_true(fabs(v->events_per_sec - 211) < 1e-6);
	assert_int_equal(v->nr_probes, 3);
	/* by hits; equal hits in event order */
	assert_string_equal(v->rows[0].name, "fa");
	assert_string_equal(v->rows[1].name, "fa%return");
	assert_string_equal(v->rows[2].name, "fb");
	assert_true(v->rows[1].is_return);
	assert_true(fabs(row(v, "fb")->rate - 11) < 1e-6);
	/* entry to return is 2 us, within the histogram's 1/32 */
	assert_int_equal(row(v, "fa")->lat_count, 100);
	assert_true(row(v, "fa")->lat_p50 >= 2000 - 2000 / 32 &&
		    row(v, "fa")->lat_p50 <= 2000 + 2000 / 32);
	assert_int_equal(row(v, "fb")->lat_count, 0);

	/* CPUs: 200, 10 and 1 hits/s; the busiest at the top level */
	assert_int_equal(v->nr_cpus, 3);
	assert_true(fabs(v->cpus[0].rate - 200) < 1e-6);
	assert_true(fabs(v->cpus[1].rate - 10) < 1e-6);
	assert_true(fabs(v->cpus[2].rate - 1) < 1e-6);
	assert_int_equal(v->cpus[0].level, USTAT_VIEW_LEVELS - 1);
	assert_true(v->cpus[1].level < v->cpus[0].level);
	assert_true(v->cpus[2].level < v->cpus[1].level);
	assert_true(v->cpus[2].level > 0);
	assert_true(v->metric_available);
	assert_string_equal(v->metric_name, "hits/s");
	/* the legend: increasing lower bounds, each CPU at or above its own */
	for (int l = 1; l < USTAT_VIEW_LEVELS; l++)
		assert_true(v->scale[l] > v->scale[l - 1]);
	for (int c = 0; c < v->nr_cpus; c++)
		assert_true(v->cpus[c].value >= v->scale[v->cpus[c].level] - 1e-9);
	/* history: the start and this second */
	assert_int_equal(v->nr_history, 2);
	assert_int_equal(v->history_level[1], USTAT_VIEW_LEVELS - 1);
	assert_int_equal(v->history_level[0], 0);
}

static void test_second_interval_and_sorts(void **state)
{
	struct fixture *f = *state;
	struct ustat_view *v = &f->view;
	int i;

	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, SEC), 0);
	feed_two_seconds(f);
	for (i = 0; i < 50; i++)
		hit(f, 2, 2, 2 * SEC + 1000 + i * 1000);
	/* a live session: what the rounds released, then the rest at the end */
	assert_int_equal(ustat_input__end(f->input), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 2 * SEC), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 3 * SEC), 0);

	/*
	 * Everything was delivered before the second tick, so the first
	 * interval held all 261 and the second none: rates follow delivery.
	 */
	assert_true(fabs(v->events_per_sec) < 1e-6);
	assert_int_equal(row(v, "fb")->hits, 61);
	assert_true(fabs(row(v, "fb")->avg_rate - 61 / 2.0) < 1e-6);

	/* sort by name, by rate, by latency */
	v->sort = USTAT_SORT_BY_NAME;
	assert_int_equal(ustat_view__refresh(v, &f->agg), 0);
	assert_string_equal(v->rows[0].name, "fa");
	assert_string_equal(v->rows[2].name, "fb");
	v->sort = USTAT_SORT_BY_LATENCY;
	assert_int_equal(ustat_view__refresh(v, &f->agg), 0);
	assert_string_equal(v->rows[0].name, "fa");
	v->sort = USTAT_SORT_BY_HITS;
	assert_int_equal(ustat_view__refresh(v, &f->agg), 0);
	assert_int_equal(v->rows[0].hits, 100);
	assert_string_equal(v->rows[2].name, "fb");
	assert_int_equal(v->nr_history, 3);
}

/* Rates come from what arrived in each interval; refresh keeps them. */
static void test_rates_per_interval(void **state)
{
	struct fixture *f = *state;
	struct ustat_view *v = &f->view;
	int i;

	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, SEC), 0);
	feed_two_seconds(f);
	assert_int_equal(ustat_input__end(f->input), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 2 * SEC), 0);
	for (i = 0; i < 50; i++)
		hit(f, 2, 2, 2 * SEC + 1000 + i * 1000);
	assert_int_equal(ustat_input__end(f->input), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 3 * SEC), 0);

	assert_true(fabs(v->events_per_sec - 50) < 1e-6);
	assert_true(fabs(row(v, "fb")->rate - 50) < 1e-6);
	assert_true(fabs(row(v, "fa")->rate) < 1e-6);
	/* CPU 2 is now the busiest, CPU 0 idle */
	assert_int_equal(v->cpus[2].level, USTAT_VIEW_LEVELS - 1);
	assert_int_equal(v->cpus[0].level, 0);
	/* by rate: fb first even with fewer hits */
	v->sort = USTAT_SORT_BY_RATE;
	assert_int_equal(ustat_view__refresh(v, &f->agg), 0);
	assert_string_equal(v->rows[0].name, "fb");
	/* a refresh is no interval: the rates stay */
	assert_true(fabs(v->rows[0].rate - 50) < 1e-6);
	assert_true(fabs(v->cpus[2].rate - 50) < 1e-6);
	/* the history: 0 at the start, 211, then 50 */
	assert_int_equal(v->nr_history, 3);
	assert_true(fabs(v->history_max - 211) < 1e-6);
	assert_int_equal(v->history_level[1], USTAT_VIEW_LEVELS - 1);
	assert_true(v->history_level[2] > 0 && v->history_level[2] < USTAT_VIEW_LEVELS - 1);
}

/* A recording without the kernel's signals: its metrics say they lack. */
static void test_missing_metric(void **state)
{
	struct fixture *f = *state;
	struct ustat_view *v = &f->view;
	int m;

	feed_two_seconds(f);
	assert_int_equal(ustat_input__end(f->input), 0);
	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, 2 * SEC), 0);
	for (m = USTAT_METRIC_LOOKUP_P99; m < USTAT_METRIC_NR; m++) {
		v->metric = m;
		assert_int_equal(ustat_view__refresh(v, &f->agg), 0);
		assert_string_equal(v->metric_name, ustat_metric_names[m]);
		if (v->metric_available)
			fail_msg("metric %s available without signals", ustat_metric_names[m]);
		for (int c = 0; c < v->nr_cpus; c++)
			assert_false(v->cpus[c].has);
	}
	for (int t = 0; t < USTAT_TOPIC_NR; t++)
		assert_int_equal(v->topic[t], USTAT_TOPIC_UNAVAILABLE);
}

/* The history keeps the last USTAT_VIEW_HISTORY intervals, oldest first. */
static void test_history_window(void **state)
{
	struct fixture *f = *state;
	struct ustat_view *v = &f->view;
	int i;

	assert_int_equal(ustat_view__tick(v, &f->agg, SEC, SEC), 0);
	for (i = 1; i <= USTAT_VIEW_HISTORY + 5; i++) {
		int k;

		/* interval i has i hits */
		for (k = 0; k < i; k++)
			hit(f, 2, 0, SEC * i + 1 + k);
		assert_int_equal(ustat_input__end(f->input), 0);
		assert_int_equal(ustat_view__tick(v, &f->agg, SEC, SEC * (i + 1)), 0);
	}
	assert_int_equal(v->nr_history, USTAT_VIEW_HISTORY);
	assert_true(fabs(v->history[USTAT_VIEW_HISTORY - 1] - (USTAT_VIEW_HISTORY + 5)) < 1e-6);
	assert_true(fabs(v->history[0] - 6) < 1e-6);
	assert_true(fabs(v->history_max - (USTAT_VIEW_HISTORY + 5)) < 1e-6);
}

static void test_levels(void **state)
{
	int last = 0;
	double x;

	assert_int_equal(ustat_view__level(USTAT_METRIC_HITS, 0, 1000), 0);
	assert_int_equal(ustat_view__level(USTAT_METRIC_HITS, 5, 0), 0);
	assert_int_equal(ustat_view__level(USTAT_METRIC_HITS, 1000, 1000), USTAT_VIEW_LEVELS - 1);
	/* a value above the max (a refresh between ticks) stays in range */
	assert_int_equal(ustat_view__level(USTAT_METRIC_HITS, 5000, 1000), USTAT_VIEW_LEVELS - 1);
	for (x = 1; x <= 1e6; x *= 1.5) {
		int l = ustat_view__level(USTAT_METRIC_LOOKUP_P99, x, 1e6);

		assert_true(l >= last);
		last = l;
	}
	/* percentages are linear on 0..100 whatever the max */
	assert_int_equal(ustat_view__level(USTAT_METRIC_FALLBACK, 50, 100), 4);
	assert_int_equal(ustat_view__level(USTAT_METRIC_FALLBACK, 100, 3), USTAT_VIEW_LEVELS - 1);
	assert_int_equal(ustat_view__level(USTAT_METRIC_FALLBACK, 1, 100), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_interval_and_sorts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rates_per_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_metric, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_window, setup, teardown),
		cmocka_unit_test(test_levels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
