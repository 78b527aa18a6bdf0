// SPDX-License-Identifier: GPL-2.0
/*
 * What record -b writes read back (bpf-meta.c): hits and latency
 * histograms into the aggregation, the calibration, bad records skipped;
 * and the kernel path judged from a probe's first bytes.
 */
#include "unit.h"
#include "aggregate.h"
#include "bpf-meta.h"
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_classify(void **state)
{
	static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const unsigned char push_rbp[] = { 0x55, 0x48, 0x89, 0xe5 };
	static const unsigned char push_r12[] = { 0x41, 0x54 };
	static const unsigned char nop1[] = { 0x90 };
	static const unsigned char mov[] = { 0x48, 0x89, 0xf8 };
	static const unsigned char endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const unsigned char rip_mov[] = { 0x48, 0x8b, 0x05, 0, 0, 0, 0 };

	(void)state;
#ifdef __x86_64__
	assert_int_equal(ustat_bpf_calib__classify(nop5, sizeof(nop5)), USTAT_BPF_CALIB_NOP5);
	assert_int_equal(ustat_bpf_calib__classify(push_rbp, sizeof(push_rbp)), USTAT_BPF_CALIB_INT3);
	assert_int_equal(ustat_bpf_calib__classify(push_r12, sizeof(push_r12)), USTAT_BPF_CALIB_INT3);
	assert_int_equal(ustat_bpf_calib__classify(nop1, sizeof(nop1)), USTAT_BPF_CALIB_INT3);
	/* a nop5 cut short is not one */
	assert_int_equal(ustat_bpf_calib__classify(nop5, 3), USTAT_BPF_CALIB_INT3);
#endif
	assert_int_equal(ustat_bpf_calib__classify(mov, sizeof(mov)), USTAT_BPF_CALIB_XOL);
	assert_int_equal(ustat_bpf_calib__classify(endbr, sizeof(endbr)), USTAT_BPF_CALIB_XOL);
	assert_int_equal(ustat_bpf_calib__classify(rip_mov, sizeof(rip_mov)), USTAT_BPF_CALIB_XOL);
	assert_int_equal(ustat_bpf_calib__classify(mov, 0), USTAT_BPF_CALIB_XOL);
}

/* Two events: "work" (entry, paired with 1) and "work%return". */
static struct ustat_event_info evs[2];
static struct ustat_event_infos infos = { .ev = evs, .nr = 2, .nr_funcs = 1 };

static char *rec(const char *kind, const char *kv)
{
	struct ustat_meta_buf m = { 0 };
	char *copy = strdup(kv), *tok, *save = NULL;

	assert_int_equal(ustat_meta__begin(&m, kind), 0);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		*eq = '\0';
		assert_int_equal(ustat_meta__add(&m, tok, eq + 1), 0);
	}
	free(copy);
	return m.s;
}

static void test_apply(void **state)
{
	struct ustat_agg agg;
	struct ustat_bpf_calib c;
	char buckets[64], lat[256];
	char *meta[8];
	int nr = 0, i;

	(void)state;
	memset(evs, 0, sizeof(evs));
	evs[0].kind = USTAT_EVENT_PROBE;
	evs[0].display = (char *)"work";
	evs[0].pair = 1;
	evs[0].func_idx = 0;
	evs[1].kind = USTAT_EVENT_RETPROBE;
	evs[1].display = (char *)"work%return";
	evs[1].pair = 0;
	evs[1].func_idx = 0;
	assert_int_equal(ustat_agg__init(&agg, &infos), 0);

	snprintf(buckets, sizeof(buckets), "%u:4,%u:1", ustat_hist__bucket(100),
		 ustat_hist__bucket(1000));
	snprintf(lat, sizeof(lat), "idx=0 cpu=1 count=5 sum=1400 min=100 max=1000 kind=int3 buckets=%s",
		 buckets);
	meta[nr++] = rec("bpf", "consumer=bpf cpus=2 too_deep=3 calib_source=measured calib_int3=335,327,343");
	meta[nr++] = rec("bpf_hits", "idx=0 cpu=1 hits=5");
	meta[nr++] = rec("bpf_hits", "idx=1 cpu=1 hits=5");
	meta[nr++] = rec("bpf_lat", lat);
	/* not ours to count: an index past the events, a bucket past the last */
	meta[nr++] = rec("bpf_hits", "idx=7 cpu=0 hits=99");
	meta[nr++] = rec("bpf_lat", "idx=0 cpu=0 count=1 sum=1 min=1 max=1 buckets=99999:1");
	meta[nr++] = rec("bpf_lat", "idx=1 cpu=0 count=1 sum=1 min=1 max=1 buckets=1:1");

	assert_true(ustat_bpf_meta__is_bpf(meta, nr));
	assert_false(ustat_bpf_meta__is_bpf(meta + 1, nr - 1));
	assert_int_equal(ustat_bpf_meta__apply(&agg, meta, nr), 0);
	assert_int_equal(agg.probes[0].hits, 5);
	assert_int_equal(agg.probes[1].hits, 5);
	assert_int_equal(agg.probes[0].cpu_hits[1], 5);
	assert_int_equal(agg.cpu_hits[1], 10);
	assert_int_equal(agg.samples, 10);
	assert_non_null(agg.probes[0].lat);
	assert_int_equal(agg.probes[0].lat->count, 5);
	assert_int_equal(agg.probes[0].lat->min, 100);
	assert_int_equal(agg.probes[0].lat->max, 1000);
	assert_true(ustat_hist__percentile(agg.probes[0].lat, 50) >= 100 &&
		    ustat_hist__percentile(agg.probes[0].lat, 50) < 104);
	assert_int_equal(ustat_hist__percentile(agg.probes[0].lat, 100), 1000);

	assert_int_equal(ustat_bpf_meta__kind(meta, nr, 0), USTAT_BPF_CALIB_INT3);
	assert_int_equal(ustat_bpf_meta__kind(meta, nr, 1), -1);
	assert_int_equal(ustat_bpf_meta__u64(meta, nr, "too_deep"), 3);
	ustat_bpf_meta__calib(meta, nr, &c);
	assert_string_equal(c.source, "measured");
	assert_true(c.valid[USTAT_BPF_CALIB_INT3]);
	assert_false(c.valid[USTAT_BPF_CALIB_NOP5]);
	assert_int_equal(c.p50[USTAT_BPF_CALIB_INT3], 335);
	assert_int_equal(c.p10[USTAT_BPF_CALIB_INT3], 327);
	assert_int_equal(c.p90[USTAT_BPF_CALIB_INT3], 343);

	for (i = 0; i < nr; i++)
		free(meta[i]);
	ustat_agg__exit(&agg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
