// SPDX-License-Identifier: GPL-2.0
/*
 * Hits per process for reports on several files (report-multi.h): a probe
 * hit is counted by (probe, CPU, pid) as the file is read, next to the
 * aggregation every report makes, and each pid named by its last
 * PERF_RECORD_COMM (the name after exec).  Runs and hosts have different
 * pids, so --sort comm matches processes by that name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/compiler.h>

#include "util/uprobe-stat/util/array.h"
#include "agg-session.h"
#include "report-multi.h"

/* The key packs (probe, cpu, pid): the probe and the CPU get 16 bits each. */
#define PROC_FIELD_MAX	0xffffU

static u64 proc_key(u32 idx, u32 cpu, u32 pid)
{
	return (u64)(idx & PROC_FIELD_MAX) << 48 | (u64)(cpu & PROC_FIELD_MAX) << 32 | pid;
}

static int name_index(struct ustat_proc_hits *ph, const char *name)
{
	char **n;
	int i;

	for (i = 0; i < ph->nr_names; i++)
		if (!strcmp(ph->names[i], name))
			return i;
	if (ph->nr_names >= USTAT_MAX_COMMS)
		return -ENOSPC;
	if (ustat_array_grow(ph->names, ph->names_cap, ph->nr_names + 1))
		return -ENOMEM;
	n = ph->names;
	n[ph->nr_names] = strdup(name);
	if (!n[ph->nr_names])
		return -ENOMEM;
	return ph->nr_names++;
}

static int proc_sample(void *ctx, int ev, const struct ustat_sample *s)
{
	struct ustat_mfile *in = ctx;
	const struct ustat_event_infos *infos = in->agg.infos;
	struct ustat_proc_hits *ph = &in->procs;
	int ret = ustat_agg_input_ops.sample(&in->agg, ev, s), idx;
	u64 key;

	if (ret || ev < 0 || ev >= infos->nr || infos->ev[ev].kind == USTAT_EVENT_KERNEL)
		return ret;
	idx = ustat_event_info__probe(infos, ev);
	if ((u32)idx > PROC_FIELD_MAX || s->cpu > PROC_FIELD_MAX) {
		ph->uncounted++;
		return 0;
	}
	key = proc_key(idx, s->cpu, s->pid);
	return ustat_map__put_num(&ph->counts, key, ustat_map__get_num(&ph->counts, key) + 1);
}

static int proc_lost(void *ctx, u32 cpu, u64 nr, u64 time)
{
	struct ustat_mfile *in = ctx;

	return ustat_agg_input_ops.lost(&in->agg, cpu, nr, time);
}

static int proc_comm(void *ctx, u32 pid, u32 tid, const char *comm,
		     const struct ustat_sample *s __maybe_unused)
{
	struct ustat_mfile *in = ctx;
	int i;

	/* A thread's own name does not rename its process. */
	if (pid != tid && ustat_map__get_num(&in->procs.pids, pid))
		return 0;
	i = name_index(&in->procs, comm);
	if (i == -ENOSPC) {
		in->procs.too_many_names = true;
		return 0;
	}
	if (i < 0)
		return i;
	return ustat_map__put_num(&in->procs.pids, pid, i + 1);
}

/* A counter's total: the aggregation's; it has no process to count under. */
static int proc_count(void *ctx, int idx, u32 cpu, u32 thread, u64 value)
{
	struct ustat_mfile *in = ctx;

	return ustat_agg_input_ops.count(&in->agg, idx, cpu, thread, value);
}

const struct ustat_input_ops ustat_proc_input_ops = {
	.sample	= proc_sample,
	.lost	= proc_lost,
	.comm	= proc_comm,
	.count	= proc_count,
};

int ustat_proc_hits__finish(struct ustat_proc_hits *ph)
{
	char name[32];
	void *val;
	u64 key;
	u32 i;

	ph->ent = calloc(ph->counts.nr ? ph->counts.nr : 1, sizeof(*ph->ent));
	if (!ph->ent)
		return -ENOMEM;
	ustat_map__for_each(&ph->counts, i, key, val) {
		struct ustat_proc_entry *e = &ph->ent[ph->nr_ent++];
		u32 pid = (u32)key;
		int comm = (int)ustat_map__get_num(&ph->pids, pid) - 1;

		if (comm < 0) {
			/* No name recorded: the pid stands for it. */
			if (pid == (u32)-1)
				snprintf(name, sizeof(name), "[unknown]");
			else
				snprintf(name, sizeof(name), "[pid %u]", pid);
			comm = name_index(ph, name);
			if (comm == -ENOMEM)
				return comm;
			if (comm < 0) {
				/* Past the cap on names: counted, but in no process. */
				ph->uncounted += (uintptr_t)val;
				ph->too_many_names = true;
				ph->nr_ent--;
				continue;
			}
		}
		e->idx = key >> 48;
		e->cpu = (key >> 32) & PROC_FIELD_MAX;
		e->comm = comm;
		e->hits = (uintptr_t)val;
	}
	return 0;
}

void ustat_proc_hits__init(struct ustat_proc_hits *ph)
{
	memset(ph, 0, sizeof(*ph));
	ustat_map__init(&ph->counts);
	ustat_map__init(&ph->pids);
}

void ustat_proc_hits__exit(struct ustat_proc_hits *ph)
{
	int i;

	ustat_map__exit(&ph->counts);
	ustat_map__exit(&ph->pids);
	for (i = 0; i < ph->nr_names; i++)
		free(ph->names[i]);
	free(ph->names);
	free(ph->ent);
	memset(ph, 0, sizeof(*ph));
}
