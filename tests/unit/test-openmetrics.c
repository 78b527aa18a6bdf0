// SPDX-License-Identifier: GPL-2.0
/*
 * The OpenMetrics text (openmetrics.h) of a hand-fed aggregation: hits per
 * probe and CPU, per process up to the cap and then "other", the latency
 * histogram's log2 buckets, label escaping, and the two encodings
 * (OpenMetrics with # UNIT and # EOF; Prometheus text with _total types).
 */
#include "unit.h"
#include "aggregate.h"
#include "openmetrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	struct ustat_event_info	ev[3];
	struct ustat_event_infos infos;
	struct ustat_agg	agg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	/* fa and fa%return pair up; "we\"ird\\" checks the escaping. */
	f->ev[0] = (struct ustat_event_info){ .kind = USTAT_EVENT_PROBE, .display = (char *)"fa",
					      .pair = 1, .func_idx = 0, .signal = USTAT_KEV_NONE };
	f->ev[1] = (struct ustat_event_info){ .kind = USTAT_EVENT_RETPROBE,
					      .display = (char *)"fa%return", .pair = 0, .func_idx = 0,
					      .signal = USTAT_KEV_NONE };
	f->ev[2] = (struct ustat_event_info){ .kind = USTAT_EVENT_PROBE,
					      .display = (char *)"we\"ird\\", .pair = -1,
					      .func_idx = -1, .signal = USTAT_KEV_NONE };
	f->infos.ev = f->ev;
	f->infos.nr = 3;
	f->infos.nr_funcs = 1;
	assert_int_equal(ustat_agg__init(&f->agg, &f->infos), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ustat_agg__exit(&f->agg);
	free(f);
	return 0;
}

static void hit(struct fixture *f, int idx, u32 cpu, u32 pid, u64 time)
{
	struct ustat_sample s = { .cpu = cpu, .pid = pid, .tid = pid, .time = time };

	assert_int_equal(ustat_agg__add(&f->agg, idx, &s), 0);
}

static char *render(struct fixture *f, enum ustat_om_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(ustat_om__write(out, &f->agg, NULL, fmt), 0);
	fclose(out);
	return buf;
}

static void has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing: %s\nin:\n%s", line, text);
}

static void test_hits_per_cpu_and_escaping(void **state)
{
	struct fixture *f = *state;
	char *t;

	hit(f, 0, 0, 10, 1000);
	hit(f, 1, 0, 10, 4000);		/* 3 us after its entry */
	hit(f, 2, 1, 10, 5000);
	hit(f, 2, 1, 11, 6000);
	t = render(f, USTAT_OM_PROMETHEUS);
	has(t, "# TYPE uprobe_stat_hits_total counter\n");
	has(t, "uprobe_stat_hits_total{probe=\"fa\",cpu=\"0\"} 1\n");
	has(t, "uprobe_stat_hits_total{probe=\"fa\",cpu=\"1\"} 0\n");
	has(t, "uprobe_stat_hits_total{probe=\"fa%return\",cpu=\"0\"} 1\n");
	has(t, "uprobe_stat_hits_total{probe=\"we\\\"ird\\\\\",cpu=\"1\"} 2\n");
	assert_null(strstr(t, "# EOF"));
	assert_null(strstr(t, "# UNIT"));
	/* No process series unless asked for. */
	assert_null(strstr(t, "uprobe_stat_process_hits"));
	free(t);
}

static void test_latency_buckets(void **state)
{
	struct fixture *f = *state;
	char *t;

	hit(f, 0, 0, 10, 1000);
	hit(f, 1, 0, 10, 4000);		/* 3000 ns */
	hit(f, 0, 0, 10, 10000);
	hit(f, 1, 0, 10, 10100);	/* 100 ns */
	t = render(f, USTAT_OM_OPENMETRICS);
	has(t, "# TYPE uprobe_stat_latency_seconds histogram\n"
	       "# UNIT uprobe_stat_latency_seconds seconds\n");
	has(t, "uprobe_stat_latency_seconds_bucket{probe=\"fa\",le=\"1.28e-07\"} 1\n");
	has(t, "uprobe_stat_latency_seconds_bucket{probe=\"fa\",le=\"2.048e-06\"} 1\n");
	has(t, "uprobe_stat_latency_seconds_bucket{probe=\"fa\",le=\"4.096e-06\"} 2\n");
	has(t, "uprobe_stat_latency_seconds_bucket{probe=\"fa\",le=\"+Inf\"} 2\n");
	has(t, "uprobe_stat_latency_seconds_sum{probe=\"fa\"} 0.000003100\n");
	has(t, "uprobe_stat_latency_seconds_count{probe=\"fa\"} 2\n");
	/* OpenMetrics: the counter family without _total, and the end marker. */
	has(t, "# TYPE uprobe_stat_hits counter\n");
	has(t, "# TYPE uprobe_stat_lost_events counter\nuprobe_stat_lost_events_total 0\n");
	assert_string_equal(t + strlen(t) - 6, "# EOF\n");
	free(t);
}

static void test_process_cap(void **state)
{
	struct fixture *f = *state;
	char *t;

	assert_int_equal(ustat_agg__count_processes(&f->agg, 2), 0);
	hit(f, 2, 0, 100, 1);
	hit(f, 2, 0, 100, 2);
	hit(f, 2, 0, 200, 3);
	hit(f, 2, 0, 300, 4);	/* beyond the cap */
	hit(f, 2, 0, 400, 5);
	t = render(f, USTAT_OM_PROMETHEUS);
	has(t, "uprobe_stat_process_hits_total{probe=\"we\\\"ird\\\\\",pid=\"100\"} 2\n");
	has(t, "uprobe_stat_process_hits_total{probe=\"we\\\"ird\\\\\",pid=\"200\"} 1\n");
	has(t, "uprobe_stat_process_hits_total{probe=\"we\\\"ird\\\\\",pid=\"other\"} 2\n");
	assert_null(strstr(t, "pid=\"300\""));
	has(t, "uprobe_stat_processes_capped 1\n");
	has(t, "uprobe_stat_processes_cap 2\n");
	free(t);
}

static void test_negotiate(void **state)
{
	(void)state;
	assert_int_equal(ustat_om__negotiate(NULL), USTAT_OM_PROMETHEUS);
	assert_int_equal(ustat_om__negotiate("text/plain;version=0.0.4"), USTAT_OM_PROMETHEUS);
	assert_int_equal(ustat_om__negotiate("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
			 USTAT_OM_OPENMETRICS);
	assert_non_null(strstr(ustat_om__content_type(USTAT_OM_OPENMETRICS),
			       "application/openmetrics-text"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hits_per_cpu_and_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latency_buckets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process_cap, setup, teardown),
		cmocka_unit_test(test_negotiate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
