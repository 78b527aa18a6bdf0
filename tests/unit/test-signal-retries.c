// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes_core:uprobe_find_retry and xol_area_fail, from the format texts
 * a kernel with tools-perf-patch/kernel/ exposes (tests/fixtures/
 * uprobes_core/, captured in qemu), through the tool's path: fields found
 * by name, raw records read by offset, counted in total and per CPU, and
 * given to the probe whose lookup they belong to; then shown everywhere
 * the other kernel events are: the view top draws (CPU and probe rows),
 * OpenMetrics, report --csv's columns and the counters of --diff and of
 * a merge of several inputs.
 */
#include "unit.h"
#include "aggregate.h"
#include "kevent-agg.h"
#include "openmetrics.h"
#include "report-multi.h"
#include "report-retries.h"
#include "tp-fields.h"
#include "view.h"
#include "tracing-data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/event-parse.h>

#define FIXTURES	"tests/fixtures/uprobes_core/"
#define PROBE_IP	0x401000ULL
#define OTHER_IP	0x402000ULL
#define PID		100
#define NR		3

static const char *const events[NR] = { "uprobe_lookup", "uprobe_find_retry", "xol_area_fail" };
static const enum ustat_kevent sigs[NR] = {
	USTAT_KEV_UPROBE_LOOKUP, USTAT_KEV_FIND_RETRY, USTAT_KEV_XOL_AREA_FAIL,
};

struct fixture {
	struct tep_handle	*tep;
	struct ustat_tp_fields	 tf[NR];	/* what the backend found, by name */
	struct ustat_event_info	 ev[NR + 1];
	struct ustat_event_infos infos;
	struct ustat_agg	 agg;
	u64			 time;
};

/* Event 0 is the probe; 1..NR the tracepoints, in events[] order. */
static void setup(struct fixture *fx)
{
	struct ustat_tdata_event tev[NR];
	char *fmt[NR], *hp, *he, path[256], err[256];
	size_t hp_len, he_len, len[NR];
	struct ustat_tdata td = { 0 };
	int i;

	memset(fx, 0, sizeof(*fx));
	hp = unit_slurp(FIXTURES "header_page", &hp_len);
	he = unit_slurp(FIXTURES "header_event", &he_len);
	for (i = 0; i < NR; i++) {
		snprintf(path, sizeof(path), FIXTURES "%s/format", events[i]);
		fmt[i] = unit_slurp(path, &len[i]);
		tev[i].system = "uprobes_core";
		tev[i].format = fmt[i];
		tev[i].format_len = len[i];
	}
	assert_int_equal(ustat_tdata__build(&td, hp, hp_len, he, he_len, tev, NR), 0);
	fx->tep = ustat_tdata__parse(td.buf, td.len, err, sizeof(err));
	if (!fx->tep)
		fail_msg("the captured formats do not parse: %s", err);
	fx->ev[0] = (struct ustat_event_info){ .kind = USTAT_EVENT_PROBE,
					       .display = (char *)"target_func", .pair = -1,
					       .func_idx = -1, .signal = USTAT_KEV_NONE };
	for (i = 0; i < NR; i++)
		fx->ev[i + 1] = (struct ustat_event_info){ .kind = USTAT_EVENT_KERNEL,
							   .display = (char *)events[i],
							   .pair = -1, .func_idx = -1,
							   .signal = sigs[i] };
	fx->infos.ev = fx->ev;
	fx->infos.nr = NR + 1;
	assert_int_equal(ustat_agg__init(&fx->agg, &fx->infos), 0);
	for (i = 0; i < NR; i++) {
		const struct ustat_tp_field *f[USTAT_TP_MAX_FIELDS] = { NULL };
		int id = atoi(strstr(fmt[i], "\nID: ") + 5), j;

		if (ustat_tp_fields__init(&fx->tf[i], fx->tep, id, sigs[i], err, sizeof(err)))
			fail_msg("%s: %s", events[i], err);
		for (j = 0; j < fx->tf[i].nr; j++)
			f[j] = &fx->tf[i].f[j];
		assert_int_equal(ustat_kev_agg__set_signal(&fx->agg.sig, i + 1, sigs[i], f), 0);
		free(fmt[i]);
	}
	ustat_tdata__free(&td);
	free(hp);
	free(he);
	fx->time = 1000;
}

struct raw {
	u8	b[40];
};

static void put(struct raw *r, int off, int size, u64 v)
{
	memcpy(r->b + off, &v, size);
}

static void feed(struct fixture *fx, int idx, u32 tid, u32 cpu, u64 ip, const struct raw *r)
{
	struct ustat_sample s = { 0 };

	s.pid = PID;
	s.tid = tid;
	s.cpu = cpu;
	s.ip = ip;
	s.time = fx->time++;
	s.period = 1;
	if (r) {
		s.raw = r->b;
		s.raw_size = sizeof(r->b);
	}
	assert_int_equal(ustat_agg__add(&fx->agg, idx, &s), 0);
}

/* uprobe_lookup: bp_vaddr@8 u64, lat_ns@16 u64, speculative@24 u8, found@25 u8 */
static void lookup(struct fixture *fx, u32 tid, u32 cpu, u64 vaddr)
{
	struct raw r = { 0 };

	put(&r, 8, 8, vaddr);
	put(&r, 16, 8, 100);
	put(&r, 24, 1, 1);
	put(&r, 25, 1, 1);
	if (vaddr == PROBE_IP)
		feed(fx, 0, tid, cpu, PROBE_IP, NULL);
	feed(fx, 1, tid, cpu, 0, &r);
}

/* uprobe_find_retry: ino@8 u64, offset@16 u64, seq@24 u32, seq_now@28 u32 */
static void retry(struct fixture *fx, u32 tid, u32 cpu, u32 seq, u32 now)
{
	struct raw r = { 0 };

	put(&r, 8, 8, 1234);
	put(&r, 16, 8, 0x1000);
	put(&r, 24, 4, seq);
	put(&r, 28, 4, now);
	feed(fx, 2, tid, cpu, 0, &r);
}

/* xol_area_fail: vaddr@8 u64, err@16 s32 */
static void area_fail(struct fixture *fx, u32 tid, u32 cpu)
{
	struct raw r = { 0 };

	put(&r, 8, 8, 0);
	put(&r, 16, 4, (u32)-12);	/* -ENOMEM */
	feed(fx, 3, tid, cpu, 0, &r);
}

/* Two threads on two CPUs: the retries and failures every test reads. */
static void scenario(struct fixture *fx)
{
	setup(fx);
	/* tid 201, CPU 0: two retries in the lookup of our probe's hit */
	retry(fx, 201, 0, 10, 14);			/* 2 tree updates seen */
	retry(fx, 201, 0, 14, 17);			/* 1 done, 1 running */
	lookup(fx, 201, 0, PROBE_IP);
	/* its hit then cannot get an xol area, three times */
	area_fail(fx, 201, 0);
	area_fail(fx, 201, 0);
	area_fail(fx, 201, 0);
	/* tid 202, CPU 1: a retry across the counter's wrap, somebody's lookup */
	retry(fx, 202, 1, 0xfffffffeU, 2);		/* 2 updates */
	lookup(fx, 202, 1, OTHER_IP);
	/* the next lookup of tid 201 has no retry of its own */
	lookup(fx, 201, 0, PROBE_IP);
	assert_int_equal(ustat_kev_agg__finish(&fx->agg.sig), 0);
}

static void teardown(struct fixture *fx)
{
	ustat_agg__exit(&fx->agg);
	tep_free(fx->tep);
}

static void test_retries_and_area_fails(void **state)
{
	const struct ustat_kev_stats *tot;
	struct ustat_kev_agg *sa;
	struct fixture fx;

	(void)state;
	scenario(&fx);
	sa = &fx.agg.sig;
	tot = &sa->total;
	assert_int_equal(tot->find_retries, 3);
	assert_int_equal(tot->tree_writes, 2 + 1 + 2);
	assert_int_equal(tot->xol_area_fails, 3);
	assert_true(sa->nr_cpus >= 2);
	assert_int_equal(sa->cpu[0].find_retries, 2);
	assert_int_equal(sa->cpu[0].xol_area_fails, 3);
	assert_int_equal(sa->cpu[1].find_retries, 1);
	assert_int_equal(sa->cpu[1].tree_writes, 2);
	assert_int_equal(sa->cpu[1].xol_area_fails, 0);
	/* the probe: its lookups' retries and its restarted hits */
	assert_int_equal(sa->probe[0].lookups, 2);
	assert_int_equal(sa->probe[0].find_retries, 2);
	assert_int_equal(sa->probe[0].xol_area_fails, 3);
	/* the other address has the other retry */
	assert_int_equal(sa->nr_others, 1);
	assert_int_equal(sa->others[0].st.find_retries, 1);
	assert_int_equal(sa->others[0].st.xol_area_fails, 0);
	teardown(&fx);
}

/* top: the CPU cells' and the probe rows' numbers, and that the kernel has them. */
static void test_view(void **state)
{
	struct ustat_view v;
	struct fixture fx;

	(void)state;
	scenario(&fx);
	ustat_view__init(&v, "unit");
	assert_int_equal(ustat_view__tick(&v, &fx.agg, 0, 2000000000ULL), 0);
	assert_true(v.have_retries);
	assert_true(v.have_area_fails);
	assert_int_equal(v.nr_rows, 1);
	assert_string_equal(v.rows[0].name, "target_func");
	assert_int_equal(v.rows[0].tree_retries, 2);
	assert_int_equal(v.rows[0].xol_area_fails, 3);
	assert_true(v.nr_cpus >= 2);
	assert_int_equal(v.cpus[0].tree_retries, 2);
	assert_int_equal(v.cpus[0].xol_area_fails, 3);
	assert_int_equal(v.cpus[1].tree_retries, 1);
	/* a tick later (finish again): attributed once, not twice */
	assert_int_equal(ustat_view__tick(&v, &fx.agg, 0, 3000000000ULL), 0);
	assert_int_equal(v.rows[0].tree_retries, 2);
	ustat_view__exit(&v);
	/* a kernel without them: the view says so rather than showing 0 */
	fx.agg.sig.have[USTAT_KEV_FIND_RETRY] = false;
	fx.agg.sig.have[USTAT_KEV_XOL_AREA_FAIL] = false;
	ustat_view__init(&v, "unit");
	assert_int_equal(ustat_view__tick(&v, &fx.agg, 0, 2000000000ULL), 0);
	assert_false(v.have_retries);
	assert_false(v.have_area_fails);
	ustat_view__exit(&v);
	teardown(&fx);
}

static char *render(void (*fn)(FILE *out, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	fn(out, arg);
	fclose(out);
	return buf;
}

static void has(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("missing: %s\nin:\n%s", what, text);
}

static void om(FILE *out, void *arg)
{
	assert_int_equal(ustat_om__write(out, arg, NULL, USTAT_OM_OPENMETRICS), 0);
}

static void test_openmetrics(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	scenario(&fx);
	t = render(om, &fx.agg);
	has(t, "# HELP uprobe_stat_tree_retries Walks of the uprobes tree repeated");
	has(t, "# TYPE uprobe_stat_tree_retries counter\n");
	has(t, "\nuprobe_stat_tree_retries_total 3\n");
	has(t, "# TYPE uprobe_stat_tree_writes_seen counter\n");
	has(t, "\nuprobe_stat_tree_writes_seen_total 5\n");
	has(t, "# TYPE uprobe_stat_xol_area_failures counter\n");
	has(t, "\nuprobe_stat_xol_area_failures_total 3\n");
	free(t);
	/* absent from a kernel without the events: no family, not a 0 */
	fx.agg.sig.have[USTAT_KEV_FIND_RETRY] = false;
	fx.agg.sig.have[USTAT_KEV_XOL_AREA_FAIL] = false;
	t = render(om, &fx.agg);
	assert_null(strstr(t, "uprobe_stat_tree_retries"));
	assert_null(strstr(t, "uprobe_stat_xol_area_failures"));
	free(t);
	teardown(&fx);
}

struct csv_arg {
	const struct ustat_kev_stats	*st;
	bool				 writes;
};

static void csv_header(FILE *out, void *arg)
{
	(void)arg;
	ustat_report__retries_csv_header(out);
}

static void csv_row(FILE *out, void *arg)
{
	const struct csv_arg *a = arg;

	ustat_report__retries_csv_row(a->st, a->writes, out);
}

static void test_csv_and_counters(void **state)
{
	struct ustat_kev_agg *sa;
	struct csv_arg a;
	struct fixture fx;
	char *t;
	int k, retries = -1, fails = -1;

	(void)state;
	scenario(&fx);
	sa = &fx.agg.sig;
	t = render(csv_header, NULL);
	assert_string_equal(t, ",tree_retries,tree_writes,xol_area_fails");
	free(t);
	a = (struct csv_arg){ &sa->probe[0], false };	/* a probe row: writes are per CPU */
	t = render(csv_row, &a);
	assert_string_equal(t, ",2,,3");
	free(t);
	a = (struct csv_arg){ &sa->cpu[1], true };
	t = render(csv_row, &a);
	assert_string_equal(t, ",1,2,0");
	free(t);
	a = (struct csv_arg){ NULL, true };
	t = render(csv_row, &a);
	assert_string_equal(t, ",,,");
	free(t);
	/* --diff and a merge of -i A -i B show the counters by these names */
	for (k = 0; k < USTAT_KEV_COUNTERS; k++) {
		if (!strcmp(ustat_kev_counter_names[k], "tree_retries"))
			retries = k;
		if (!strcmp(ustat_kev_counter_names[k], "xol_area_fails"))
			fails = k;
	}
	assert_true(retries >= 0 && fails >= 0);
	assert_int_equal(ustat_kev_counter(&sa->probe[0], retries), 2);
	assert_int_equal(ustat_kev_counter(&sa->probe[0], fails), 3);
	assert_int_equal(ustat_kev_counter(&sa->others[0].st, retries), 1);
	teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retries_and_area_fails),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_csv_and_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
