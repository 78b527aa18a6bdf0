// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel signals recorded beside the probes: the uprobes_core
 * tracepoints of the patched kernel, or, on stock kernels, mmap_lock
 * events whose callchains show the speculative lookup falling back, and
 * lock contention on the uprobe paths.  Each is optional: what the kernel
 * lacks, or refuses, is noted in the file and the report says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <perf/evlist.h>
#include <perf/evsel.h>

#include "util/uprobe-stat/util/debug.h"
#include "record.h"
#include "tracefs.h"
#include "tracing-data.h"

/* Kernel frames and the first user frame (the probed address) suffice. */
#define SIGNAL_MAX_STACK	32

static bool wanted(enum ustat_kevent sig, bool patched)
{
	/* With the patch, uprobe_lookup says which lookups fell back. */
	if (sig == USTAT_KEV_MMAP_START)
		return !patched;
	return !ustat_kevent_descs[sig].patched || patched;
}

static void signal_attr(struct record *rec, enum ustat_kevent sig, struct perf_event_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_TRACEPOINT;
	attr->config = rec->signals.id[sig];
	/* As the probes' (tracepoint events inherit fine: only the uprobe PMU has the bug). */
	record__sample_attr(rec, attr);
	attr->sample_type |= PERF_SAMPLE_RAW;
	if (ustat_kevent_descs[sig].callchain) {
		attr->sample_type |= PERF_SAMPLE_CALLCHAIN;
		attr->sample_max_stack = SIGNAL_MAX_STACK;
	}
}

/* Why kernel event SIG is not recorded, or NULL: it is. */
static const char *not_recorded(const struct record *rec, int sig, bool patched)
{
	if (rec->no_kevents)
		return "not recorded (--no-signals)";
	if (rec->kfunc.mode == KFUNC_ONLY &&
	    (sig == USTAT_KEV_UPROBE_LOOKUP || sig == USTAT_KEV_XOL_ALLOC ||
	     sig == USTAT_KEV_XOL_RECYCLE))
		return "not recorded (--bpf-signals=only)";
	if (!wanted(sig, patched))
		return patched ? "not needed: uprobes_core present" : "not in this kernel";
	if (rec->signals.id[sig] < 0)
		return "not in this kernel";
	return NULL;
}

/* The kernel's tracefs looked at once: the plan and the events agree. */
static void discover(struct record *rec)
{
	if (rec->signals_found)
		return;
	ustat_kevents__discover(&rec->signals);
	rec->signals_found = true;
}

bool record__kevents_planned(struct record *rec)
{
	bool patched;
	int i;

	if (rec->no_kevents)
		return false;
	discover(rec);
	patched = ustat_kevents__have_patched(&rec->signals);
	for (i = 0; i < USTAT_KEV_NR; i++)
		if (!not_recorded(rec, i, patched))
			return true;
	return false;
}

int record__add_kevents(struct record *rec, char *err, size_t errlen)
{
	struct perf_evsel **evsels;
	enum ustat_kevent *sigs;
	bool patched, chains = false;
	int i, n = rec->nr_probes;

	rec->nr_evsels = rec->nr_probes;
	rec->evsel_kevent = calloc(rec->nr_probes + USTAT_KEV_NR, sizeof(*rec->evsel_kevent));
	evsels = realloc(rec->evsels, (rec->nr_probes + USTAT_KEV_NR) * sizeof(*evsels));
	if (!rec->evsel_kevent || !evsels) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rec->evsels = evsels;
	sigs = rec->evsel_kevent;
	for (i = 0; i < rec->nr_probes; i++)
		sigs[i] = USTAT_KEV_NONE;

	discover(rec);
	patched = ustat_kevents__have_patched(&rec->signals);
	for (i = 0; i < USTAT_KEV_NR; i++) {
		struct perf_event_attr attr;
		const char *why = not_recorded(rec, i, patched);

		if (why) {
			rec->kevent_state[i] = why;
			continue;
		}
		signal_attr(rec, i, &attr);
		evsels[n] = perf_evsel__new(&attr);
		if (!evsels[n]) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		sigs[n++] = i;
		rec->kevent_state[i] = "recorded";
		chains |= ustat_kevent_descs[i].callchain;
	}
	rec->nr_evsels = n;
	if (chains && ustat_ksyms__load_uprobe_paths(&rec->ksyms, NULL))
		ustat_warn("no kernel symbols for the uprobe paths (kptr_restrict?): callchains cannot be attributed");
	return 0;
}

void record__drop_kevent(struct record *rec, int idx, const char *why)
{
	static char reasons[USTAT_KEV_NR][160];
	enum ustat_kevent sig = rec->evsel_kevent[idx];

	snprintf(reasons[sig], sizeof(reasons[sig]), "failed: %s", why);
	rec->kevent_state[sig] = reasons[sig];
	ustat_warn("not recording %s:%s: %s", ustat_kevent_descs[sig].system,
		   ustat_kevent_descs[sig].name, why);
	perf_evsel__delete(rec->evsels[idx]);
	memmove(&rec->evsels[idx], &rec->evsels[idx + 1],
		(rec->nr_evsels - idx - 1) * sizeof(*rec->evsels));
	memmove(&rec->evsel_kevent[idx], &rec->evsel_kevent[idx + 1],
		(rec->nr_evsels - idx - 1) * sizeof(*rec->evsel_kevent));
	rec->nr_evsels--;
}

int record__tracing_data(struct record *rec, struct ustat_tdata *td)
{
	struct ustat_tdata_event ev[USTAT_KEV_NR];
	char *formats[USTAT_KEV_NR];
	char *hp = NULL, *he = NULL;
	size_t hp_len = 0, he_len = 0;
	int i, n = 0, ret = 0;

	memset(td, 0, sizeof(*td));
	for (i = rec->nr_probes; i < rec->nr_evsels; i++) {
		const struct ustat_kevent_desc *d = &ustat_kevent_descs[rec->evsel_kevent[i]];

		formats[n] = ustat_tracefs__event_format(rec->signals.tracefs, d->system, d->name,
							 &ev[n].format_len);
		if (!formats[n])
			continue;
		ev[n].system = d->system;
		ev[n].format = formats[n];
		n++;
	}
	if (!n)
		return 0;
	hp = ustat_tracefs__read(rec->signals.tracefs, "events/header_page", &hp_len);
	he = ustat_tracefs__read(rec->signals.tracefs, "events/header_event", &he_len);
	ret = ustat_tdata__build(td, hp ? hp : "", hp_len, he ? he : "", he_len, ev, n);
	for (i = 0; i < n; i++)
		free(formats[i]);
	free(hp);
	free(he);
	return ret;
}
