// SPDX-License-Identifier: GPL-2.0
/*
 * The answers BPF fentry/fexit programs on the kernel's uprobe functions
 * gave (bpf/bpf-kfunc.c writes them as metadata records):
 *
 *	kfunc	state=attached	lookup=fentry/fexit find_active_uprobe_rcu ...	xol=...
 *	kfunc	state=refused: EPERM ...	lookup_why=..	xol_why=..
 *	kfunc_cpu	cpu=0	lookups=..	spec=..	fallback=..	not_found=..
 *		xol_alloc=..	xol_free=..
 *	kfunc_lat	cpu=0	path=spec	count=..	sum=..	min=..	max=..
 *		buckets=37:5,..
 *
 * They are kept apart and go into the tables only for the questions no
 * tracepoint of the same file answered: the uprobes_core events, where
 * present, are the first choice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kevent-agg.h"
#include "kevent-agg-int.h"
#include "meta.h"

static struct ustat_kev_stats *kfunc_cpu(struct ustat_kev_kfunc *k, unsigned long long cpu)
{
	struct ustat_kev_stats *n;

	if (cpu >= 8192)
		return NULL;
	if (cpu >= k->nr_cpus) {
		n = realloc(k->cpu, (cpu + 1) * sizeof(*n));
		if (!n)
			return NULL;
		memset(n + k->nr_cpus, 0, (cpu + 1 - k->nr_cpus) * sizeof(*n));
		k->cpu = n;
		k->nr_cpus = cpu + 1;
	}
	return &k->cpu[cpu];
}

static void counts(struct ustat_kev_stats *st, const char *rec)
{
	unsigned long long v;

	if (!ustat_meta__get_u64(rec, "lookups", &v))
		st->lookups += v;
	if (!ustat_meta__get_u64(rec, "spec", &v))
		st->lookups_spec += v;
	if (!ustat_meta__get_u64(rec, "fallback", &v))
		st->lookups_fallback += v;
	if (!ustat_meta__get_u64(rec, "not_found", &v))
		st->lookups_not_found += v;
	if (!ustat_meta__get_u64(rec, "xol_alloc", &v))
		st->xol_allocs += v;
	if (!ustat_meta__get_u64(rec, "xol_free", &v))
		st->xol_frees += v;
}

static int lat(struct ustat_kev_stats *st, const char *rec)
{
	const size_t len = 64 << 10;	/* 1920 buckets of "NNNN:count," fit */
	unsigned long long count, sum, min, max;
	struct ustat_hist **dst, *h;
	char path[16], *buf;
	int ret = -EINVAL;

	if (ustat_meta__get(rec, "path", path, sizeof(path)) < 0 ||
	    ustat_meta__get_u64(rec, "count", &count) || ustat_meta__get_u64(rec, "sum", &sum) ||
	    ustat_meta__get_u64(rec, "min", &min) || ustat_meta__get_u64(rec, "max", &max))
		return -EINVAL;
	if (!strcmp(path, "spec"))
		dst = &st->lat_spec;
	else if (!strcmp(path, "fallback"))
		dst = &st->lat_fallback;
	else
		return -EINVAL;
	buf = malloc(len);
	h = malloc(sizeof(*h));
	if (!buf || !h || !ustat_kev__hist(dst)) {
		ret = -ENOMEM;
		goto out;
	}
	ustat_hist__init(h);
	if (ustat_meta__get(rec, "buckets", buf, len) < 0 || ustat_hist__add_buckets(h, buf))
		goto out;
	h->count = count;
	h->sum = sum;
	h->min = min;
	h->max = max;
	ustat_hist__merge(*dst, h);
	ret = 0;
out:
	free(buf);
	free(h);
	return ret;
}

int ustat_kev_agg__kfunc_meta(struct ustat_kev_agg *sa, const char *rec)
{
	struct ustat_kev_kfunc *k = &sa->kfunc;
	unsigned long long cpu;
	struct ustat_kev_stats *st;
	bool is_lat;

	if (ustat_meta__is(rec, "kfunc")) {
		k->present = true;
		if (ustat_meta__get(rec, "state", k->state, sizeof(k->state)) < 0)
			snprintf(k->state, sizeof(k->state), "?");
		if (ustat_meta__get(rec, "lookup", k->lookup_by, sizeof(k->lookup_by)) < 0)
			k->lookup_by[0] = '\0';
		if (ustat_meta__get(rec, "xol", k->xol_by, sizeof(k->xol_by)) < 0)
			k->xol_by[0] = '\0';
		if (ustat_meta__get(rec, "lookup_why", k->lookup_why, sizeof(k->lookup_why)) < 0)
			k->lookup_why[0] = '\0';
		if (ustat_meta__get(rec, "xol_why", k->xol_why, sizeof(k->xol_why)) < 0)
			k->xol_why[0] = '\0';
		return 1;
	}
	is_lat = ustat_meta__is(rec, "kfunc_lat");
	if (!is_lat && !ustat_meta__is(rec, "kfunc_cpu"))
		return 0;
	if (ustat_meta__get_u64(rec, "cpu", &cpu))
		return 1;
	st = kfunc_cpu(k, cpu);
	if (!st)
		return 1;	/* no memory: this CPU's counts are lost */
	if (is_lat) {
		lat(st, rec);
		lat(&k->total, rec);
	} else {
		counts(st, rec);
		counts(&k->total, rec);
	}
	return 1;
}

/* Only the lookup or only the xol part of S. */
static void part(struct ustat_kev_stats *d, const struct ustat_kev_stats *s, bool lookup)
{
	struct ustat_kev_stats p = { 0 };

	if (lookup) {
		p.lookups = s->lookups;
		p.lookups_spec = s->lookups_spec;
		p.lookups_fallback = s->lookups_fallback;
		p.lookups_not_found = s->lookups_not_found;
		p.lat_spec = s->lat_spec;
		p.lat_fallback = s->lat_fallback;
	} else {
		p.xol_allocs = s->xol_allocs;
		p.xol_frees = s->xol_frees;
	}
	ustat_kev__stats_add(d, &p);
}

void ustat_kev_agg__kfunc_merge(struct ustat_kev_agg *sa)
{
	struct ustat_kev_kfunc *k = &sa->kfunc;
	bool lookup, xol;
	u32 c;

	if (k->lookup_used || k->xol_used)
		return;		/* merged already: a live view finishes at every tick */
	lookup = k->lookup_by[0] && !sa->have[USTAT_KEV_UPROBE_LOOKUP];
	xol = k->xol_by[0] && !sa->have[USTAT_KEV_XOL_ALLOC] && !sa->have[USTAT_KEV_XOL_RECYCLE];
	for (c = 0; c < k->nr_cpus; c++) {
		struct ustat_kev_stats *st = ustat_kev__cpu(sa, c);

		if (!st)
			break;
		if (lookup)
			part(st, &k->cpu[c], true);
		if (xol)
			part(st, &k->cpu[c], false);
	}
	if (lookup)
		part(&sa->total, &k->total, true);
	if (xol)
		part(&sa->total, &k->total, false);
	k->lookup_used = lookup;
	k->xol_used = xol;
}

void ustat_kev_agg__kfunc_exit(struct ustat_kev_agg *sa)
{
	struct ustat_kev_kfunc *k = &sa->kfunc;
	u32 c;

	for (c = 0; c < k->nr_cpus; c++)
		ustat_kev__stats_free(&k->cpu[c]);
	free(k->cpu);
	ustat_kev__stats_free(&k->total);
	memset(k, 0, sizeof(*k));
}
