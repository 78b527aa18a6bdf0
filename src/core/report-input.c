// SPDX-License-Identifier: GPL-2.0
/*
 * The inputs of a report on several recordings (report-multi.h): the -i
 * list, each file read into its own aggregation, and their probes matched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/util/array.h"
#include "agg-session.h"
#include "util/uprobe-stat/util/debug.h"
#include "report-multi.h"

int ustat_report__multi_main(const struct ustat_input_list *l, int argc, const char **argv,
			     const struct ustat_multi_opts *o)
{
	int i, j;

	if (o->one_file_format) {
		ustat_err("report: --csv and --tui show one file: not with --diff or several -i");
		return 1;
	}
	if (l->too_many) {
		ustat_err("report: more than %d -i files", USTAT_MAX_INPUTS);
		return 1;
	}
	for (i = 0; i < l->nr; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(l->paths[i], l->paths[j])) {
				ustat_err("report: -i %s given twice: its hits would count twice",
					  l->paths[i]);
				return 1;
			}
	if (o->diff && l->nr) {
		ustat_err("report --diff takes its two files as arguments, not -i: --diff A B");
		return 1;
	}
	if (o->diff)
		return ustat_report__diff_main(argc, argv, o);
	if (argc) {
		ustat_err("report: unexpected argument '%s'", argv[0]);
		return 1;
	}
	return ustat_report__merge_main(l, o);
}

int ustat_input_list__opt(const struct option *opt, const char *arg, int unset)
{
	struct ustat_input_list *l = opt->value;

	if (unset) {
		l->nr = 0;
		return 0;
	}
	if (l->nr == USTAT_MAX_INPUTS) {
		l->too_many = true;
		return 0;
	}
	l->paths[l->nr++] = arg;
	return 0;
}

int ustat_mfile__load(struct ustat_mfile *in, const char *path, char *err, size_t errlen)
{
	int nr_events;

	const struct ustat_recording *r;

	memset(in, 0, sizeof(*in));
	in->path = path;
	if (ustat_input__open(&in->input, path, err, errlen))
		return -1;
	in->opened = true;
	if (ustat_agg__attach(&in->agg, in->input)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	in->attached = true;
	ustat_proc_hits__init(&in->procs);
	if (ustat_input__process(in->input, &ustat_proc_input_ops, in, err, errlen)) {
		if (!err[0])
			snprintf(err, errlen, "%s: processing failed", path);
		return -1;
	}
	ustat_agg__finish(&in->agg);
	if (ustat_proc_hits__finish(&in->procs)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (in->procs.too_many_names || in->procs.uncounted)
		ustat_warn("%s: %llu hits are in no process of --sort comm (more than %d names, or CPUs or probes past 65535)",
			   path, (unsigned long long)in->procs.uncounted, USTAT_MAX_COMMS);
	r = ustat_input__recording(in->input);
	in->host = r->hostname && r->hostname[0] ? r->hostname : "?";
	in->rep.input = path;
	in->rep.rec = r;
	in->rep.events = ustat_input__events(in->input, &nr_events);
	in->rep.agg = &in->agg;
	in->rep.keys[0] = USTAT_SORT_PROBE;
	in->rep.nr_keys = 1;
	/* As a one-file report counts it (builtin-report.c). */
	if (r->has_time && r->time_end > r->time_start)
		in->rep.duration_ns = r->time_end - r->time_start;
	else
		in->rep.duration_ns = in->agg.last_time - in->agg.first_time;
	return 0;
}

void ustat_mfile__exit(struct ustat_mfile *in)
{
	if (in->attached) {
		ustat_agg__exit(&in->agg);
		ustat_proc_hits__exit(&in->procs);
	}
	free(in->match_of);
	free(in->comm_of);
	in->match_of = in->comm_of = NULL;
	if (in->opened)
		ustat_input__close(in->input);
	in->attached = in->opened = false;
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int ustat_pmatch__build(const struct ustat_mfile *ins, int nr, struct ustat_pmatch **out,
			int *nr_out)
{
	struct ustat_pmatch *m = NULL;
	int n = 0, cap = 0, i, e, j, k;

	for (i = 0; i < nr; i++) {
		const struct ustat_event_infos *infos = ins[i].agg.infos;

		for (e = 0; e < infos->nr; e++) {
			const struct ustat_event_info *info = &infos->ev[e];

			if (!ustat_report__is_probe(&ins[i].rep, e))
				continue;
			/* The same probe: same name, binary and kind, not yet seen in this file. */
			for (j = 0; j < n; j++)
				if (m[j].idx[i] < 0 && m[j].kind == info->kind &&
				    !strcmp(m[j].name, info->display) &&
				    same_str(m[j].binary, info->binary))
					break;
			if (j == n) {
				if (ustat_array_grow(m, cap, n + 1)) {
					free(m);
					return -ENOMEM;
				}
				memset(&m[n], 0, sizeof(m[n]));
				m[n].name = info->display;
				m[n].binary = info->binary;
				m[n].kind = info->kind;
				m[n].sites = ustat_event_info__sites(info);
				for (k = 0; k < USTAT_MAX_INPUTS; k++)
					m[n].idx[k] = -1;
				n++;
			}
			m[j].idx[i] = e;
			m[j].nr_present++;
		}
	}
	/* Two probes of one name (in different binaries) are told apart by it. */
	for (j = 0; j < n; j++) {
		bool twin = false;
		size_t len;

		for (k = 0; k < n; k++)
			twin |= k != j && !strcmp(m[k].name, m[j].name);
		len = strlen(m[j].name) + (m[j].binary ? strlen(m[j].binary) : 1) + 4;
		m[j].label = malloc(len);
		if (!m[j].label) {
			ustat_pmatch__free(m, n);
			return -ENOMEM;
		}
		if (twin)
			snprintf(m[j].label, len, "%s (%s)", m[j].name,
				 m[j].binary ? m[j].binary : "?");
		else
			snprintf(m[j].label, len, "%s", m[j].name);
	}
	*out = m;
	*nr_out = n;
	return 0;
}

void ustat_pmatch__free(struct ustat_pmatch *m, int nr)
{
	int i;

	for (i = 0; m && i < nr; i++)
		free(m[i].label);
	free(m);
}

const struct ustat_kev_stats *ustat_pmatch__kevents(const struct ustat_pmatch *m,
						   const struct ustat_mfile *ins, int i)
{
	const struct ustat_agg *agg = &ins[i].agg;

	if (m->idx[i] < 0 || !agg->sig.probe || !ustat_kev_agg__any(&agg->sig))
		return NULL;
	return &agg->sig.probe[m->idx[i]];
}

const char *const ustat_kev_counter_names[USTAT_KEV_COUNTERS] = {
	"lookups", "lookups_fallback", "lookups_not_found", "spec_fail", "xol_allocs",
	"xol_waits", "xol_recycles", "xol_cross_cpu", "mmap_fallbacks", "invalidations",
	"contended", "tree_retries", "xol_area_fails",
};

static u64 sum(const u64 *v, int n)
{
	u64 s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

u64 ustat_kev_counter(const struct ustat_kev_stats *st, int counter)
{
	switch (counter) {
	case 0: return st->lookups;
	case 1: return st->lookups_fallback;
	case 2: return st->lookups_not_found;
	case 3: return sum(st->spec_fail, USTAT_SPEC_FAIL_REASONS);
	case 4: return st->xol_allocs;
	case 5: return st->xol_waits;
	case 6: return sum(st->xol_recycles, USTAT_XOL_RECYCLE_REASONS);
	case 7: return st->xol_cross_cpu;
	case 8: return st->mmap_fallbacks;
	case 9: return st->invalidations;
	case 10: return st->contended;
	case 11: return st->find_retries;
	case 12: return st->xol_area_fails;
	default: return 0;
	}
}

const char *ustat_pmatch__kind(const struct ustat_pmatch *m)
{
	return m->kind == USTAT_EVENT_PROBE ? "entry" :
	       m->kind == USTAT_EVENT_RETPROBE ? "return" : "other";
}
