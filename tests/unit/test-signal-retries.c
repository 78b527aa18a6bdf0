// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes_core:uprobe_find_retry and xol_area_fail, from the format texts
 * a kernel with tools-perf-patch/kernel/ exposes (tests/fixtures/
 * uprobes_core/, captured in qemu), through the tool's path: fields found
 * by name, raw records read by offset, counted in total and per CPU, and
 * given to the probe whose lookup they belong to.
 */
#include "unit.h"
#include "kevent-agg.h"
#include "tp-fields.h"
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
	struct ustat_kev_agg	 sa;
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
	assert_int_equal(ustat_kev_agg__init(&fx->sa, NR + 1), 0);
	for (i = 0; i < NR; i++) {
		const struct ustat_tp_field *f[USTAT_TP_MAX_FIELDS] = { NULL };
		int id = atoi(strstr(fmt[i], "\nID: ") + 5), j;

		if (ustat_tp_fields__init(&fx->tf[i], fx->tep, id, sigs[i], err, sizeof(err)))
			fail_msg("%s: %s", events[i], err);
		for (j = 0; j < fx->tf[i].nr; j++)
			f[j] = &fx->tf[i].f[j];
		assert_int_equal(ustat_kev_agg__set_signal(&fx->sa, i + 1, sigs[i], f), 0);
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
	if (idx == 0)
		assert_int_equal(ustat_kev_agg__probe_hit(&fx->sa, 0, &s), 0);
	else
		assert_int_equal(ustat_kev_agg__sample(&fx->sa, idx, &s), 0);
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

static void test_retries_and_area_fails(void **state)
{
	const struct ustat_kev_stats *tot;
	struct fixture fx;

	(void)state;
	setup(&fx);
	/* tid 201, CPU 0: two retries in the lookup of our probe's hit */
	retry(&fx, 201, 0, 10, 14);			/* 2 tree updates seen */
	retry(&fx, 201, 0, 14, 17);			/* 1 done, 1 running */
	lookup(&fx, 201, 0, PROBE_IP);
	/* its hit then cannot get an xol area, three times */
	area_fail(&fx, 201, 0);
	area_fail(&fx, 201, 0);
	area_fail(&fx, 201, 0);
	/* tid 202, CPU 1: a retry across the counter's wrap, somebody's lookup */
	retry(&fx, 202, 1, 0xfffffffeU, 2);		/* 2 updates */
	lookup(&fx, 202, 1, OTHER_IP);
	/* the next lookup of tid 201 has no retry of its own */
	lookup(&fx, 201, 0, PROBE_IP);
	assert_int_equal(ustat_kev_agg__finish(&fx.sa), 0);

	tot = &fx.sa.total;
	assert_int_equal(tot->find_retries, 3);
	assert_int_equal(tot->tree_writes, 2 + 1 + 2);
	assert_int_equal(tot->xol_area_fails, 3);
	assert_true(fx.sa.nr_cpus >= 2);
	assert_int_equal(fx.sa.cpu[0].find_retries, 2);
	assert_int_equal(fx.sa.cpu[0].xol_area_fails, 3);
	assert_int_equal(fx.sa.cpu[1].find_retries, 1);
	assert_int_equal(fx.sa.cpu[1].tree_writes, 2);
	assert_int_equal(fx.sa.cpu[1].xol_area_fails, 0);
	/* the probe: its lookups' retries and its restarted hits */
	assert_int_equal(fx.sa.probe[0].lookups, 2);
	assert_int_equal(fx.sa.probe[0].find_retries, 2);
	assert_int_equal(fx.sa.probe[0].xol_area_fails, 3);
	/* the other address has the other retry */
	assert_int_equal(fx.sa.nr_others, 1);
	assert_int_equal(fx.sa.others[0].st.find_retries, 1);
	assert_int_equal(fx.sa.others[0].st.xol_area_fails, 0);
	ustat_kev_agg__exit(&fx.sa);
	tep_free(fx.tep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retries_and_area_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
