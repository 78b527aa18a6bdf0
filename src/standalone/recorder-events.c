// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder's events: the attrs it opens for the probes, and how the
 * file describes the events (attrs, ids, names and the metadata records
 * that say what each event stands for).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <perf/evsel.h>

#include "util/uprobe-stat/core/cost-meta.h"
#include "util/uprobe-stat/bpf/bpf-record.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/explain/observer.h"
#include "util/uprobe-stat/resolve/dwarf-unwind.h"
#include "recorder.h"

void record__sample_attr(const struct record *rec, struct perf_event_attr *attr)
{
	long page = sysconf(_SC_PAGESIZE);

	attr->sample_period = 1;
	/*
	 * record-filter.c relies on this layout: IDENTIFIER, IP, TID first.
	 * No PERIOD: it is always 1 here, and readers (perf's evsel parser
	 * and ours) take attr.sample_period when a sample has none; it was a
	 * seventh of every sample's bytes, written and read again.
	 */
	attr->sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			    PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	attr->read_format = PERF_FORMAT_ID | (rec->counts_lost ? PERF_FORMAT_LOST : 0);
	attr->sample_id_all = 1;
	attr->disabled = 1;
	attr->inherit = record__per_task(rec);
	attr->enable_on_exec = record__per_task(rec) && rec->target == TARGET_CMD;
	/* CLOCK_MONOTONIC: sample times compare with our own start/end stamps. */
	attr->use_clockid = 1;
	attr->clockid = CLOCK_MONOTONIC;
	/*
	 * Wake up at an eighth full, at most 2 MiB: few wakeups, and most of
	 * the buffer left for the time a loaded machine keeps us waiting.
	 */
	attr->watermark = 1;
	attr->wakeup_watermark = rec->mmap_pages * page / 8;
	if (attr->wakeup_watermark > (2U << 20))
		attr->wakeup_watermark = 2U << 20;
}

/*
 * -g, --call-graph: what perf record asks for, so that stock perf script
 * and report show the same callchains.  The frame-pointer walk at a
 * function's entry finds its caller too (the kernel reads the return
 * address at the stack pointer when the uprobe sits on the push of the
 * frame pointer).  dwarf copies the user registers and the top of the
 * stack; report unwinds them (resolve/dwarf-unwind.c).
 */
static void callgraph_attr(const struct record *rec, struct perf_event_attr *attr)
{
	if (rec->callgraph == USTAT_CALLGRAPH_NONE)
		return;
	attr->sample_type |= PERF_SAMPLE_CALLCHAIN;
	if (rec->callgraph != USTAT_CALLGRAPH_DWARF)
		return;
	attr->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	attr->sample_regs_user = USTAT_USER_REGS_MASK;
	attr->sample_stack_user = rec->stack_size;
	attr->exclude_callchain_user = 1;
}

static void init_attr(struct record *rec, struct ustat_probe *p, bool first,
		      struct perf_event_attr *attr)
{
	ustat_uprobe_pmu__init_attr(&rec->pmu, attr, p->path, p->offset, p->spec.is_return,
				    p->ref_ctr_offset);
	record__sample_attr(rec, attr);
	callgraph_attr(rec, attr);
	/* The counting consumer: a count, no sample (record-count.c). */
	if (rec->counted && rec->counted[p - rec->probes]) {
		attr->sample_period = 0;
		attr->watermark = 0;
		attr->wakeup_watermark = 0;
	}
	if (record__on_tracefs(rec))
		ustat_tracefs_probes__attr(&rec->tprobes, p - rec->probes, attr);
	if (first) {
		/* Names, mappings and forks: comm and symbols in stock perf, children here. */
		attr->comm = 1;
		attr->comm_exec = 1;
		attr->task = 1;
		attr->mmap = 1;
		attr->mmap2 = 1;
		/*
		 * --call-graph dwarf: the read-only mappings too, as perf record
		 * has them: stock perf's libunwind reads .eh_frame_hdr through them.
		 */
		attr->mmap_data = rec->callgraph == USTAT_CALLGRAPH_DWARF;
	}
}

int recorder__create_evsels(struct record *rec, char *err, size_t errlen)
{
	int i;

	rec->evsels = calloc(rec->nr_probes, sizeof(*rec->evsels));
	if (!rec->evsels)
		goto nomem;
	for (i = 0; i < rec->nr_probes; i++) {
		struct perf_event_attr attr;

		init_attr(rec, &rec->probes[i], i == 0, &attr);
		rec->evsels[i] = perf_evsel__new(&attr);
		if (!rec->evsels[i])
			goto nomem;
		rec->nr_evsels++;
	}
	return record__add_kevents(rec, err, errlen);
nomem:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

static int probe_meta(struct ustat_meta_buf *m, int idx, const struct ustat_probe *p)
{
	char off[32];

	snprintf(off, sizeof(off), "%#llx", (unsigned long long)p->offset);
	if (ustat_meta__begin(m, "event") ||
	    ustat_meta__add_u64(m, "idx", idx) ||
	    ustat_meta__add(m, "kind", "uprobe") ||
	    ustat_meta__add(m, "display", p->display) ||
	    ustat_meta__add(m, "binary", p->path) ||
	    ustat_meta__add(m, "func", p->func) ||
	    ustat_meta__add_u64(m, "func_offset", p->func_offset) ||
	    ustat_meta__add(m, "offset", off) ||
	    ustat_meta__add_u64(m, "return", p->spec.is_return))
		return -ENOMEM;
	/* Sites of one probe: report sums them under its display name. */
	if (ustat_meta__add(m, "site_kind", ustat_site_kind__name(p->site_kind)) ||
	    ustat_meta__add_u64(m, "site", p->site) ||
	    ustat_meta__add_u64(m, "sites", p->nr_sites))
		return -ENOMEM;
	if (ustat_cost_meta__probe(m, p))	/* the site's kernel path, for the cost of a hit */
		return -ENOMEM;
	if (p->ref_ctr_offset) {
		snprintf(off, sizeof(off), "%#llx", (unsigned long long)p->ref_ctr_offset);
		if (ustat_meta__add(m, "ref_ctr_offset", off))
			return -ENOMEM;
	}
	return 0;
}

static int signal_meta(struct ustat_meta_buf *m, int idx, enum ustat_kevent sig)
{
	char name[128];

	snprintf(name, sizeof(name), "%s:%s", ustat_kevent_descs[sig].system,
		 ustat_kevent_descs[sig].name);
	if (ustat_meta__begin(m, "event") ||
	    ustat_meta__add_u64(m, "idx", idx) ||
	    ustat_meta__add(m, "kind", "tracepoint") ||
	    ustat_meta__add(m, "display", name) ||
	    ustat_meta__add(m, "signal", ustat_kevent_descs[sig].name))
		return -ENOMEM;
	return 0;
}

/* The file's view of the events: attrs, ids, names and our metadata. */
int recorder__describe_events(struct recorder *r)
{
	struct record *rec = &r->rec;
	int i;

	r->events = calloc(rec->nr_evsels, sizeof(*r->events));
	r->metas = calloc(rec->nr_evsels, sizeof(*r->metas));
	r->names = calloc(rec->nr_evsels, sizeof(*r->names));
	if (!r->events || !r->metas || !r->names)
		return -ENOMEM;
	for (i = 0; i < rec->nr_evsels; i++) {
		struct perf_evsel *evsel = rec->evsels[i];
		enum ustat_kevent sig = rec->evsel_kevent[i];

		r->events[i].attr = *perf_evsel__attr(evsel);
		r->events[i].attr.config1 = 0;	/* a pointer into our memory */
		/*
		 * A uprobe defined in uprobe_events is gone with the run, and
		 * its tracepoint id means nothing afterwards: the file
		 * describes it as the uprobe PMU event it is equivalent to
		 * (same file, offset and retprobe flag), which stock perf and
		 * report read.  The session's "attach" says how it was made.
		 */
		if (sig == USTAT_KEV_NONE && record__on_tracefs(rec)) {
			const struct ustat_probe *p = &rec->probes[i];
			struct perf_event_attr pa;

			ustat_uprobe_pmu__init_attr(&rec->pmu, &pa, NULL, p->offset,
						    p->spec.is_return, p->ref_ctr_offset);
			r->events[i].attr.type = pa.type;
			r->events[i].attr.config = pa.config;
			r->events[i].attr.config1 = 0;
			r->events[i].attr.config2 = pa.config2;
		}
		r->events[i].ids = rec->ids ? rec->ids[i] : NULL;
		r->events[i].nr_ids = rec->ids ? rec->nr_ids[i] : 0;
		if (sig == USTAT_KEV_NONE) {
			r->events[i].name = rec->probes[i].event;
			if (probe_meta(&r->metas[i], i, &rec->probes[i]))
				return -ENOMEM;
		} else {
			if (asprintf(&r->names[i], "%s:%s", ustat_kevent_descs[sig].system,
				     ustat_kevent_descs[sig].name) < 0) {
				r->names[i] = NULL;
				return -ENOMEM;
			}
			r->events[i].name = r->names[i];
			if (signal_meta(&r->metas[i], i, sig))
				return -ENOMEM;
		}
		r->events[i].meta = r->metas[i].s;
	}
	return 0;
}

int recorder__extra_meta(struct recorder *r, char ***out, int *nr)
{
	struct record *rec = &r->rec;
	struct ustat_meta_buf m = { 0 };
	struct ustat_observer obs;
	char **recs, **addrs, **bpf, **kf;
	int i, n = 0, nr_addrs, nr_bpf, nr_kf;

	record__addrs_meta(rec, &addrs, &nr_addrs);
	if (record__bpf_meta(rec, &bpf, &nr_bpf))
		nr_bpf = 0;
	if (record__kfunc_meta(rec, &kf, &nr_kf))
		nr_kf = 0;
	recs = calloc(USTAT_KEV_NR + rec->ksyms.nr + nr_addrs + nr_bpf + nr_kf + 2,
		      sizeof(*recs));
	if (!recs) {
		while (nr_addrs--)
			free(addrs[nr_addrs]);
		while (nr_bpf--)
			free(bpf[nr_bpf]);
		while (nr_kf--)
			free(kf[nr_kf]);
		free(addrs);
		free(bpf);
		free(kf);
		return -ENOMEM;
	}
	for (i = 0; i < nr_addrs; i++)
		recs[n++] = addrs[i];
	for (i = 0; i < nr_bpf; i++)
		recs[n++] = bpf[i];
	for (i = 0; i < nr_kf; i++)
		recs[n++] = kf[i];
	free(addrs);
	free(bpf);
	free(kf);
	for (i = 0; i < USTAT_KEV_NR; i++) {
		char name[128];

		snprintf(name, sizeof(name), "%s:%s", ustat_kevent_descs[i].system,
			 ustat_kevent_descs[i].name);
		if (ustat_meta__begin(&m, "signal") || ustat_meta__add(&m, "event", name) ||
		    ustat_meta__add(&m, "state", rec->kevent_state[i] ? rec->kevent_state[i] : "?"))
			goto nomem;
		recs[n++] = m.s;
		memset(&m, 0, sizeof(m));
	}
	for (i = 0; i < rec->ksyms.nr; i++) {
		const struct ustat_ksym *k = &rec->ksyms.syms[i];

		if (ustat_meta__begin(&m, "ksym") || ustat_meta__add(&m, "name", k->name) ||
		    ustat_meta__add_u64(&m, "start", k->start) ||
		    ustat_meta__add_u64(&m, "end", k->end))
			goto nomem;
		recs[n++] = m.s;
		memset(&m, 0, sizeof(m));
	}
	/* The calibration of the cost of a hit: record may measure one, top does not wait. */
	if (ustat_cost_meta__calibration(rec->output != NULL, &recs[n]))
		goto nomem;
	n += recs[n] != NULL;
	/* What recording shifts, if bench --observer measured it this boot. */
	if (!ustat_observer__load(&obs) && ustat_observer__to_meta(&obs, &recs[n]))
		goto nomem;
	n += recs[n] != NULL;
	*out = recs;
	*nr = n;
	return 0;
nomem:
	ustat_meta__free(&m);
	while (n--)
		free(recs[n]);
	free(recs);
	return -ENOMEM;
}
