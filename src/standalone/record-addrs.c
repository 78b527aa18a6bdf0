// SPDX-License-Identifier: GPL-2.0
/*
 * A lookup's bp_vaddr means something only in its process, and only while
 * that process maps the same files.  So the recorder resolves each new
 * (pid, address) the kernel signals name to file + offset + symbol as the
 * samples come in -- through PROCMAP_QUERY, which does not take the
 * target's mmap_lock -- and writes the answers into the file's metadata
 * for report to name addresses that are no probe of ours.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <perf/event.h>
#include <perf/evsel.h>
#include <traceevent/event-parse.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/resolve/elf-symbols.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/resolve/procmap.h"
#include "record.h"
#include "sample-parse.h"
#include "tp-fields.h"
#include "tracing-data.h"
#include "util/uprobe-stat/util/u64-map.h"

/* Enough for a recording: later addresses are counted but not named. */
#define MAX_ADDRS	4096

struct record_addrs {
	struct tep_handle	*tep;
	struct ustat_tp_fields	*fields;	/* per evsel; signal NONE if not decoded */
	struct ustat_map	 ids;		/* sample id -> evsel idx + 1 */
	struct ustat_map	 seen;		/* pid -> map of addresses seen */
	char			**recs;
	int			 nr;
	int			 cap;
	u64			 ioctl_queries;
	u64			 text_queries;
};

int record__addrs_init(struct record *rec, const struct ustat_tdata *td)
{
	struct record_addrs *a;
	char err[256];
	int i;
	u32 k;

	if (!td->len)
		return 0;	/* no signals recorded: no addresses to name */
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	rec->addrs = a;
	a->fields = calloc(rec->nr_evsels, sizeof(*a->fields));
	if (!a->fields)
		return -ENOMEM;
	a->tep = ustat_tdata__parse(td->buf, td->len, err, sizeof(err));
	for (i = 0; i < rec->nr_evsels; i++) {
		enum ustat_kevent sig = rec->evsel_kevent[i];

		a->fields[i].signal = USTAT_KEV_NONE;
		if (sig != USTAT_KEV_UPROBE_LOOKUP && sig != USTAT_KEV_SPEC_FAIL &&
		    sig != USTAT_KEV_MMAP_START)
			continue;
		if (ustat_tp_fields__init(&a->fields[i], a->tep, rec->signals.id[sig], sig,
					  err, sizeof(err)))
			a->fields[i].signal = USTAT_KEV_NONE;
		for (k = 0; rec->ids && k < rec->nr_ids[i]; k++)
			if (ustat_map__put_num(&a->ids, rec->ids[i][k], i + 1))
				return -ENOMEM;
	}
	return 0;
}

static void resolve(struct record_addrs *a, u32 pid, u64 addr)
{
	struct ustat_meta_buf m = { 0 };
	struct ustat_map *seen = ustat_map__get(&a->seen, pid);
	char sym[256] = "";
	struct ustat_vma vma;
	u64 off, sym_off = 0;
	bool via_ioctl;

	if (!seen) {
		seen = calloc(1, sizeof(*seen));
		if (!seen || ustat_map__put(&a->seen, pid, seen)) {
			free(seen);
			return;
		}
	}
	if (ustat_map__get(seen, addr) || a->nr >= MAX_ADDRS)
		return;
	ustat_map__put(seen, addr, (void *)1);
	if (ustat_procmap__query(pid, addr, &vma, &via_ioctl))
		return;		/* the process is gone, or nothing maps it */
	if (via_ioctl)
		a->ioctl_queries++;
	else
		a->text_queries++;
	off = addr - vma.start + vma.offset;
	if (vma.path[0] == '/')
		ustat_elf__symbolize(vma.path, off, sym, sizeof(sym), &sym_off);
	if (ustat_meta__begin(&m, "addr") || ustat_meta__add_u64(&m, "pid", pid) ||
	    ustat_meta__add_u64(&m, "vaddr", addr) ||
	    ustat_meta__add(&m, "file", vma.path[0] ? vma.path : "[anon]") ||
	    ustat_meta__add_u64(&m, "offset", off) || ustat_meta__add(&m, "sym", sym) ||
	    ustat_meta__add_u64(&m, "sym_off", sym_off) ||
	    ustat_meta__add(&m, "via", via_ioctl ? "PROCMAP_QUERY" : "maps")) {
		ustat_meta__free(&m);
		return;
	}
	if (ustat_array_grow(a->recs, a->cap, a->nr + 1)) {
		ustat_meta__free(&m);
		return;
	}
	a->recs[a->nr++] = m.s;
}

/* The first user address of a callchain: where the trap happened. */
static u64 first_user_ip(const struct ustat_sample *s)
{
	bool user = false;
	u64 i;

	for (i = 0; i < s->callchain_nr; i++) {
		if (s->callchain[i] >= PERF_CONTEXT_MAX)
			user = s->callchain[i] == PERF_CONTEXT_USER;
		else if (user)
			return s->callchain[i];
	}
	return 0;
}

void record__addrs_note(struct record *rec, const union perf_event *ev)
{
	struct record_addrs *a = rec->addrs;
	const struct ustat_tp_fields *tf;
	struct ustat_sample s;
	uintptr_t idx;
	u64 addr;

	if (!a || ev->header.type != PERF_RECORD_SAMPLE ||
	    ev->header.size < sizeof(ev->header) + 8)
		return;
	/* IDENTIFIER comes first in every sample we ask for. */
	idx = ustat_map__get_num(&a->ids, *(const u64 *)(&ev->header + 1));
	if (!idx || a->fields[idx - 1].signal == USTAT_KEV_NONE)
		return;
	tf = &a->fields[idx - 1];
	if (ustat_sample__parse(perf_evsel__attr(rec->evsels[idx - 1]), ev, &s))
		return;
	if (tf->signal == USTAT_KEV_MMAP_START) {
		addr = first_user_ip(&s);
		if (!addr)
			return;
		addr--;		/* the trap left the IP just past the int3 */
	} else {
		addr = ustat_tp_fields__get(tf, 0, s.raw, s.raw_size);
	}
	resolve(a, s.pid, addr);
}

int record__addrs_meta(struct record *rec, char ***recs, int *nr)
{
	struct record_addrs *a = rec->addrs;

	*recs = NULL;
	*nr = 0;
	if (!a)
		return 0;
	*recs = a->recs;
	*nr = a->nr;
	a->recs = NULL;
	a->nr = 0;
	return 0;
}

void record__addrs_exit(struct record *rec)
{
	struct record_addrs *a = rec->addrs;
	struct ustat_map *seen;
	u32 i;

	if (!a)
		return;
	ustat_map__for_each_val(&a->seen, i, seen) {
		ustat_map__exit(seen);
		free(seen);
	}
	ustat_map__exit(&a->seen);
	ustat_map__exit(&a->ids);
	for (i = 0; i < (u32)a->nr; i++)
		free(a->recs[i]);
	free(a->recs);
	free(a->fields);
	if (a->tep)
		tep_free(a->tep);
	free(a);
	rec->addrs = NULL;
}
