// SPDX-License-Identifier: GPL-2.0
/*
 * What report adds for a file counted by -b: the latencies again with the
 * probe's own cost (the calibration the recording ran with) taken out,
 * the hits per process, and what the kernel side could not count.
 */
#include <stdio.h>
#include <string.h>

#include "bpf-meta.h"
#include "bpf-report.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "util/uprobe-stat/core/meta.h"

static char *const *metas(const struct ustat_report *rep, int *nr)
{
	*nr = rep->rec->nr_meta;
	return rep->rec->meta;
}

bool ustat_report__is_bpf(const struct ustat_report *rep)
{
	int nr;
	char *const *m = metas(rep, &nr);

	return ustat_bpf_meta__is_bpf(m, nr);
}

const char *ustat_report__consumer(const struct ustat_report *rep)
{
	return ustat_report__consumer_of(rep->rec);
}

const char *ustat_report__consumer_of(const struct ustat_recording *rec)
{
	static char consumer[32];
	const char *sm = rec->session_meta;

	if (ustat_bpf_meta__is_bpf(rec->meta, rec->nr_meta))
		return "bpf";
	/* record's session record says which consumer ran; older files sampled */
	if (!sm || ustat_meta__get(sm, "consumer", consumer, sizeof(consumer)) < 0 ||
	    (strcmp(consumer, "counting") && strcmp(consumer, "counting+samples")))
		return "samples";
	return consumer;
}

/* RAW less the calibration, never below 0. */
static u64 net(u64 raw, u64 cal)
{
	return raw > cal ? raw - cal : 0;
}

static void print_calibrated(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	struct ustat_bpf_calib c;
	bool header = false;
	char *const *m;
	int i, k, nr;

	m = metas(rep, &nr);
	ustat_bpf_meta__calib(m, nr, &c);
	for (i = 0; i < agg->infos->nr; i++) {
		const struct ustat_hist *h = agg->probes[i].lat;

		if (!h || !h->count)
			continue;
		k = ustat_bpf_meta__kind(m, nr, i);
		if (!header) {
			fprintf(out,
				"# Latency less the probe's own cost (ns): each raw percentile above minus the median entry+return cost of an empty function on the same kernel path, never below 0\n");
			fprintf(out, "# calibration: %s;", c.source);
			for (k = 0; k < USTAT_BPF_CALIB_NR; k++)
				if (c.valid[k])
					fprintf(out, " %s %llu (p10-p90 %llu-%llu)",
						ustat_calib_kind_names[k],
						(unsigned long long)c.p50[k],
						(unsigned long long)c.p10[k],
						(unsigned long long)c.p90[k]);
			fprintf(out, "\n# %-24s %5s %10s %10s %10s %10s %12s\n", "Probe", "Path",
				"Count", "net p50", "net p90", "net p99", "calib +-");
			header = true;
			k = ustat_bpf_meta__kind(m, nr, i);
		}
		if (k < 0 || !c.valid[k]) {
			fprintf(out, "  %-24s %5s %10llu %10s %10s %10s %12s\n",
				agg->infos->ev[i].display, k < 0 ? "?" : ustat_calib_kind_names[k],
				(unsigned long long)h->count, "-", "-", "-", "uncalibrated");
			continue;
		}
		fprintf(out, "  %-24s %5s %10llu %10llu %10llu %10llu %12llu\n",
			agg->infos->ev[i].display, ustat_calib_kind_names[k],
			(unsigned long long)h->count,
			(unsigned long long)net(ustat_hist__percentile(h, 50), c.p50[k]),
			(unsigned long long)net(ustat_hist__percentile(h, 90), c.p50[k]),
			(unsigned long long)net(ustat_hist__percentile(h, 99), c.p50[k]),
			(unsigned long long)(c.p90[k] - c.p10[k]) / 2);
	}
	if (header)
		fprintf(out, "#\n");
}

static void print_procs(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	unsigned long long pid, idx, hits;
	bool header = false;
	char comm[64];
	char *const *m;
	int i, nr;

	m = metas(rep, &nr);
	for (i = 0; i < nr; i++) {
		if (!ustat_meta__is(m[i], "bpf_proc") || ustat_meta__get_u64(m[i], "pid", &pid) ||
		    ustat_meta__get_u64(m[i], "idx", &idx) ||
		    ustat_meta__get_u64(m[i], "hits", &hits) ||
		    idx >= (unsigned long long)agg->infos->nr)
			continue;
		if (ustat_meta__get(m[i], "comm", comm, sizeof(comm)) < 0)
			snprintf(comm, sizeof(comm), "?");
		if (!header)
			fprintf(out,
				"# Per process (counted in the kernel)\n# %8s %-16s %12s  %s\n",
				"PID", "Command", "Hits", "Probe");
		header = true;
		fprintf(out, "  %8llu %-16s %12llu  %s\n", pid, comm, hits,
			agg->infos->ev[idx].display);
	}
	if (header)
		fprintf(out, "#\n");
}

void ustat_report__bpf_stdio(const struct ustat_report *rep, FILE *out)
{
	char *const *m;
	int nr;
	u64 v;

	if (!ustat_report__is_bpf(rep))
		return;
	m = metas(rep, &nr);
	v = ustat_bpf_meta__u64(m, nr, "too_deep");
	if (v)
		fprintf(out,
			"# WARNING: %llu entries nested deeper than %d open calls per thread: their latencies are not counted\n",
			(unsigned long long)v, USTAT_BPF_STACK_DEPTH);
	v = ustat_bpf_meta__u64(m, nr, "unmatched");
	if (v)
		fprintf(out,
			"# %llu returns without an entry seen (calls already running when counting began)\n",
			(unsigned long long)v);
	v = ustat_bpf_meta__u64(m, nr, "no_proc") + ustat_bpf_meta__u64(m, nr, "no_thread");
	if (v)
		fprintf(out,
			"# WARNING: %llu hits found the kernel's per-process or per-thread table full: missing from those tables\n",
			(unsigned long long)v);
	print_calibrated(rep, out);
	print_procs(rep, out);
}

void ustat_report__bpf_json(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	struct ustat_bpf_calib c;
	bool first = true;
	char *const *m;
	int i, k, nr;

	if (!ustat_report__is_bpf(rep))
		return;
	m = metas(rep, &nr);
	ustat_bpf_meta__calib(m, nr, &c);
	fprintf(out,
		",\n \"bpf\": {\"too_deep\": %llu, \"unmatched_returns\": %llu, \"calibration\": {",
		(unsigned long long)ustat_bpf_meta__u64(m, nr, "too_deep"),
		(unsigned long long)ustat_bpf_meta__u64(m, nr, "unmatched"));
	for (k = 0; k < USTAT_BPF_CALIB_NR; k++) {
		if (!c.valid[k])
			continue;
		fprintf(out, "%s\"%s\": {\"p50\": %llu, \"p10\": %llu, \"p90\": %llu}",
			first ? "" : ", ", ustat_calib_kind_names[k], (unsigned long long)c.p50[k],
			(unsigned long long)c.p10[k], (unsigned long long)c.p90[k]);
		first = false;
	}
	fputs("},\n  \"latency_net_ns\": [", out);
	first = true;
	for (i = 0; i < agg->infos->nr; i++) {
		const struct ustat_hist *h = agg->probes[i].lat;

		k = ustat_bpf_meta__kind(m, nr, i);
		if (!h || !h->count || k < 0 || !c.valid[k])
			continue;
		fprintf(out,
			"%s\n   {\"probe\": ", first ? "" : ",");
		ustat_json__string(out, agg->infos->ev[i].display);
		fprintf(out,
			", \"path\": \"%s\", \"count\": %llu, \"p50\": %llu, \"p90\": %llu, \"p99\": %llu, \"calib_spread\": %llu}",
			ustat_calib_kind_names[k],
			(unsigned long long)h->count,
			(unsigned long long)net(ustat_hist__percentile(h, 50), c.p50[k]),
			(unsigned long long)net(ustat_hist__percentile(h, 90), c.p50[k]),
			(unsigned long long)net(ustat_hist__percentile(h, 99), c.p50[k]),
			(unsigned long long)(c.p90[k] - c.p10[k]) / 2);
		first = false;
	}
	fputs("]}", out);
}
