// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>

#include "util/uprobe-stat/util/json-writer.h"
#include "report-observer.h"
#include "report-retries.h"
#include "report-kevents.h"
#include "util/uprobe-stat/util/str-escape.h"

#define PATCH_HINT "apply tools-perf-patch/kernel"

static const char spec_fail_source[] =
	"tracepoints uprobes_core:uprobe_spec_fail (reasons), uprobe_lookup (speculative=0)";
static const char mmap_fallback_source[] =
	"fallback: mmap_lock_start_locking (write == 0) in find_active_uprobe_rcu callchains";
static const char invalidation_source[] =
	"tracepoints mmap_lock:mmap_lock_acquire_returned (write) .. mmap_lock_released";
static const char contention_source[] =
	"tracepoints lock:contention_begin/end, callchains through uprobe code";

static const struct ustat_kev_agg *sig(const struct ustat_report *rep)
{
	return &rep->agg->sig;
}

/* Why a signal is absent: the recorder's note, or that the file lacks it. */
static const char *absent(const struct ustat_report *rep, enum ustat_kevent s)
{
	const char *st = sig(rep)->state[s];

	return st && strcmp(st, "recorded") ? st : "not in this file";
}

/*
 * Why BPF on kernel functions did not answer: the recorder's word (the
 * kernel refused fentry, the function is inlined, ...), or, for a file
 * from before it tried, that it did not.
 */
static const char *kfunc_why(const struct ustat_kev_kfunc *k, const char *topic_why)
{
	if (!k->present)
		return "not recorded with BPF fentry (an older recorder)";
	if (topic_why[0])
		return topic_why;
	if (strcmp(k->state, "attached"))
		return k->state;
	return "BPF fentry attached but answered nothing";
}

const char *ustat_report__topic_source(const struct ustat_report *rep,
				       enum ustat_kevent_topic t, char *buf, size_t len)
{
	const bool *have = sig(rep)->have;
	const struct ustat_kev_kfunc *k = &sig(rep)->kfunc;
	bool available = ustat_kev_agg__topic(sig(rep), t) == USTAT_TOPIC_AVAILABLE;

	switch (t) {
	case USTAT_TOPIC_LOOKUP:
		if (have[USTAT_KEV_UPROBE_LOOKUP])
			return "tracepoint uprobes_core:uprobe_lookup";
		if (k->lookup_used) {
			snprintf(buf, len, "BPF %s", k->lookup_by);
			return buf;
		}
		snprintf(buf, len, "unavailable: %s; %s (uprobes_core:uprobe_lookup: %s)",
			 kfunc_why(k, k->lookup_why), PATCH_HINT,
			 absent(rep, USTAT_KEV_UPROBE_LOOKUP));
		return buf;
	case USTAT_TOPIC_SPECULATION:
		if (have[USTAT_KEV_SPEC_FAIL])
			return spec_fail_source;
		if (have[USTAT_KEV_MMAP_START])
			return mmap_fallback_source;
		snprintf(buf, len,
			 "unavailable: %s (uprobes_core:uprobe_spec_fail: %s; mmap_lock:mmap_lock_start_locking: %s)",
			 PATCH_HINT, absent(rep, USTAT_KEV_SPEC_FAIL),
			 absent(rep, USTAT_KEV_MMAP_START));
		return buf;
	case USTAT_TOPIC_INVALIDATION:
		if (available)
			return invalidation_source;
		snprintf(buf, len, "unavailable (mmap_lock:mmap_lock_acquire_returned: %s)",
			 absent(rep, USTAT_KEV_MMAP_ACQUIRED));
		return buf;
	case USTAT_TOPIC_XOL:
		if (have[USTAT_KEV_XOL_ALLOC] || have[USTAT_KEV_XOL_RECYCLE])
			return "tracepoints uprobes_core:xol_slot_alloc, xol_slot_recycle";
		if (k->xol_used) {
			snprintf(buf, len, "BPF %s", k->xol_by);
			return buf;
		}
		snprintf(buf, len, "unavailable: %s; %s (uprobes_core:xol_slot_alloc: %s)",
			 kfunc_why(k, k->xol_why), PATCH_HINT, absent(rep, USTAT_KEV_XOL_ALLOC));
		return buf;
	case USTAT_TOPIC_CONTENTION:
		if (available)
			return contention_source;
		snprintf(buf, len, "unavailable (lock:contention_begin: %s)",
			 absent(rep, USTAT_KEV_LOCK_BEGIN));
		return buf;
	case USTAT_TOPIC_NR:
	default:
		return "?";
	}
}

static unsigned long long p(const struct ustat_hist *h, double pct)
{
	return h ? ustat_hist__percentile(h, pct) : 0;
}

/* The rows of a signal table: all, each probe with something, each CPU. */
typedef bool (*row_fn)(const struct ustat_kev_stats *st);
typedef void (*print_fn)(const char *where, const struct ustat_kev_stats *st, FILE *out);

static void rows(const struct ustat_report *rep, row_fn has, print_fn print, bool per_probe,
		 FILE *out)
{
	const struct ustat_kev_agg *sa = sig(rep);
	char where[64], buf[256];
	u32 c;
	int i;

	print("all", &sa->total, out);
	for (i = 0; per_probe && sa->probe && i < sa->nr_events; i++) {
		if (!has(&sa->probe[i]))
			continue;
		snprintf(where, sizeof(where), "%.60s",
			 ustat_str__safe(rep->agg->infos->ev[i].display, buf, sizeof(buf)));
		print(where, &sa->probe[i], out);
	}
	/* Addresses that are none of our probes, named by the recorder. */
	for (i = 0; per_probe && i < sa->nr_others; i++)
		if (has(&sa->others[i].st))
			print(ustat_str__safe(sa->others[i].where, buf, sizeof(buf)),
			      &sa->others[i].st, out);
	for (c = 0; c < sa->nr_cpus; c++) {
		if (!has(&sa->cpu[c]))
			continue;
		snprintf(where, sizeof(where), "cpu %u", c);
		print(where, &sa->cpu[c], out);
	}
}

static bool has_lookups(const struct ustat_kev_stats *st)
{
	return st->lookups;
}

static unsigned long long hmax(const struct ustat_hist *h)
{
	return h ? h->max : 0;
}

static void print_lookups(const char *where, const struct ustat_kev_stats *st, FILE *out)
{
	fprintf(out,
		"  %-24.24s %9llu %8llu  %9llu %7llu %7llu %7llu %8llu  %9llu %7llu %7llu %7llu %8llu\n",
		where, (unsigned long long)st->lookups,
		(unsigned long long)st->lookups_not_found,
		(unsigned long long)st->lookups_spec, p(st->lat_spec, 50), p(st->lat_spec, 90),
		p(st->lat_spec, 99), hmax(st->lat_spec),
		(unsigned long long)st->lookups_fallback, p(st->lat_fallback, 50),
		p(st->lat_fallback, 90), p(st->lat_fallback, 99), hmax(st->lat_fallback));
}

static bool has_spec_fail(const struct ustat_kev_stats *st)
{
	int i;

	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		if (st->spec_fail[i])
			return true;
	return false;
}

static void print_spec_fail(const char *where, const struct ustat_kev_stats *st, FILE *out)
{
	int i;

	fprintf(out, "  %-24.24s", where);
	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		fprintf(out, " %12llu", (unsigned long long)st->spec_fail[i]);
	fputc('\n', out);
}

static bool has_xol(const struct ustat_kev_stats *st)
{
	return st->xol_allocs || st->xol_frees || st->xol_recycles[0] || st->xol_recycles[1] ||
	       st->xol_recycles[2];
}

static void print_xol(const char *where, const struct ustat_kev_stats *st, FILE *out)
{
	fprintf(out,
		"  %-24.24s %10llu %8llu %10llu %7.2f %11llu %13llu %9llu %14llu %8llu %9llu\n",
		where,
		(unsigned long long)st->xol_allocs, (unsigned long long)st->xol_waits,
		p(st->xol_wait, 99),
		st->xol_allocs ? (double)st->xol_tries / st->xol_allocs : 0.0,
		(unsigned long long)st->xol_recycles[0], (unsigned long long)st->xol_recycles[1],
		(unsigned long long)st->xol_recycles[2], (unsigned long long)st->xol_recycles[3],
		(unsigned long long)st->xol_woke,
		(unsigned long long)st->xol_cross_cpu);
}

static bool has_mmap(const struct ustat_kev_stats *st)
{
	return st->mmap_fallbacks || st->invalidations || st->contended;
}

static void print_mmap(const char *where, const struct ustat_kev_stats *st, FILE *out)
{
	fprintf(out, "  %-24.24s %10llu %13llu %9llu %9llu %10llu %9llu %9llu\n", where,
		(unsigned long long)st->mmap_fallbacks, (unsigned long long)st->invalidations,
		p(st->hold, 50), p(st->hold, 99), (unsigned long long)st->contended,
		p(st->contention, 99), (unsigned long long)st->fallback_contended);
}

void ustat_report__kevents_stdio(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_kev_agg *sa = sig(rep);
	const bool *have = sa->have;
	char buf[512];
	int t, i;

	if (!ustat_kev_agg__any(sa))
		return;
	fprintf(out, "# Kernel signals\n");
	for (t = 0; t < USTAT_TOPIC_NR; t++)
		fprintf(out, "#   %-26s %s\n", ustat_topic_names[t],
			ustat_report__topic_source(rep, t, buf, sizeof(buf)));
	fprintf(out, "#\n");

	if (have[USTAT_KEV_UPROBE_LOOKUP] || sa->kfunc.lookup_used) {
		fprintf(out,
			"# Uprobe lookup latency (ns): the lockless (speculative) path, and the\n");
		fprintf(out, "# mmap_read_lock() fallback\n");
		fprintf(out, "# %-24s %9s %8s  %9s %7s %7s %7s %8s  %9s %7s %7s %7s %8s\n", "Where",
			"Lookups",
			"NotFound", "Spec", "p50", "p90", "p99", "max", "Fallback", "p50",
			"p90", "p99", "max");
		rows(rep, has_lookups, print_lookups, true, out);
		fprintf(out, "#\n");
	}
	if (have[USTAT_KEV_SPEC_FAIL]) {
		fprintf(out, "# Speculation failures by reason\n# %-24s", "Where");
		for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
			fprintf(out, " %12s", ustat_spec_fail_reasons[i]);
		fputc('\n', out);
		rows(rep, has_spec_fail, print_spec_fail, true, out);
		fprintf(out, "#\n");
	}
	ustat_report__observer_stdio(rep, out);
	if (have[USTAT_KEV_XOL_ALLOC] || have[USTAT_KEV_XOL_RECYCLE] || sa->kfunc.xol_used) {
		fprintf(out,
			"# XOL slots: allocations, waits for a free slot (ns), recycles by reason\n");
		fprintf(out, "# %-24s %10s %8s %10s %7s %11s %13s %9s %14s %8s %9s\n", "Where",
			"Allocs", "Waits", "Wait p99", "Tries", "single_step", "pre_xol_error",
			"aborted", "post_xol_error", "Woke", "CrossCPU");
		rows(rep, has_xol, print_xol, false, out);
		if (sa->total.xol_frees)
			fprintf(out,
				"# %llu slots freed (BPF fentry on xol_free_insn_slot: why, it cannot tell)\n",
				(unsigned long long)sa->total.xol_frees);
		fprintf(out, "#\n");
	}
	if (have[USTAT_KEV_MMAP_START] || have[USTAT_KEV_MMAP_ACQUIRED] ||
	    have[USTAT_KEV_LOCK_BEGIN]) {
		fprintf(out,
			"# mmap_lock: lookups that fell back (stock kernels), write acquisitions that invalidate\n");
		fprintf(out,
			"# mm_lock_seq and their hold time (ns), lock contention on uprobe paths (ns)\n");
		fprintf(out, "# %-24s %10s %13s %9s %9s %10s %9s %9s\n", "Where", "Fallbacks",
			"Invalidations", "Hold p50", "Hold p99", "Contended", "Wait p99",
			"InLookup");
		rows(rep, has_mmap, print_mmap, true, out);
		fprintf(out, "#\n");
	}
	ustat_report__retries_stdio(rep, out);
	if (sa->unattributed)
		fprintf(out,
			"# %llu lookups or fallbacks at addresses that are no probe of this file (rows by what maps there)\n#\n",
			(unsigned long long)sa->unattributed);
}

void ustat_report__kev_stats_json(const struct ustat_report *rep __maybe_unused,
				  const struct ustat_kev_stats *st, FILE *out)
{
	int i;

	fprintf(out,
		"{\"lookups\": %llu, \"lookups_speculative\": %llu, \"lookups_fallback\": %llu, \"lookups_not_found\": %llu,\n       \"lookup_ns\": {\"speculative\": ",
		(unsigned long long)st->lookups, (unsigned long long)st->lookups_spec,
		(unsigned long long)st->lookups_fallback,
		(unsigned long long)st->lookups_not_found);
	ustat_json__hist(out, st->lat_spec);
	fputs(", \"fallback\": ", out);
	ustat_json__hist(out, st->lat_fallback);
	fputs("},\n       \"spec_fail\": {", out);
	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		fprintf(out, "%s\"%s\": %llu", i ? ", " : "", ustat_spec_fail_reasons[i],
			(unsigned long long)st->spec_fail[i]);
	fprintf(out,
		"},\n       \"xol\": {\"allocs\": %llu, \"waits\": %llu, \"tries\": %llu, \"wait_ns\": ",
		(unsigned long long)st->xol_allocs, (unsigned long long)st->xol_waits,
		(unsigned long long)st->xol_tries);
	ustat_json__hist(out, st->xol_wait);
	fputs(", \"recycles\": {", out);
	for (i = 0; i < USTAT_XOL_RECYCLE_REASONS; i++)
		fprintf(out, "%s\"%s\": %llu", i ? ", " : "", ustat_xol_recycle_reasons[i],
			(unsigned long long)st->xol_recycles[i]);
	fprintf(out,
		"}, \"frees_no_reason\": %llu, \"woke\": %llu, \"cross_cpu_recycles\": %llu},\n",
		(unsigned long long)st->xol_frees, (unsigned long long)st->xol_woke,
		(unsigned long long)st->xol_cross_cpu);
	fprintf(out,
		"       \"mmap_lock\": {\"lookup_fallbacks\": %llu, \"invalidations\": %llu, \"hold_ns\": ",
		(unsigned long long)st->mmap_fallbacks, (unsigned long long)st->invalidations);
	ustat_json__hist(out, st->hold);
	fprintf(out, "},\n       \"contention\": {\"count\": %llu, \"wait_ns\": ",
		(unsigned long long)st->contended);
	ustat_json__hist(out, st->contention);
	fprintf(out, ", \"in_lookup_fallback\": %llu, \"fallback_wait_ns\": ",
		(unsigned long long)st->fallback_contended);
	ustat_json__hist(out, st->fallback_wait);
	fputs("}", out);
	ustat_report__retries_json(st, out);
	fputs("}", out);
}

void ustat_report__kevents_json(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_kev_agg *sa = sig(rep);
	bool first = true;
	char buf[512];
	u32 c;
	int t;

	fputs(" \"signals\": {\"sources\": {", out);
	for (t = 0; t < USTAT_TOPIC_NR; t++) {
		fprintf(out, "%s\n   \"%s\": ", t ? "," : "", ustat_topic_names[t]);
		ustat_json__string(out, ustat_report__topic_source(rep, t, buf, sizeof(buf)));
	}
	fputs(",\n   \"tree_retries_xol_area\": ", out);
	ustat_json__string(out, ustat_report__retries_source(rep, buf, sizeof(buf)));
	fputs("}", out);
	ustat_report__observer_json(rep, out);
	fputs(",\n  \"total\": ", out);
	ustat_report__kev_stats_json(rep, &sa->total, out);
	/* What BPF on kernel functions counted, also where tracepoints answered: to compare. */
	if (sa->kfunc.present) {
		fputs(",\n  \"bpf_fentry\": {\"state\": ", out);
		ustat_json__string(out, sa->kfunc.state);
		fputs(", \"stats\": ", out);
		ustat_report__kev_stats_json(rep, &sa->kfunc.total, out);
		fputs("}", out);
	}
	fprintf(out, ",\n  \"unattributed\": %llu,\n  \"others\": [",
		(unsigned long long)sa->unattributed);
	for (t = 0; t < sa->nr_others; t++) {
		fprintf(out, "%s\n   {\"where\": ", t ? "," : "");
		ustat_json__string(out, sa->others[t].where);
		fputs(", \"stats\": ", out);
		ustat_report__kev_stats_json(rep, &sa->others[t].st, out);
		fputs("}", out);
	}
	fputs("],\n  \"per_cpu\": [", out);
	for (c = 0; c < sa->nr_cpus; c++) {
		fprintf(out, "%s\n   {\"cpu\": %u, \"stats\": ", first ? "" : ",", c);
		ustat_report__kev_stats_json(rep, &sa->cpu[c], out);
		fputs("}", out);
		first = false;
	}
	fputs("]}", out);
}

void ustat_report__kevents_csv_header(FILE *out)
{
	fputs(
	      ",lookups,lookups_fallback,lookup_spec_p99,lookup_fallback_p99,spec_fail,xol_allocs,xol_waits,xol_wait_p99,xol_cross_cpu,mmap_fallbacks,invalidations,hold_p99",
	      out);
}

void ustat_report__kevents_csv_row(const struct ustat_kev_stats *st, FILE *out)
{
	u64 fails = 0;
	int i;

	if (!st) {
		fputs(",,,,,,,,,,,,", out);
		return;
	}
	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		fails += st->spec_fail[i];
	fprintf(out, ",%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu",
		(unsigned long long)st->lookups, (unsigned long long)st->lookups_fallback,
		p(st->lat_spec, 99), p(st->lat_fallback, 99), (unsigned long long)fails,
		(unsigned long long)st->xol_allocs, (unsigned long long)st->xol_waits,
		p(st->xol_wait, 99), (unsigned long long)st->xol_cross_cpu,
		(unsigned long long)st->mmap_fallbacks, (unsigned long long)st->invalidations,
		p(st->hold, 99));
}
