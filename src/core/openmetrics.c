// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics of the OpenMetrics endpoint, formatted from the aggregation
 * (see openmetrics.h).  Memory does not grow with what is counted: the
 * series are probes x CPUs, probes x at most the capped processes, and a
 * fixed set for the kernel signals.
 */
#include <errno.h>
#include <string.h>

#include "aggregate.h"
#include "openmetrics.h"

/* Log2 buckets from 2^HIST_LO to 2^HIST_HI ns (128 ns .. 17 s), then +Inf. */
#define HIST_LO	7
#define HIST_HI	34

struct om {
	FILE			*out;
	enum ustat_om_format	 fmt;
};

enum ustat_om_format ustat_om__negotiate(const char *accept)
{
	return accept && strstr(accept, "application/openmetrics-text") ?
		USTAT_OM_OPENMETRICS : USTAT_OM_PROMETHEUS;
}

const char *ustat_om__content_type(enum ustat_om_format fmt)
{
	return fmt == USTAT_OM_OPENMETRICS ?
		"application/openmetrics-text; version=1.0.0; charset=utf-8" :
		"text/plain; version=0.0.4; charset=utf-8";
}

/*
 * A family's metadata.  NAME has no _total: OpenMetrics names the counter
 * family without it, the Prometheus text format with it.
 */
static void family(struct om *o, const char *name, const char *type, const char *unit,
		   const char *help)
{
	const char *sfx = o->fmt == USTAT_OM_PROMETHEUS && !strcmp(type, "counter") ? "_total" : "";

	fprintf(o->out, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, sfx, help, name, sfx, type);
	if (unit && o->fmt == USTAT_OM_OPENMETRICS)
		fprintf(o->out, "# UNIT %s %s\n", name, unit);
}

/* A label value, escaped as both formats want: backslash, quote and newline. */
static void label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void probe_label(FILE *out, const char *name)
{
	fputs("probe=\"", out);
	label_value(out, name);
	fputc('"', out);
}

/* Values below 2^k ns: the buckets before the one 2^k opens (exact). */
static u64 below(const struct ustat_hist *h, unsigned int k)
{
	unsigned int b, end = ustat_hist__bucket(1ULL << k);
	u64 n = 0;

	for (b = 0; b < end && b < USTAT_HIST_BUCKETS; b++)
		n += h->buckets[b];
	return n;
}

/* One histogram series; LABEL ("probe" or "path") = VALUE, none if NULL. H NULL: empty. */
static void histogram(struct om *o, const char *name, const char *label, const char *value,
		      const struct ustat_hist *h)
{
	u64 count = h ? h->count : 0;
	unsigned int k;

	for (k = HIST_LO; k <= HIST_HI; k++) {
		fprintf(o->out, "%s_bucket{", name);
		if (label) {
			fprintf(o->out, "%s=\"", label);
			label_value(o->out, value);
			fputs("\",", o->out);
		}
		fprintf(o->out, "le=\"%.9g\"} %llu\n", (double)(1ULL << k) / 1e9,
			h ? (unsigned long long)below(h, k) : 0ULL);
	}
	fprintf(o->out, "%s_bucket{", name);
	if (label) {
		fprintf(o->out, "%s=\"", label);
		label_value(o->out, value);
		fputs("\",", o->out);
	}
	fprintf(o->out, "le=\"+Inf\"} %llu\n", (unsigned long long)count);
	fprintf(o->out, "%s_sum", name);
	if (label) {
		fprintf(o->out, "{%s=\"", label);
		label_value(o->out, value);
		fputs("\"}", o->out);
	}
	fprintf(o->out, " %.9f\n%s_count", h ? (double)h->sum / 1e9 : 0.0, name);
	if (label) {
		fprintf(o->out, "{%s=\"", label);
		label_value(o->out, value);
		fputs("\"}", o->out);
	}
	fprintf(o->out, " %llu\n", (unsigned long long)count);
}

/* A probe's own row: the first site of a probe, not a kernel signal. */
static bool is_probe(const struct ustat_agg *agg, int i)
{
	const struct ustat_event_info *info = &agg->infos->ev[i];

	return (info->kind == USTAT_EVENT_PROBE || info->kind == USTAT_EVENT_RETPROBE) &&
	       !info->site;
}

static void hits_per_cpu(struct om *o, const struct ustat_agg *agg)
{
	u32 cpu, nr_cpus = agg->nr_cpus ? agg->nr_cpus : 1;
	int i;

	family(o, "uprobe_stat_hits", "counter", NULL,
	       "Uprobe hits (all sites of a probe), per CPU.");
	for (i = 0; i < agg->infos->nr; i++) {
		if (!is_probe(agg, i))
			continue;
		for (cpu = 0; cpu < nr_cpus; cpu++) {
			const u64 *c = agg->probes[i].cpu_hits;

			fputs("uprobe_stat_hits_total{", o->out);
			probe_label(o->out, agg->infos->ev[i].display);
			fprintf(o->out, ",cpu=\"%u\"} %llu\n", cpu,
				c && cpu < agg->cpu_cap ? (unsigned long long)c[cpu] : 0ULL);
		}
	}
}

static void processes(struct om *o, const struct ustat_agg *agg)
{
	const char *name;
	u64 key, n;
	bool capped = false;
	void *val;
	u32 slot;
	int i;

	if (!agg->proc_cap)
		return;
	family(o, "uprobe_stat_process_hits", "counter", NULL,
	       "Uprobe hits per process; beyond the cap, under pid other.");
	ustat_map__for_each(&agg->proc_hits, slot, key, val) {
		i = key >> 32;
		if (i >= agg->infos->nr)
			continue;
		name = agg->infos->ev[i].display;
		fputs("uprobe_stat_process_hits_total{", o->out);
		probe_label(o->out, name);
		fprintf(o->out, ",pid=\"%u\"} %llu\n", (u32)key,
			(unsigned long long)(uintptr_t)val);
	}
	for (i = 0; i < agg->infos->nr; i++) {
		n = agg->proc_other[i];
		if (!n)
			continue;
		capped = true;
		fputs("uprobe_stat_process_hits_total{", o->out);
		probe_label(o->out, agg->infos->ev[i].display);
		fprintf(o->out, ",pid=\"other\"} %llu\n", (unsigned long long)n);
	}
	family(o, "uprobe_stat_processes_capped", "gauge", NULL,
	       "1 when more pids hit the probes than are kept one by one.");
	fprintf(o->out, "uprobe_stat_processes_capped %d\n", capped);
	family(o, "uprobe_stat_processes_cap", "gauge", NULL,
	       "The most (probe, process) series kept.");
	fprintf(o->out, "uprobe_stat_processes_cap %u\n", agg->proc_cap);
}

static void latency(struct om *o, const struct ustat_agg *agg)
{
	int i;

	family(o, "uprobe_stat_latency_seconds", "histogram", "seconds",
	       "Entry to return of probed functions (probes with a %return partner).");
	for (i = 0; i < agg->infos->nr; i++)
		if (is_probe(agg, i) && agg->probes[i].lat)
			histogram(o, "uprobe_stat_latency_seconds", "probe",
				  agg->infos->ev[i].display, agg->probes[i].lat);
}

static void counter1(struct om *o, const char *name, const char *help, u64 v)
{
	family(o, name, "counter", NULL, help);
	fprintf(o->out, "%s_total %llu\n", name, (unsigned long long)v);
}

/* What the kernel signals say, the families of the signals this run has. */
static void signals(struct om *o, const struct ustat_agg *agg)
{
	const struct ustat_kev_agg *sa = &agg->sig;
	const struct ustat_kev_stats *t = &sa->total;
	int i;

	if (sa->have[USTAT_KEV_UPROBE_LOOKUP]) {
		family(o, "uprobe_stat_lookups", "counter", NULL,
		       "uprobe lookups by path: speculative (lockless), fallback (mmap_lock), not_found.");
		fprintf(o->out, "uprobe_stat_lookups_total{path=\"speculative\"} %llu\n",
			(unsigned long long)t->lookups_spec);
		fprintf(o->out, "uprobe_stat_lookups_total{path=\"fallback\"} %llu\n",
			(unsigned long long)t->lookups_fallback);
		fprintf(o->out, "uprobe_stat_lookups_total{path=\"not_found\"} %llu\n",
			(unsigned long long)t->lookups_not_found);
		family(o, "uprobe_stat_lookup_latency_seconds", "histogram", "seconds",
		       "uprobe lookup latency by path.");
		histogram(o, "uprobe_stat_lookup_latency_seconds", "path", "speculative",
			  t->lat_spec);
		histogram(o, "uprobe_stat_lookup_latency_seconds", "path", "fallback",
			  t->lat_fallback);
	}
	if (sa->have[USTAT_KEV_SPEC_FAIL]) {
		family(o, "uprobe_stat_speculation_failures", "counter", NULL,
		       "Speculative lookups that failed, by reason.");
		for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++) {
			fputs("uprobe_stat_speculation_failures_total{reason=\"", o->out);
			label_value(o->out, ustat_spec_fail_reasons[i]);
			fprintf(o->out, "\"} %llu\n", (unsigned long long)t->spec_fail[i]);
		}
	}
	if (sa->have[USTAT_KEV_XOL_ALLOC]) {
		counter1(o, "uprobe_stat_xol_allocations", "xol slot allocations.", t->xol_allocs);
		counter1(o, "uprobe_stat_xol_waits", "xol slot allocations that slept.",
			 t->xol_waits);
		family(o, "uprobe_stat_xol_wait_seconds", "histogram", "seconds",
		       "Time xol slot allocations slept.");
		histogram(o, "uprobe_stat_xol_wait_seconds", NULL, NULL, t->xol_wait);
	}
	if (sa->have[USTAT_KEV_MMAP_START])
		counter1(o, "uprobe_stat_mmap_lock_fallbacks",
			 "Lookups that took mmap_lock for reading (stock kernels).",
			 t->mmap_fallbacks);
	if (sa->have[USTAT_KEV_MMAP_RELEASED])
		counter1(o, "uprobe_stat_mmap_lock_invalidations",
			 "mmap_lock write acquisitions (they invalidate speculation).",
			 t->invalidations);
	if (sa->have[USTAT_KEV_LOCK_BEGIN] && sa->have[USTAT_KEV_LOCK_END]) {
		counter1(o, "uprobe_stat_lock_contentions",
			 "Lock contention on the uprobe paths.", t->contended);
		family(o, "uprobe_stat_lock_contention_seconds", "histogram", "seconds",
		       "Time waited on contended locks on the uprobe paths.");
		histogram(o, "uprobe_stat_lock_contention_seconds", NULL, NULL, t->contention);
	}
	if (sa->have[USTAT_KEV_FIND_RETRY]) {
		counter1(o, "uprobe_stat_tree_retries",
			 "Walks of the uprobes tree repeated: a registration changed it meanwhile.",
			 t->find_retries);
		counter1(o, "uprobe_stat_tree_writes_seen",
			 "uprobes tree updates the repeated walks saw.", t->tree_writes);
	}
	if (sa->have[USTAT_KEV_XOL_AREA_FAIL])
		counter1(o, "uprobe_stat_xol_area_failures",
			 "Probe hits restarted because the mm got no xol area.",
			 t->xol_area_fails);
}

static void self_cost(struct om *o, const struct ustat_agg *agg, const struct ustat_om_self *self)
{
	counter1(o, "uprobe_stat_lost_events", "Records the kernel dropped (ring buffer full).",
		 agg->lost);
	if (!self)
		return;
	family(o, "uprobe_stat_tool_cpu_seconds", "counter", "seconds",
	       "CPU time uprobe-stat itself used.");
	fprintf(o->out, "uprobe_stat_tool_cpu_seconds_total{mode=\"user\"} %.6f\n", self->cpu_user);
	fprintf(o->out, "uprobe_stat_tool_cpu_seconds_total{mode=\"system\"} %.6f\n",
		self->cpu_system);
	counter1(o, "uprobe_stat_tool_records", "Ring-buffer records uprobe-stat read.",
		 self->records);
	counter1(o, "uprobe_stat_tool_wakeups", "Times uprobe-stat woke up for events.",
		 self->wakeups);
}

int ustat_om__write(FILE *out, const struct ustat_agg *agg, const struct ustat_om_self *self,
		    enum ustat_om_format fmt)
{
	struct om o = { .out = out, .fmt = fmt };

	hits_per_cpu(&o, agg);
	processes(&o, agg);
	latency(&o, agg);
	signals(&o, agg);
	self_cost(&o, agg, self);
	if (fmt == USTAT_OM_OPENMETRICS)
		fputs("# EOF\n", out);
	return ferror(out) ? -EIO : 0;
}
