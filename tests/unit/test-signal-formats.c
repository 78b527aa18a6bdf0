// SPDX-License-Identifier: GPL-2.0
/*
 * The uprobes_core tracepoints without a patched kernel: the exact format
 * texts a kernel with tools-perf-patch/kernel/ exposes
 * (tests/fixtures/uprobes_core/, captured in qemu) go through the tool's
 * own path -- tracing data built and parsed (libtraceevent), fields found
 * by name, raw records read by offset, aggregated in total, per CPU and
 * per probe -- and every derived number is checked against what this
 * test works out by hand from the records it made.
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
#define PROBE_IP	0x401000ULL	/* the probe's breakpoint address */
#define OTHER_IP	0x402000ULL	/* somebody else's uprobe */
#define PID		100

static const char *const events[] = {
	"uprobe_lookup", "uprobe_spec_fail", "xol_slot_alloc", "xol_slot_recycle",
};
static const enum ustat_kevent sigs[] = {
	USTAT_KEV_UPROBE_LOOKUP, USTAT_KEV_SPEC_FAIL, USTAT_KEV_XOL_ALLOC, USTAT_KEV_XOL_RECYCLE,
};

/* Raw records laid out by hand as the fixture formats say (offsets). */
struct raw {
	u8	b[40];
};

static void put(struct raw *r, int off, int size, u64 v)
{
	memcpy(r->b + off, &v, size);	/* little endian, as x86 */
}

struct fixture {
	struct tep_handle	*tep;
	struct ustat_tp_fields	 tf[4];		/* what the backend found, by name */
	struct ustat_kev_agg	 sa;
	u64			 time;
};

/* Event 0 is the probe; events 1..4 are the tracepoints, in events[] order. */
static void setup(struct fixture *fx)
{
	const struct ustat_tdata_event *ev;
	struct ustat_tdata_event tev[4];
	char *fmt[4], *hp, *he, path[256], err[256];
	size_t hp_len, he_len, len[4];
	struct ustat_tdata td = { 0 };
	int i;

	hp = unit_slurp(FIXTURES "header_page", &hp_len);
	he = unit_slurp(FIXTURES "header_event", &he_len);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), FIXTURES "%s/format", events[i]);
		fmt[i] = unit_slurp(path, &len[i]);
		tev[i].system = "uprobes_core";
		tev[i].format = fmt[i];
		tev[i].format_len = len[i];
	}
	ev = tev;
	assert_int_equal(ustat_tdata__build(&td, hp, hp_len, he, he_len, ev, 4), 0);
	fx->tep = ustat_tdata__parse(td.buf, td.len, err, sizeof(err));
	if (!fx->tep)
		fail_msg("the captured formats do not parse: %s", err);
	assert_int_equal(ustat_kev_agg__init(&fx->sa, 5), 0);
	for (i = 0; i < 4; i++) {
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

static void teardown(struct fixture *fx)
{
	ustat_kev_agg__exit(&fx->sa);
	tep_free(fx->tep);
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
static void lookup(struct fixture *fx, u32 tid, u32 cpu, u64 vaddr, u64 lat, bool spec)
{
	struct raw r = { 0 };

	put(&r, 8, 8, vaddr);
	put(&r, 16, 8, lat);
	put(&r, 24, 1, spec);
	put(&r, 25, 1, 1);
	if (vaddr == PROBE_IP)
		feed(fx, 0, tid, cpu, PROBE_IP, NULL);	/* the hit itself */
	feed(fx, 1, tid, cpu, 0, &r);
}

/* uprobe_spec_fail: bp_vaddr@8 u64, seq@16 u32, reason@20 u8 */
static void spec_fail(struct fixture *fx, u32 tid, u32 cpu, u64 reason)
{
	struct raw r = { 0 };

	put(&r, 8, 8, PROBE_IP);
	put(&r, 16, 4, 42);
	put(&r, 20, 1, reason);
	feed(fx, 2, tid, cpu, 0, &r);
}

/*
 * xol_slot_alloc: xol_vaddr@8 u64, wait_ns@16 u64, slot@24 u32, races@28 u32,
 * full@32 u32
 */
static void xol_alloc(struct fixture *fx, u32 tid, u32 cpu, u32 slot, u64 wait, u32 races,
		      u32 full)
{
	struct raw r = { 0 };

	put(&r, 8, 8, 0x7fff0000 + slot * 128);
	put(&r, 16, 8, wait);
	put(&r, 24, 4, slot);
	put(&r, 28, 4, races);
	put(&r, 32, 4, full);
	feed(fx, 3, tid, cpu, 0, &r);
}

/* xol_slot_recycle: slot@8 u32, reason@12 u8, waiters@13 u8 */
static void xol_recycle(struct fixture *fx, u32 tid, u32 cpu, u32 slot, u8 reason, u8 woke)
{
	struct raw r = { 0 };

	put(&r, 8, 4, slot);
	put(&r, 12, 1, reason);
	put(&r, 13, 1, woke);
	feed(fx, 4, tid, cpu, 0, &r);
}

/* The percentile of a log-linear histogram: within one bucket (1/32). */
static void assert_near(u64 got, u64 want)
{
	if (got * 32 < want * 31 || got * 32 > want * 33)
		fail_msg("%llu is not within 1/32 of %llu",
			 (unsigned long long)got, (unsigned long long)want);
}

static void test_captured_formats(void **state)
{
	struct fixture fx;
	const struct ustat_kev_stats *tot, *cpu0, *cpu1, *probe;

	setup(&fx);
	/* tid 101 on CPU 0: four lockless lookups and one slot */
	lookup(&fx, 101, 0, PROBE_IP, 100, true);
	lookup(&fx, 101, 0, PROBE_IP, 200, true);
	lookup(&fx, 101, 0, PROBE_IP, 300, true);
	lookup(&fx, 101, 0, PROBE_IP, 400, true);
	xol_alloc(&fx, 101, 0, 3, 0, 0, 0);
	xol_recycle(&fx, 101, 0, 3, 0, 0);		/* single_step */
	/* tid 102 on CPU 1: speculation fails, falls back, slot 3 again */
	spec_fail(&fx, 102, 1, 0);			/* write_locked */
	spec_fail(&fx, 102, 1, 0);
	spec_fail(&fx, 102, 1, 1);			/* seq_changed */
	lookup(&fx, 102, 1, PROBE_IP, 5000, false);
	lookup(&fx, 102, 1, PROBE_IP, 7000, false);
	/* freed on CPU 0: cross-CPU; a race lost, then the page full once */
	xol_alloc(&fx, 102, 1, 3, 2500, 1, 1);
	xol_recycle(&fx, 102, 1, 3, 2, 1);		/* aborted, woke a waiter */
	/* tid 103 on CPU 0 hits a uprobe that is not ours */
	lookup(&fx, 103, 0, OTHER_IP, 50, true);
	assert_int_equal(ustat_kev_agg__finish(&fx.sa), 0);

	tot = &fx.sa.total;
	assert_int_equal(tot->lookups, 7);
	assert_int_equal(tot->lookups_spec, 5);
	assert_int_equal(tot->lookups_fallback, 2);
	assert_int_equal(tot->lookups_not_found, 0);
	assert_int_equal(tot->spec_fail[0], 2);
	assert_int_equal(tot->spec_fail[1], 1);
	assert_int_equal(tot->spec_fail[2] + tot->spec_fail[3] + tot->spec_fail[4] +
			 tot->spec_fail[5], 0);
	assert_int_equal(tot->xol_allocs, 2);
	assert_int_equal(tot->xol_waits, 1);
	assert_int_equal(tot->xol_tries, 4);	/* 1 + (1 + 1 + 1) */
	assert_int_equal(tot->xol_wait->count, 1);
	assert_int_equal(tot->xol_wait->max, 2500);
	assert_int_equal(tot->xol_recycles[0], 1);
	assert_int_equal(tot->xol_recycles[1], 0);
	assert_int_equal(tot->xol_recycles[2], 1);
	assert_int_equal(tot->xol_woke, 1);
	assert_int_equal(tot->xol_cross_cpu, 1);
	/* lockless: 50, 100, 200, 300, 400; fallback: 5000, 7000 */
	assert_int_equal(tot->lat_spec->count, 5);
	assert_int_equal(tot->lat_spec->min, 50);
	assert_int_equal(tot->lat_spec->max, 400);
	assert_near(ustat_hist__percentile(tot->lat_spec, 50), 200);
	assert_near(ustat_hist__percentile(tot->lat_spec, 90), 400);
	assert_int_equal(tot->lat_fallback->count, 2);
	assert_int_equal(tot->lat_fallback->min, 5000);
	assert_int_equal(tot->lat_fallback->max, 7000);
	assert_near(ustat_hist__percentile(tot->lat_fallback, 50), 5000);

	assert_true(fx.sa.nr_cpus >= 2);
	cpu0 = &fx.sa.cpu[0];
	cpu1 = &fx.sa.cpu[1];
	assert_int_equal(cpu0->lookups, 5);
	assert_int_equal(cpu0->lookups_fallback, 0);
	assert_int_equal(cpu1->lookups, 2);
	assert_int_equal(cpu1->lookups_fallback, 2);
	assert_int_equal(cpu1->spec_fail[0], 2);
	assert_int_equal(cpu0->xol_cross_cpu, 0);
	assert_int_equal(cpu1->xol_cross_cpu, 1);
	assert_int_equal(cpu1->xol_waits, 1);

	/* the probe: its six lookups and, through their tasks, both slots */
	probe = &fx.sa.probe[0];
	assert_int_equal(probe->lookups, 6);
	assert_int_equal(probe->lookups_spec, 4);
	assert_int_equal(probe->lookups_fallback, 2);
	assert_near(ustat_hist__percentile(probe->lat_spec, 50), 200);
	assert_int_equal(probe->lat_spec->min, 100);
	assert_int_equal(probe->spec_fail[0], 2);
	assert_int_equal(probe->spec_fail[1], 1);
	assert_int_equal(probe->xol_allocs, 2);
	assert_int_equal(probe->xol_recycles[0] + probe->xol_recycles[2], 2);
	assert_int_equal(probe->xol_cross_cpu, 1);
	/* the other uprobe's lookup is nobody's probe */
	assert_int_equal(fx.sa.unattributed, 1);
	teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
