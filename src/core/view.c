// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "report.h"
#include "report-cost.h"
#include "report-kevents.h"
#include "view.h"

const char *const ustat_metric_names[USTAT_METRIC_NR] = {
	[USTAT_METRIC_HITS]		= "hits/s",
	[USTAT_METRIC_LOOKUP_P99]	= "lookup p99",
	[USTAT_METRIC_FALLBACK]		= "fallback %",
	[USTAT_METRIC_XOL_WAIT]		= "xol wait p99",
	[USTAT_METRIC_LOCK_WAIT]	= "lock wait p99",
};

static const char *const metric_units[USTAT_METRIC_NR] = {
	[USTAT_METRIC_HITS]		= "/s",
	[USTAT_METRIC_LOOKUP_P99]	= "ns",
	[USTAT_METRIC_FALLBACK]		= "%",
	[USTAT_METRIC_XOL_WAIT]		= "ns",
	[USTAT_METRIC_LOCK_WAIT]	= "ns",
};

const char *const ustat_view_sort_names[USTAT_SORT_BY_NR] = {
	[USTAT_SORT_BY_HITS]		= "hits",
	[USTAT_SORT_BY_RATE]		= "hits/s",
	[USTAT_SORT_BY_LATENCY]		= "latency p99",
	[USTAT_SORT_BY_FALLBACKS]	= "fallbacks",
	[USTAT_SORT_BY_NAME]		= "name",
};

void ustat_view__init(struct ustat_view *v, const char *target)
{
	memset(v, 0, sizeof(*v));
	v->target = target;
}

void ustat_view__exit(struct ustat_view *v)
{
	free(v->cpus);
	free(v->rows);
	free(v->prev_cpu_hits);
	free(v->prev_probe_hits);
	free(v->cpu_rate);
	free(v->probe_rate);
	memset(v, 0, sizeof(*v));
}

int ustat_view__level(enum ustat_metric m, double value, double max)
{
	int level;

	if (value <= 0 || max <= 0)
		return 0;
	if (m == USTAT_METRIC_FALLBACK)
		level = (int)(value / 100.0 * (USTAT_VIEW_LEVELS - 1) + 0.5);
	else
		level = (int)(log1p(value) / log1p(max) * (USTAT_VIEW_LEVELS - 1) + 0.5);
	if (level < 0)
		level = 0;
	if (level >= USTAT_VIEW_LEVELS)
		level = USTAT_VIEW_LEVELS - 1;
	return level;
}

/* The legend: the lowest value of each level. */
static void fill_scale(struct ustat_view *v, double max)
{
	int i;

	for (i = 0; i < USTAT_VIEW_LEVELS; i++) {
		double f = (i - 0.5) / (USTAT_VIEW_LEVELS - 1);

		if (i == 0)
			v->scale[i] = 0;
		else if (v->metric == USTAT_METRIC_FALLBACK)
			v->scale[i] = f * 100.0;
		else
			v->scale[i] = expm1(f * log1p(max));
	}
}

static u64 p99(const struct ustat_hist *h)
{
	return h && h->count ? ustat_hist__percentile(h, 99) : 0;
}

/* A CPU's value of the chosen metric; false when it has none. */
static bool cpu_metric(const struct ustat_view *v, const struct ustat_agg *agg,
		       const struct ustat_view_cpu *c, double *value)
{
	const struct ustat_kev_stats *st = c->cpu < agg->sig.nr_cpus ? &agg->sig.cpu[c->cpu] : NULL;

	switch (v->metric) {
	case USTAT_METRIC_HITS:
		*value = c->rate;
		return true;
	case USTAT_METRIC_LOOKUP_P99:
		*value = st ? p99(st->lat_spec ? st->lat_spec : st->lat_fallback) : 0;
		if (st && st->lat_spec && st->lat_fallback)
			*value = fmax(p99(st->lat_spec), p99(st->lat_fallback));
		return agg->sig.have[USTAT_KEV_UPROBE_LOOKUP];
	case USTAT_METRIC_FALLBACK:
		*value = c->hits ? 100.0 * c->fallbacks / c->hits : 0;
		if (*value > 100)
			*value = 100;
		return agg->sig.have[USTAT_KEV_UPROBE_LOOKUP] ||
		       agg->sig.have[USTAT_KEV_MMAP_START];
	case USTAT_METRIC_XOL_WAIT:
		*value = st ? p99(st->xol_wait) : 0;
		return agg->sig.have[USTAT_KEV_XOL_ALLOC];
	case USTAT_METRIC_LOCK_WAIT:
		*value = st ? p99(st->contention) : 0;
		return agg->sig.have[USTAT_KEV_LOCK_BEGIN];
	case USTAT_METRIC_NR:
	default:
		return false;
	}
}

static int cmp_rows_by(const struct ustat_view_row *a, const struct ustat_view_row *b,
		       enum ustat_view_sort sort)
{
	switch (sort) {
	case USTAT_SORT_BY_RATE:
		if (a->rate != b->rate)
			return a->rate > b->rate ? -1 : 1;
		break;
	case USTAT_SORT_BY_LATENCY:
		if (a->lat_p99 != b->lat_p99)
			return a->lat_p99 > b->lat_p99 ? -1 : 1;
		break;
	case USTAT_SORT_BY_FALLBACKS:
		if (a->fallbacks != b->fallbacks)
			return a->fallbacks > b->fallbacks ? -1 : 1;
		break;
	case USTAT_SORT_BY_NAME:
		return strcmp(a->name, b->name);
	case USTAT_SORT_BY_HITS:
	case USTAT_SORT_BY_NR:
	default:
		break;
	}
	if (a->hits != b->hits)
		return a->hits > b->hits ? -1 : 1;
	return a->idx - b->idx;
}

static enum ustat_view_sort sort_key;

static int cmp_rows(const void *a, const void *b)
{
	return cmp_rows_by(a, b, sort_key);
}

/* Grow a per-CPU or per-event rate array to N, new entries 0. */
static int grow_rates(double **arr, u32 *have, u32 n)
{
	u32 old = *have;

	if (ustat_array_grow(*arr, *have, n))
		return -ENOMEM;
	if (*have > old)
		memset(*arr + old, 0, (*have - old) * sizeof(double));
	return 0;
}

static int fill_cpus(struct ustat_view *v, const struct ustat_agg *agg, double interval)
{
	struct ustat_view_cpu *c;
	double max = 0;
	u32 i, n = agg->nr_cpus > agg->sig.nr_cpus ? agg->nr_cpus : agg->sig.nr_cpus;

	c = realloc(v->cpus, (n ? n : 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	v->cpus = c;
	v->nr_cpus = n;
	if (grow_rates(&v->cpu_rate, &v->nr_cpu_rate, n))
		return -ENOMEM;
	v->metric_available = false;
	for (i = 0; i < n; i++) {
		const struct ustat_kev_stats *st = i < agg->sig.nr_cpus ? &agg->sig.cpu[i] : NULL;
		u64 hits = i < agg->nr_cpus ? agg->cpu_hits[i] : 0;
		u64 prev = i < v->prev_cpus ? v->prev_cpu_hits[i] : 0;

		memset(&c[i], 0, sizeof(c[i]));
		c[i].cpu = i;
		c[i].hits = hits;
		/* A refresh between ticks (interval 0) keeps the last rate. */
		if (interval > 0)
			v->cpu_rate[i] = (hits - prev) / interval;
		c[i].rate = v->cpu_rate[i];
		c[i].lost = i < agg->nr_cpus ? agg->cpu_lost[i] : 0;
		if (st) {
			c[i].lookups = st->lookups;
			c[i].fallbacks = st->lookups_fallback + st->mmap_fallbacks;
			c[i].xol_allocs = st->xol_allocs;
			c[i].contended = st->contended;
			c[i].tree_retries = st->find_retries;
			c[i].xol_area_fails = st->xol_area_fails;
		}
		c[i].has = cpu_metric(v, agg, &c[i], &c[i].value);
		v->metric_available |= c[i].has;
		if (c[i].has && c[i].value > max)
			max = c[i].value;
	}
	if (v->metric == USTAT_METRIC_FALLBACK)
		max = 100;
	for (i = 0; i < n; i++)
		c[i].level = c[i].has ? ustat_view__level(v->metric, c[i].value, max) : 0;
	fill_scale(v, max);
	return 0;
}

static int fill_rows(struct ustat_view *v, const struct ustat_agg *agg, double interval,
		     double elapsed)
{
	const struct ustat_event_infos *infos = agg->infos;
	struct ustat_report rep = { .rec = v->rec, .events = v->events, .agg = agg };
	struct ustat_view_row *r;
	int i, n = 0;

	u32 have = v->nr_probe_rate;

	r = realloc(v->rows, (infos->nr ? infos->nr : 1) * sizeof(*r));
	if (!r || grow_rates(&v->probe_rate, &have, infos->nr)) {
		if (r)
			v->rows = r;
		return -ENOMEM;
	}
	v->rows = r;
	v->nr_probe_rate = have;
	for (i = 0; i < infos->nr; i++) {
		const struct ustat_probe_agg *p = &agg->probes[i];
		const struct ustat_kev_stats *st = agg->sig.probe ? &agg->sig.probe[i] : NULL;
		u64 prev = v->prev_probe_hits ? v->prev_probe_hits[i] : 0;

		/* A probe's other sites are counted in its first. */
		if (infos->ev[i].kind == USTAT_EVENT_KERNEL || infos->ev[i].site)
			continue;
		/* A refresh between ticks (interval 0) keeps the last rate. */
		if (interval > 0)
			v->probe_rate[i] = (p->hits - prev) / interval;
		memset(&r[n], 0, sizeof(r[n]));
		r[n].idx = i;
		r[n].name = infos->ev[i].display;
		r[n].is_return = infos->ev[i].kind == USTAT_EVENT_RETPROBE;
		r[n].hits = p->hits;
		r[n].rate = v->probe_rate[i];
		r[n].avg_rate = elapsed > 0 ? p->hits / elapsed : 0;
		if (p->lat && p->lat->count) {
			r[n].lat_count = p->lat->count;
			r[n].lat_p50 = ustat_hist__percentile(p->lat, 50);
			r[n].lat_p99 = ustat_hist__percentile(p->lat, 99);
		}
		if (st) {
			r[n].lookups = st->lookups;
			r[n].fallbacks = st->lookups_fallback + st->mmap_fallbacks;
			r[n].tree_retries = st->find_retries;
			r[n].xol_area_fails = st->xol_area_fails;
		}
		r[n].fallback_pct = p->hits ? 100.0 * r[n].fallbacks / p->hits : 0;
		if (v->rec && v->events)
			ustat_report__cost(&rep, i, &r[n].cost, r[n].hit_path,
					   sizeof(r[n].hit_path));
		else
			snprintf(r[n].cost.why, sizeof(r[n].cost.why),
				 "the view was not given the recording's calibration");
		n++;
	}
	v->nr_rows = n;
	v->nr_probes = n;
	sort_key = v->sort;
	qsort(v->rows, n, sizeof(*v->rows), cmp_rows);
	return 0;
}

static void fill_header(struct ustat_view *v, struct ustat_agg *agg)
{
	struct ustat_report rep = { .agg = agg };
	int t;

	v->samples = agg->samples;
	v->lost = agg->lost;
	v->metric_name = ustat_metric_names[v->metric];
	v->metric_unit = metric_units[v->metric];
	v->have_retries = agg->sig.have[USTAT_KEV_FIND_RETRY];
	v->have_area_fails = agg->sig.have[USTAT_KEV_XOL_AREA_FAIL];
	for (t = 0; t < USTAT_TOPIC_NR; t++) {
		const char *s = ustat_report__topic_source(&rep, t, v->source[t],
							   sizeof(v->source[t]));

		if (s != v->source[t])
			snprintf(v->source[t], sizeof(v->source[t]), "%s", s);
		v->topic[t] = ustat_kev_agg__topic(&agg->sig, t);
	}
}

static int remember(struct ustat_view *v, const struct ustat_agg *agg)
{
	u64 *cpu = realloc(v->prev_cpu_hits, (agg->nr_cpus ? agg->nr_cpus : 1) * sizeof(u64));
	u64 *probe = realloc(v->prev_probe_hits, (agg->infos->nr ? agg->infos->nr : 1) *
			     sizeof(u64));
	int i;

	if (!cpu || !probe) {
		free(cpu);
		free(probe);
		v->prev_cpu_hits = NULL;
		v->prev_probe_hits = NULL;
		return -ENOMEM;
	}
	v->prev_cpu_hits = cpu;
	v->prev_probe_hits = probe;
	if (agg->nr_cpus)
		memcpy(cpu, agg->cpu_hits, agg->nr_cpus * sizeof(u64));
	v->prev_cpus = agg->nr_cpus;
	for (i = 0; i < agg->infos->nr; i++)
		probe[i] = agg->probes[i].hits;
	v->prev_samples = agg->samples;
	return 0;
}

int ustat_view__tick(struct ustat_view *v, struct ustat_agg *agg, u64 start, u64 now)
{
	double interval = v->prev_time && now > v->prev_time ? (now - v->prev_time) / 1e9 :
			  (now > start ? (now - start) / 1e9 : 0);
	double rate;
	int i;

	if (ustat_kev_agg__finish(&agg->sig))
		return -ENOMEM;
	v->elapsed_ns = now > start ? now - start : 0;
	rate = interval > 0 ? (agg->samples - v->prev_samples) / interval : 0;
	v->events_per_sec = rate;
	if (v->nr_history == USTAT_VIEW_HISTORY) {
		memmove(v->history, v->history + 1, (USTAT_VIEW_HISTORY - 1) * sizeof(double));
		v->nr_history--;
	}
	v->history[v->nr_history++] = rate;
	v->history_max = 0;
	for (i = 0; i < v->nr_history; i++)
		if (v->history[i] > v->history_max)
			v->history_max = v->history[i];
	for (i = 0; i < v->nr_history; i++)
		v->history_level[i] = v->history_max > 0 ?
			(int)(v->history[i] / v->history_max * (USTAT_VIEW_LEVELS - 1) + 0.5) : 0;
	fill_header(v, agg);
	if (fill_cpus(v, agg, interval) ||
	    fill_rows(v, agg, interval, v->elapsed_ns / 1e9))
		return -ENOMEM;
	v->prev_time = now;
	return remember(v, agg);
}

int ustat_view__refresh(struct ustat_view *v, struct ustat_agg *agg)
{
	fill_header(v, agg);
	if (fill_cpus(v, agg, 0) || fill_rows(v, agg, 0, v->elapsed_ns / 1e9))
		return -ENOMEM;
	return 0;
}
