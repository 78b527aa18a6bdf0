// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF fentry sources' metadata records ("kfunc", "kfunc_cpu",
 * "kfunc_lat", as bpf-kfunc.c writes them) read back by
 * core/kevent-kfunc.c: counted in total and per CPU, added to the tables
 * only where no tracepoint answered, once, and named as the source of the
 * answer; where the kernel refused, its reason is the report's.
 */
#include "unit.h"
#include "aggregate.h"
#include "kevent-agg.h"
#include "meta.h"
#include "report.h"
#include "report-kevents.h"

#include <string.h>

#define LOOKUP_BY "fentry/fexit find_active_uprobe_rcu, fallbacks by tp_btf mmap_lock_start_locking (the target's processes)"
#define XOL_BY "fentry arch_uprobe_copy_ixol, fentry xol_free_insn_slot (the target's processes)"
#define REFUSED "the kernel refused fentry (EPERM on BPF_PROG_LOAD; lockdown: integrity (allows tracing: not the cause))"

struct recs {
	char	*v[8];
	int	 nr;
};

static void add(struct recs *r, struct ustat_meta_buf *m)
{
	r->v[r->nr++] = m->s;
	memset(m, 0, sizeof(*m));
}

static void head(struct recs *r, const char *state, const char *lookup, const char *xol)
{
	struct ustat_meta_buf m = { 0 };

	assert_int_equal(ustat_meta__begin(&m, "kfunc"), 0);
	assert_int_equal(ustat_meta__add(&m, "state", state), 0);
	if (lookup)
		assert_int_equal(ustat_meta__add(&m, "lookup", lookup), 0);
	if (xol)
		assert_int_equal(ustat_meta__add(&m, "xol", xol), 0);
	add(r, &m);
}

static void cpu(struct recs *r, int c, int lookups, int spec, int fallback, int allocs, int frees)
{
	struct ustat_meta_buf m = { 0 };

	assert_int_equal(ustat_meta__begin(&m, "kfunc_cpu") || ustat_meta__add_u64(&m, "cpu", c) ||
			 ustat_meta__add_u64(&m, "lookups", lookups) ||
			 ustat_meta__add_u64(&m, "spec", spec) ||
			 ustat_meta__add_u64(&m, "fallback", fallback) ||
			 ustat_meta__add_u64(&m, "not_found", 0) ||
			 ustat_meta__add_u64(&m, "xol_alloc", allocs) ||
			 ustat_meta__add_u64(&m, "xol_free", frees), 0);
	add(r, &m);
}

/* COUNT lookups of NS each on CPU C, in the bucket ../histogram.c puts NS in. */
static void lat(struct recs *r, int c, const char *path, int count, u64 ns)
{
	struct ustat_meta_buf m = { 0 };
	char buckets[32];

	snprintf(buckets, sizeof(buckets), "%u:%d", ustat_hist__bucket(ns), count);
	assert_int_equal(ustat_meta__begin(&m, "kfunc_lat") || ustat_meta__add_u64(&m, "cpu", c) ||
			 ustat_meta__add(&m, "path", path) || ustat_meta__add_u64(&m, "count", count) ||
			 ustat_meta__add_u64(&m, "sum", count * ns) ||
			 ustat_meta__add_u64(&m, "min", ns) || ustat_meta__add_u64(&m, "max", ns) ||
			 ustat_meta__add(&m, "buckets", buckets), 0);
	add(r, &m);
}

static void attached(struct recs *r)
{
	head(r, "attached", LOOKUP_BY, XOL_BY);
	cpu(r, 0, 100, 90, 10, 0, 0);
	cpu(r, 1, 50, 50, 0, 40, 40);
	lat(r, 0, "spec", 90, 1000);
	lat(r, 0, "fallback", 10, 50000);
	lat(r, 1, "spec", 50, 2000);
}

static void free_recs(struct recs *r)
{
	while (r->nr--)
		free(r->v[r->nr]);
}

static const char *source(struct ustat_agg *agg, enum ustat_kevent_topic t, char *buf, size_t len)
{
	struct ustat_report rep = { .agg = agg };

	return ustat_report__topic_source(&rep, t, buf, len);
}

static void test_fills_the_tables(void **state)
{
	struct ustat_agg agg;
	struct ustat_kev_agg *sa = &agg.sig;
	struct recs r = { 0 };
	char buf[512];

	(void)state;
	memset(&agg, 0, sizeof(agg));
	attached(&r);
	assert_int_equal(ustat_kev_agg__init(sa, 1), 0);
	ustat_kev_agg__load_meta(sa, r.v, r.nr);
	assert_true(ustat_kev_agg__any(sa));
	assert_int_equal(ustat_kev_agg__finish(sa), 0);
	assert_int_equal(ustat_kev_agg__finish(sa), 0);	/* a live view's second tick */
	assert_int_equal(sa->total.lookups, 150);
	assert_int_equal(sa->total.lookups_spec, 140);
	assert_int_equal(sa->total.lookups_fallback, 10);
	assert_int_equal(sa->total.xol_allocs, 40);
	assert_int_equal(sa->total.xol_frees, 40);
	assert_int_equal(sa->total.lat_spec->count, 140);
	assert_int_equal(sa->total.lat_fallback->count, 10);
	assert_int_equal(sa->total.lat_fallback->max, 50000);
	assert_true(sa->nr_cpus >= 2);
	assert_int_equal(sa->cpu[0].lookups_fallback, 10);
	assert_int_equal(sa->cpu[1].lookups, 50);
	assert_int_equal(sa->cpu[1].xol_allocs, 40);
	assert_int_equal(ustat_kev_agg__topic(sa, USTAT_TOPIC_LOOKUP), USTAT_TOPIC_AVAILABLE);
	assert_int_equal(ustat_kev_agg__topic(sa, USTAT_TOPIC_XOL), USTAT_TOPIC_AVAILABLE);
	assert_string_equal(source(&agg, USTAT_TOPIC_LOOKUP, buf, sizeof(buf)), "BPF " LOOKUP_BY);
	assert_string_equal(source(&agg, USTAT_TOPIC_XOL, buf, sizeof(buf)), "BPF " XOL_BY);
	ustat_kev_agg__exit(sa);
	free_recs(&r);
}

/* The tracepoints are the first choice: the BPF counts stay apart. */
static void test_tracepoints_first(void **state)
{
	struct ustat_agg agg;
	struct ustat_kev_agg *sa = &agg.sig;
	struct recs r = { 0 };
	char buf[512];

	(void)state;
	memset(&agg, 0, sizeof(agg));
	attached(&r);
	assert_int_equal(ustat_kev_agg__init(sa, 1), 0);
	ustat_kev_agg__load_meta(sa, r.v, r.nr);
	sa->have[USTAT_KEV_UPROBE_LOOKUP] = true;	/* as set_signal() does */
	assert_int_equal(ustat_kev_agg__finish(sa), 0);
	assert_int_equal(sa->total.lookups, 0);
	assert_int_equal(sa->kfunc.total.lookups, 150);
	assert_int_equal(sa->total.xol_allocs, 40);	/* no xol tracepoint: from BPF */
	assert_false(sa->kfunc.lookup_used);
	assert_string_equal(source(&agg, USTAT_TOPIC_LOOKUP, buf, sizeof(buf)),
			    "tracepoint uprobes_core:uprobe_lookup");
	ustat_kev_agg__exit(sa);
	free_recs(&r);
}

/* Refused: nothing counted, and the reason is the answer. */
static void test_refused_says_why(void **state)
{
	struct ustat_agg agg;
	struct ustat_kev_agg *sa = &agg.sig;
	struct recs r = { 0 };
	char buf[512], want[512];

	(void)state;
	memset(&agg, 0, sizeof(agg));
	head(&r, REFUSED, NULL, NULL);
	assert_int_equal(ustat_kev_agg__init(sa, 1), 0);
	ustat_kev_agg__load_meta(sa, r.v, r.nr);
	assert_int_equal(ustat_kev_agg__finish(sa), 0);
	assert_int_equal(ustat_kev_agg__topic(sa, USTAT_TOPIC_LOOKUP), USTAT_TOPIC_UNAVAILABLE);
	assert_string_equal(sa->kfunc.state, REFUSED);
	snprintf(want, sizeof(want),
		 "unavailable: %s; apply tools-perf-patch/kernel (uprobes_core:uprobe_lookup: not in this file)",
		 REFUSED);
	assert_string_equal(source(&agg, USTAT_TOPIC_LOOKUP, buf, sizeof(buf)), want);
	ustat_kev_agg__exit(sa);
	free_recs(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_the_tables),
		cmocka_unit_test(test_tracepoints_first),
		cmocka_unit_test(test_refused_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
