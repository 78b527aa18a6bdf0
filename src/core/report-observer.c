// SPDX-License-Identifier: GPL-2.0
/*
 * The observer shift in a report: what 'bench --observer' measured on
 * this kernel and boot before the recording (explain/observer.h), shown
 * beside the file's own rates of the same signals, with where it came
 * from.  The figure is the reference workload's: the report says so, and
 * says when there is none rather than print a guess.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "meta.h"
#include "report-observer.h"
#include "util/uprobe-stat/explain/observer.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "util/uprobe-stat/util/str-escape.h"

bool ustat_report__observer(const struct ustat_report *rep, struct ustat_observer *o)
{
	const struct ustat_recording *r = rep->rec;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; r && i < r->nr_meta; i++)
		if (ustat_meta__is(r->meta[i], "observer"))
			return !ustat_observer__from_meta(o, r->meta[i]);
	return false;
}

/* This file's rate of signal S per 100 lookups, or -1 when it cannot say. */
static double file_rate(const struct ustat_report *rep, enum ustat_obs_signal s)
{
	const struct ustat_kev_agg *sa = &rep->agg->sig;
	const struct ustat_kev_stats *t = &sa->total;
	u64 fails = 0;
	int i;

	if (!t->lookups)
		return -1;
	if (s == USTAT_OBS_FALLBACK)
		return 100.0 * t->lookups_fallback / t->lookups;
	if (!sa->have[USTAT_KEV_SPEC_FAIL])
		return -1;
	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		fails += t->spec_fail[i];
	return 100.0 * fails / t->lookups;
}

static void when(long long t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "?");
}

void ustat_report__observer_stdio(const struct ustat_report *rep, FILE *out)
{
	struct ustat_observer o;
	char at[64], buf[PATH_MAX + 64];
	int s;

	if (!rep->agg->sig.have[USTAT_KEV_UPROBE_LOOKUP])
		return;
	if (!ustat_report__observer(rep, &o)) {
		fprintf(out,
			"# Observer shift: not measured ('perf uprobe-stat bench --observer' had not run on\n");
		fprintf(out,
			"# this kernel and boot before the recording): recording's own share in the\n");
		fprintf(out, "# fallbacks and speculation failures above is unknown\n#\n");
		return;
	}
	when(o.when, at, sizeof(at));
	fprintf(out,
		"# Observer shift: what recording itself adds to these rates, per 100 lookups,\n");
	fprintf(out, "# measured by %s\n",
		ustat_str__safe(o.origin, buf, sizeof(buf)));
	fprintf(out,
		"# on %s (boot %.8s) at %s: bench's churn workload, %u x %.2f s counted\n",
		ustat_str__safe(o.release, buf, sizeof(buf)), o.boot_id, at, o.repeat,
		o.duration);
	fprintf(out,
		"# and as many recorded (%llu samples lost); a reference, not this file's workload\n",
		(unsigned long long)o.lost);
	fprintf(out, "# %-24s %10s %10s %10s %9s  %s\n", "Signal", "ThisFile", "Counted",
		"Recorded", "Shift", "Counted..Recorded ranges");
	for (s = 0; s < USTAT_OBS_NR; s++) {
		const struct ustat_obs_rate *c = &o.rate[USTAT_OBS_COUNTED][s];
		const struct ustat_obs_rate *r = &o.rate[USTAT_OBS_RECORDED][s];
		double f = file_rate(rep, s);
		char mine[32] = "-";

		if (f >= 0)
			snprintf(mine, sizeof(mine), "%.3f", f);
		fprintf(out, "  %-24s %10s %10.3f %10.3f %+9.3f  %.3f..%.3f, %.3f..%.3f\n",
			ustat_obs_names[s], mine, c->med, r->med, ustat_observer__shift(&o, s),
			c->lo, c->hi, r->lo, r->hi);
	}
	fprintf(out, "#\n");
}

static void json_rate(FILE *out, const struct ustat_obs_rate *r)
{
	fprintf(out, "{\"median\": %.4f, \"min\": %.4f, \"max\": %.4f}", r->med, r->lo, r->hi);
}

void ustat_report__observer_json(const struct ustat_report *rep, FILE *out)
{
	struct ustat_observer o;
	int s;

	fputs(",\n  \"observer_shift\": ", out);
	if (!ustat_report__observer(rep, &o)) {
		fputs("null", out);
		return;
	}
	fputs("{\"source\": ", out);
	ustat_json__string(out, o.origin);
	fputs(", \"release\": ", out);
	ustat_json__string(out, o.release);
	fputs(", \"boot_id\": ", out);
	ustat_json__string(out, o.boot_id);
	fprintf(out,
		", \"when\": %lld, \"workload\": \"churn\", \"repeat\": %u, \"duration_s\": %.3f, \"hits\": {\"counted\": %llu, \"recorded\": %llu}, \"lost\": %llu,\n   \"per_100_lookups\": {",
		o.when, o.repeat, o.duration, (unsigned long long)o.hits[USTAT_OBS_COUNTED],
		(unsigned long long)o.hits[USTAT_OBS_RECORDED], (unsigned long long)o.lost);
	for (s = 0; s < USTAT_OBS_NR; s++) {
		double f = file_rate(rep, s);

		fprintf(out, "%s\"%s\": {\"counted\": ", s ? ", " : "", ustat_obs_names[s]);
		json_rate(out, &o.rate[USTAT_OBS_COUNTED][s]);
		fputs(", \"recorded\": ", out);
		json_rate(out, &o.rate[USTAT_OBS_RECORDED][s]);
		fprintf(out, ", \"shift\": %.4f, \"this_file\": ", ustat_observer__shift(&o, s));
		if (f >= 0)
			fprintf(out, "%.4f}", f);
		else
			fputs("null}", out);
	}
	fputs("},\n   \"churn_ops_per_100_hits\": {\"counted\": ", out);
	json_rate(out, &o.churn[USTAT_OBS_COUNTED]);
	fputs(", \"recorded\": ", out);
	json_rate(out, &o.churn[USTAT_OBS_RECORDED]);
	fputs("}}", out);
}
