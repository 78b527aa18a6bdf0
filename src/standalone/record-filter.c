// SPDX-License-Identifier: GPL-2.0
/*
 * ATTACH_FILTER: the kernel delivers every process's hits of the probed
 * files; the records of processes other than the target are dropped here,
 * before they reach the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <perf/event.h>

#include "util/uprobe-stat/util/array.h"
#include "record.h"

static bool wanted(const struct record *rec, pid_t pid)
{
	int i;

	for (i = 0; i < rec->nr_keep_pids; i++)
		if (rec->keep_pids[i] == pid)
			return true;
	return false;
}

int record__keep_pid(struct record *rec, pid_t pid)
{
	if (wanted(rec, pid))
		return 0;
	if (ustat_array_grow(rec->keep_pids, rec->cap_keep_pids, rec->nr_keep_pids + 1))
		return -ENOMEM;
	rec->keep_pids[rec->nr_keep_pids++] = pid;
	return 0;
}

/* A deferred pass holds at most this much; past it, records are dropped. */
#define MAX_DEFERRED	(16 << 20)

/* The pid of a sample: the layout is IDENTIFIER, IP, then TID (pid first). */
static bool sample_pid(const union perf_event *ev, pid_t *pid)
{
	const u64 *words = (const u64 *)(&ev->header + 1);

	if (ev->header.size < sizeof(ev->header) + 3 * sizeof(u64))
		return false;
	*pid = (pid_t)(u32)words[2];
	return true;
}

/* The other records start with pid (and ppid). */
enum record_verdict record__verdict(struct record *rec, const union perf_event *ev)
{
	bool keep;
	pid_t pid;

	if (rec->attach != ATTACH_FILTER)
		return RECORD_KEEP;
	switch (ev->header.type) {
	case PERF_RECORD_SAMPLE:
		if (!sample_pid(ev, &pid)) {
			keep = false;
			break;
		}
		if (wanted(rec, pid))
			return RECORD_KEEP;
		return RECORD_DEFER;
	case PERF_RECORD_FORK:
		/* A child of a kept process is kept from its fork on. */
		if (wanted(rec, ev->fork.ppid) && ev->fork.pid != ev->fork.ppid)
			record__keep_pid(rec, ev->fork.pid);
		keep = wanted(rec, ev->fork.pid);
		break;
	case PERF_RECORD_EXIT:
		keep = wanted(rec, ev->fork.pid);
		break;
	case PERF_RECORD_COMM:
		keep = wanted(rec, ev->comm.pid);
		break;
	case PERF_RECORD_MMAP:
		keep = wanted(rec, ev->mmap.pid);
		break;
	case PERF_RECORD_MMAP2:
		keep = wanted(rec, ev->mmap2.pid);
		break;
	default:
		return RECORD_KEEP;	/* LOST and the like concern the buffer */
	}
	if (!keep)
		rec->filtered++;
	return keep ? RECORD_KEEP : RECORD_DROP;
}

int record__defer(struct record *rec, const union perf_event *ev)
{
	size_t size = ev->header.size;

	if (rec->deferred_len + size > MAX_DEFERRED) {
		rec->filtered++;
		return 0;
	}
	if (ustat_array_grow(rec->deferred, rec->deferred_cap, rec->deferred_len + size))
		return -ENOMEM;
	memcpy(rec->deferred + rec->deferred_len, ev, size);
	rec->deferred_len += size;
	return 0;
}

int record__flush_deferred(struct record *rec, record_emit_fn emit, void *ctx)
{
	size_t off = 0;
	int ret = 0;

	while (off < rec->deferred_len && !ret) {
		const union perf_event *ev = (const void *)(rec->deferred + off);
		pid_t pid;

		off += ev->header.size;
		if (sample_pid(ev, &pid) && wanted(rec, pid))
			ret = emit(ctx, ev);
		else
			rec->filtered++;
	}
	rec->deferred_len = 0;
	return ret;
}
