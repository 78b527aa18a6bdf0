// SPDX-License-Identifier: GPL-2.0
/*
 * One probe, several uprobes: the sites record writes into the metadata
 * become one probe in event-info.c, aggregate.c sums their hits into the
 * first while keeping each site's own count, only the out-of-line entry
 * pairs with a %return, and reports show the probe once.  A file whose
 * sites do not add up (damaged, or made up) leaves each event alone.
 */
#include "unit.h"
#include "aggregate.h"
#include "event-info.h"
#include "backend.h"
#include "report.h"

#include <string.h>

#define META(display, site, sites, kind, ret)					\
	"event\tkind=uprobe\tdisplay=" display "\tbinary=/bin/x\tfunc=f"	\
	"\tfunc_offset=0\treturn=" #ret "\tsite_kind=" kind "\tsite=" #site	\
	"\tsites=" #sites

static const char * const metas[] = {
	META("f", 0, 3, "func", 0),
	META("f", 1, 3, "inline", 0),	/* at another function's entry: no pair */
	META("f", 2, 3, "inline", 0),
	META("f%return", 0, 1, "func", 1),
	META("g", 2, 3, "line", 0),	/* claims a first site that is not there */
	META("h", 0, 3, "line", 0),	/* claims sites that are not there */
	META("h", 1, 3, "line", 0),
	META("k", 0, 0, "func", 0),	/* a file from before sites: no keys, or 0 */
};

#define NR	((int)(sizeof(metas) / sizeof(metas[0])))

static struct ustat_event_desc descs[NR];
static struct ustat_event_infos infos;

static int setup(void **state)
{
	int i;

	for (i = 0; i < NR; i++) {
		descs[i].name = "probe_x:f";
		descs[i].meta = metas[i];
	}
	return ustat_event_infos__build(&infos, descs, NR);
}

static int teardown(void **state)
{
	ustat_event_infos__exit(&infos);
	return 0;
}

static void test_grouping(void **state)
{
	const struct ustat_event_info *ev = infos.ev;

	assert_int_equal(ustat_event_info__sites(&ev[0]), 3);
	assert_int_equal(ev[1].site, 1);
	assert_int_equal(ev[2].site, 2);
	assert_int_equal(ustat_event_info__probe(&infos, 2), 0);
	/* The return pairs with the out-of-line entry, never an inlined copy. */
	assert_int_equal(ev[3].pair, 0);
	assert_int_equal(ev[0].pair, 3);
	assert_false(ev[1].at_entry);
	assert_int_equal(ev[1].pair, -1);
	/* Damaged claims stand alone. */
	assert_int_equal(ev[4].site, 0);
	assert_int_equal(ustat_event_info__sites(&ev[4]), 1);
	assert_int_equal(ustat_event_info__sites(&ev[5]), 2);
	assert_int_equal(ustat_event_info__probe(&infos, 6), 5);
	assert_int_equal(ustat_event_info__sites(&ev[7]), 1);
	assert_int_equal(ustat_event_info__probe(&infos, 7), 7);
}

static void test_counting(void **state)
{
	struct ustat_report rep = { 0 };
	struct ustat_agg agg;
	const struct ustat_hist *h;

	assert_int_equal(ustat_agg__init(&agg, &infos), 0);
	/* A call of f (entry, return), and f inlined twice elsewhere, on one thread. */
	assert_int_equal(ustat_agg__sample(&agg, 0, 0, 7, 100), 0);
	assert_int_equal(ustat_agg__sample(&agg, 1, 1, 7, 110), 0);
	assert_int_equal(ustat_agg__sample(&agg, 2, 1, 7, 120), 0);
	assert_int_equal(ustat_agg__sample(&agg, 2, 0, 7, 125), 0);
	assert_int_equal(ustat_agg__sample(&agg, 3, 0, 7, 150), 0);
	ustat_agg__finish(&agg);

	assert_int_equal(agg.probes[0].hits, 4);
	assert_int_equal(agg.probes[0].cpu_hits[0], 2);
	assert_int_equal(agg.probes[0].cpu_hits[1], 2);
	assert_int_equal(agg.probes[1].hits, 0);
	assert_int_equal(agg.probes[0].site_hits, 1);
	assert_int_equal(agg.probes[1].site_hits, 1);
	assert_int_equal(agg.probes[2].site_hits, 2);
	assert_int_equal(agg.samples, 5);
	/* The inlined copies opened nothing: one latency, entry to return. */
	h = agg.probes[0].lat;
	assert_non_null(h);
	assert_int_equal(h->count, 1);
	assert_int_equal(h->min, 50);
	assert_int_equal(agg.probes[0].open_entries, 0);

	rep.agg = &agg;
	assert_true(ustat_report__is_probe(&rep, 0));
	assert_false(ustat_report__is_probe(&rep, 1));
	assert_false(ustat_report__is_probe(&rep, 2));
	assert_true(ustat_report__is_probe(&rep, 4));
	ustat_agg__exit(&agg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_counting),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
