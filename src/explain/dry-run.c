// SPDX-License-Identifier: GPL-2.0
/*
 * record --dry-run: the price of the probes before attaching them.  Each
 * site's instruction is read from the file, disassembled (disasm.c) and
 * classified by the kernel's rules (hit-path.c); its cost per hit comes
 * from the calibration of the same path kind (calibration.c,
 * cost-model.c).  No probe is attached, no command started, nothing
 * defined in tracefs -- except, with -p, one second of counting events on
 * the target's threads to learn the rate (dry-rate.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/kernel.h>
#include <subcmd/parse-options.h>

#include "calibration.h"
#include "util/uprobe-stat/core/cost-model.h"
#include "util/uprobe-stat/util/debug.h"
#include "disasm.h"
#include "dry-rate.h"
#include "dry-run.h"
#include "hit-path.h"
#include "util/uprobe-stat/util/json-writer.h"
#include "util/uprobe-stat/standalone/record.h"
#include "util/uprobe-stat/standalone/recorder.h"

struct ustat_dry_run ustat_dry_run_opts;

const struct option ustat_dry_run_options[] = {
	OPT_BOOLEAN(0, "dry-run", &ustat_dry_run_opts.on,
		    "say per site what a hit will cost; attach nothing, run nothing"),
	OPT_STRING(0, "rate", &ustat_dry_run_opts.rate, "N/s",
		   "--dry-run: the CPU cost at N hits a second of each site"),
	OPT_BOOLEAN(0, "json", &ustat_dry_run_opts.json, "--dry-run: print JSON"),
	OPT_END()
};

struct dry_site {
	struct ustat_hit_site	 hit;
	char			 insn[96];
	struct ustat_cost	 cost;
	double			 rate;		/* hits a second, < 0: not known */
	int			 err;		/* reading the file failed */
};

struct dry {
	const struct ustat_dry_run	*opts;
	struct record			*rec;
	struct ustat_hit_kernel		 kernel;
	struct ustat_calib		 calib;
	char				 calib_err[256];
	struct dry_site			*sites;
	const char			*rate_from;	/* in words */
	char				 release[65];
};

static int parse_rate(const char *s, double *rate, char *err, size_t errlen)
{
	char *end;

	*rate = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "/s")) || !(*rate >= 0) || *rate > 1e10) {
		snprintf(err, errlen, "--rate '%s': give hits a second, such as 10000/s", s);
		return -EINVAL;
	}
	return 0;
}

static void bytes_str(const struct ustat_hit_site *h, char *buf, size_t len)
{
	int n = h->length ? h->length : (h->nr_bytes < 5 ? h->nr_bytes : 5), i;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%02x", i ? " " : "", h->bytes[i]);
}

static void explain_site(struct dry *d, int i)
{
	const struct ustat_probe *p = &d->rec->probes[i];
	struct dry_site *s = &d->sites[i];

	s->rate = -1;
	s->err = ustat_hit_path__classify_file(&d->kernel, p->path, p->offset, &s->hit);
	if (s->err) {
		s->hit.path = USTAT_PATH_UNKNOWN;
		snprintf(s->hit.why, sizeof(s->hit.why), "cannot read the file: %s",
			 strerror(-s->err));
		snprintf(s->insn, sizeof(s->insn), "?");
	} else if (ustat_disasm(s->hit.bytes, s->hit.nr_bytes, s->insn, sizeof(s->insn))) {
		snprintf(s->insn, sizeof(s->insn), "(does not decode)");
	}
	/* record writes a sample per hit: the consumer is part of the price. */
	ustat_cost__model(&d->calib, s->hit.path, p->spec.is_return, true, &s->cost);
}

static bool site_ok(const struct dry_site *s)
{
	return s->hit.path != USTAT_PATH_REFUSED && s->hit.path != USTAT_PATH_UNKNOWN;
}

static void print_calib_stdio(const struct dry *d, FILE *out)
{
	static const enum bench_kind kinds[] = { BENCH_NOP5, BENCH_INT3, BENCH_XOL, BENCH_RET };
	size_t i;

	if (!d->calib.valid) {
		fprintf(out, "# calibration: none (%s): no costs\n", d->calib_err);
		return;
	}
	fprintf(out, "# calibration: %s, load %.2f; ns a hit above the call, counted / recorded:\n",
		d->calib.origin, d->calib.load);
	fprintf(out, "#  ");
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		const struct ustat_calib_entry *c =
			ustat_calib__entry(&d->calib, USTAT_CALIB_COUNT, kinds[i]);
		const struct ustat_calib_entry *r =
			ustat_calib__entry(&d->calib, USTAT_CALIB_RECORD, kinds[i]);

		fprintf(out, " %s %.0f±%.0f / %.0f±%.0f%s", bench_kinds[kinds[i]].name,
			c ? c->ns : 0, c ? c->sd : 0, r ? r->ns : 0, r ? r->sd : 0,
			i + 1 < ARRAY_SIZE(kinds) ? ";" : "");
	}
	fprintf(out, "\n");
}

static void print_stdio(const struct dry *d, FILE *out)
{
	const struct record *rec = d->rec;
	double total_pct = 0;
	bool any_rate = false;
	char bytes[64], sem[32];
	int i;

	fprintf(out, "# uprobe-stat record --dry-run: nothing attached, nothing run\n");
	fprintf(out, "# kernel %s: %s; %s\n", d->release,
		d->kernel.uprobe_syscall ? "uprobe syscall present, 5-byte nops are optimised" :
		"no uprobe syscall, 5-byte nops take the int3 trap",
		d->kernel.emulates_nops ? "all nops emulated" : "only 0x90 nops emulated");
	print_calib_stdio(d, out);
	fprintf(out, "# disassembler: %s\n", ustat_disasm__library());
	if (d->rate_from)
		fprintf(out, "# rate: %s\n", d->rate_from);
	fprintf(out, "#\n# %-20s %-28s %-26s %-16s %8s %14s", "Probe", "Site", "Instruction",
		"Path", "Sema", "Cost/hit (ns)");
	if (d->rate_from)
		fprintf(out, " %12s %8s", "Hits/s", "CPU");
	fprintf(out, "\n");
	for (i = 0; i < rec->nr_probes; i++) {
		const struct ustat_probe *p = &rec->probes[i];
		const struct dry_site *s = &d->sites[i];
		const char *base = strrchr(p->path, '/');
		char site[300], cost[32];

		snprintf(site, sizeof(site), "%.200s+%#llx", base ? base + 1 : p->path,
			 (unsigned long long)p->offset);
		snprintf(sem, sizeof(sem), p->ref_ctr_offset ? "%#llx" : "-",
			 (unsigned long long)p->ref_ctr_offset);
		if (s->cost.valid)
			snprintf(cost, sizeof(cost), "%.0f ± %.0f", s->cost.total_ns,
				 s->cost.spread_ns);
		else
			snprintf(cost, sizeof(cost), "-");
		fprintf(out, "  %-20s %-28s %-26s %-16s %8s %14s", p->display, site, s->insn,
			ustat_hit_path__name(s->hit.path), sem, cost);
		if (d->rate_from && s->rate >= 0 && s->cost.valid) {
			double pct = s->rate * s->cost.total_ns / 1e7;

			fprintf(out, " %12.0f %7.2f%%", s->rate, pct);
			total_pct += pct;
			any_rate = true;
		}
		fprintf(out, "\n");
		bytes_str(&s->hit, bytes, sizeof(bytes));
		fprintf(out, "      %s:%s%s bytes %s: %s\n", p->path,
			p->func[0] ? " " : "", p->func, bytes, s->hit.why);
	}
	if (any_rate)
		fprintf(out,
			"#\n# expected CPU cost at that rate: %.2f%% of one CPU, paid by the threads that hit\n",
			total_pct);
	fprintf(out, "#\n%s\n",
		"# the cost is the kernel's way in, single-step, return and one sample written a hit; see WHAT A HIT COSTS in the man page");
}

static void print_json(const struct dry *d, FILE *out)
{
	const struct record *rec = d->rec;
	char bytes[64], off[32];
	double total_pct = 0;
	bool any_rate = false;
	int i, k;

	fputs("{\"dry_run\": true,\n \"kernel\": {\"release\": ", out);
	ustat_json__string(out, d->release);
	fprintf(out, ", \"uprobe_syscall\": %s, \"emulates_nops\": %s},\n \"disassembler\": ",
		d->kernel.uprobe_syscall ? "true" : "false",
		d->kernel.emulates_nops ? "true" : "false");
	ustat_json__string(out, ustat_disasm__library());
	fputs(",\n \"calibration\": ", out);
	if (d->calib.valid) {
		fputs("{\"origin\": ", out);
		ustat_json__string(out, d->calib.origin);
		fprintf(out, ", \"load\": %.2f, \"kinds\": {", d->calib.load);
		for (k = 0; k < BENCH_NR_KINDS; k++) {
			const struct ustat_calib_entry *c =
				ustat_calib__entry(&d->calib, USTAT_CALIB_COUNT, k);
			const struct ustat_calib_entry *r =
				ustat_calib__entry(&d->calib, USTAT_CALIB_RECORD, k);

			fprintf(out,
				"%s\"%s\": {\"count_ns\": %.1f, \"count_sd_ns\": %.1f, \"record_ns\": %.1f, \"record_sd_ns\": %.1f}",
				k ? ", " : "", bench_kinds[k].name, c ? c->ns : 0, c ? c->sd : 0,
				r ? r->ns : 0, r ? r->sd : 0);
		}
		fputs("}}", out);
	} else {
		fputs("null", out);
	}
	fputs(",\n \"rate_from\": ", out);
	if (d->rate_from)
		ustat_json__string(out, d->rate_from);
	else
		fputs("null", out);
	fputs(",\n \"sites\": [\n", out);
	for (i = 0; i < rec->nr_probes; i++) {
		const struct ustat_probe *p = &rec->probes[i];
		const struct dry_site *s = &d->sites[i];

		fputs(i ? ",\n  {\"probe\": " : "  {\"probe\": ", out);
		ustat_json__string(out, p->display);
		fputs(", \"binary\": ", out);
		ustat_json__string(out, p->path);
		snprintf(off, sizeof(off), "%#llx", (unsigned long long)p->offset);
		fprintf(out, ", \"offset\": \"%s\", \"func\": ", off);
		ustat_json__string(out, p->func);
		fprintf(out,
			", \"func_offset\": %llu, \"return\": %s, \"site\": %d,\n   \"insn\": ",
			(unsigned long long)p->func_offset, p->spec.is_return ? "true" : "false",
			p->site);
		ustat_json__string(out, s->insn);
		bytes_str(&s->hit, bytes, sizeof(bytes));
		fputs(", \"bytes\": ", out);
		ustat_json__string(out, bytes);
		fprintf(out, ", \"length\": %d, \"path\": \"%s\", \"probeable\": %s, \"why\": ",
			s->hit.length, ustat_hit_path__name(s->hit.path),
			site_ok(s) ? "true" : "false");
		ustat_json__string(out, s->hit.why);
		fputs(", \"semaphore\": ", out);
		if (p->ref_ctr_offset)
			fprintf(out, "\"%#llx\"", (unsigned long long)p->ref_ctr_offset);
		else
			fputs("null", out);
		fputs(",\n   \"cost\": ", out);
		ustat_cost__json(&s->cost, out);
		if (d->rate_from && s->rate >= 0 && s->cost.valid) {
			double pct = s->rate * s->cost.total_ns / 1e7;

			fprintf(out, ", \"rate_per_s\": %.1f, \"cpu_pct\": %.4f", s->rate, pct);
			total_pct += pct;
			any_rate = true;
		} else {
			fputs(", \"rate_per_s\": null, \"cpu_pct\": null", out);
		}
		fputs("}", out);
	}
	fputs("\n ],\n \"cpu_pct\": ", out);
	if (any_rate)
		fprintf(out, "%.4f", total_pct);
	else
		fputs("null", out);
	fputs("\n}\n", out);
}

static int get_rates(struct dry *d, char *err, size_t errlen)
{
	static char from[128];
	struct record *rec = d->rec;
	double *rates, fixed;
	int i, ret;

	if (d->opts->rate) {
		if (parse_rate(d->opts->rate, &fixed, err, errlen))
			return -EINVAL;
		for (i = 0; i < rec->nr_probes; i++)
			d->sites[i].rate = fixed;
		snprintf(from, sizeof(from), "--rate %s, for each site", d->opts->rate);
		d->rate_from = from;
		return 0;
	}
	if (rec->target != TARGET_PID)
		return 0;
	rates = calloc(rec->nr_probes, sizeof(*rates));
	if (!rates)
		return -ENOMEM;
	ret = ustat_dry_rate__count(rec, 1.0, rates, err, errlen);
	for (i = 0; !ret && i < rec->nr_probes; i++)
		d->sites[i].rate = rates[i];
	free(rates);
	if (ret)
		return ret;
	snprintf(from, sizeof(from),
		 "counted on pid %s for 1 s (per-task counting events, nothing sampled)",
		 rec->pids);
	d->rate_from = from;
	return 0;
}

int ustat_dry_run(const struct ustat_dry_run *opts, struct record *rec, int argc,
		  const char **argv, int cmd_at)
{
	struct dry d = { .opts = opts, .rec = rec };
	char err[1024] = "";
	struct utsname u;
	double rate;
	int i, ret = 1;

	if (!opts->on) {
		ustat_err("--json and --rate go with --dry-run");
		return 1;
	}
	if (opts->rate && rec->pids) {
		ustat_err("--rate and -p: give one (with -p the rate is counted)");
		return 1;
	}
	/* A bad --rate is refused before anything is resolved. */
	if ((opts->rate && parse_rate(opts->rate, &rate, err, sizeof(err))) ||
	    recorder__resolve(rec, argc, argv, cmd_at, err, sizeof(err)))
		goto fail;
	d.sites = calloc(rec->nr_probes, sizeof(*d.sites));
	if (!d.sites) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (!uname(&u))
		snprintf(d.release, sizeof(d.release), "%s", u.release);
	ustat_hit_kernel__probe(&d.kernel);
	if (ustat_calib__get(&d.calib, true, d.calib_err, sizeof(d.calib_err)))
		ustat_warn("no calibration: %s", d.calib_err);
	for (i = 0; i < rec->nr_probes; i++)
		explain_site(&d, i);
	if (get_rates(&d, err, sizeof(err)))
		goto fail;
	if (opts->json)
		print_json(&d, stdout);
	else
		print_stdio(&d, stdout);
	fflush(stdout);
	ret = 0;
	for (i = 0; i < rec->nr_probes; i++) {
		const struct ustat_probe *p = &rec->probes[i];

		if (site_ok(&d.sites[i]))
			continue;
		ustat_err("probe '%s' at %s+%#llx cannot be probed: %s", p->display, p->path,
			  (unsigned long long)p->offset, d.sites[i].hit.why);
		ret = 1;
	}
	free(d.sites);
	return ret;
fail:
	ustat_err("%s", err);
	free(d.sites);
	return 1;
}
