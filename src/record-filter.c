// SPDX-License-Identifier: GPL-2.0
/*
 * ATTACH_FILTER: the kernel delivers every process's hits of the probed
 * files; the records of processes other than the target are dropped here,
 * before they reach the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <perf/event.h>

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
	if (rec->nr_keep_pids == rec->cap_keep_pids) {
		int cap = rec->cap_keep_pids ? rec->cap_keep_pids * 2 : 8;
		pid_t *n = realloc(rec->keep_pids, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		rec->keep_pids = n;
		rec->cap_keep_pids = cap;
	}
	rec->keep_pids[rec->nr_keep_pids++] = pid;
	return 0;
}

/*
 * Sample layout is fixed by init_attr(): IDENTIFIER, IP, then TID, whose
 * low half is the pid.  The other records start with pid (and ppid).
 */
bool record__keep(struct record *rec, const union perf_event *ev)
{
	const u64 *words = (const u64 *)(&ev->header + 1);
	bool keep;

	if (rec->attach != ATTACH_FILTER)
		return true;
	switch (ev->header.type) {
	case PERF_RECORD_SAMPLE:
		keep = ev->header.size >= sizeof(ev->header) + 3 * sizeof(u64) &&
		       wanted(rec, (pid_t)(u32)words[2]);
		break;
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
		return true;	/* LOST and the like concern the buffer, not a process */
	}
	if (!keep)
		rec->filtered++;
	return keep;
}
