// SPDX-License-Identifier: GPL-2.0
/*
 * -t TID[,TID] (perf record's --tid): only these threads, not the other
 * threads of their processes.  Their processes are the target as with -p
 * (binaries are the files they map, the run ends when they exit); the
 * per-task events go on the threads alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/util/file-util.h"
#include "record.h"

/* The process of thread TID: "Tgid:" of /proc/TID/status, 0 when none. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], *text, *line;
	pid_t tgid = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	text = ustat_read_file(path, NULL);
	if (!text)
		return 0;
	line = strstr(text, "\nTgid:");
	if (line)
		tgid = strtol(line + 6, NULL, 10);
	free(text);
	return tgid;
}

static int add(pid_t **v, int *nr, int *cap, pid_t x)
{
	int i;

	for (i = 0; i < *nr; i++)
		if ((*v)[i] == x)
			return 0;
	if (ustat_array_grow(*v, *cap, *nr + 1))
		return -ENOMEM;
	(*v)[(*nr)++] = x;
	return 0;
}

int record__parse_tids(struct record *rec, char *err, size_t errlen)
{
	char *copy = strdup(rec->tids), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long tid = strtol(tok, &end, 10);
		pid_t tgid;

		if (*end || tid <= 0 || tid > INT_MAX) {
			snprintf(err, errlen, "invalid tid '%s'", tok);
			ret = -EINVAL;
			break;
		}
		tgid = tgid_of(tid);
		if (!tgid) {
			snprintf(err, errlen, "no thread with tid %ld", tid);
			ret = -ESRCH;
			break;
		}
		ret = add(&rec->target_tids, &rec->nr_target_tids, &rec->cap_target_tids, tid);
		if (!ret)
			ret = add(&rec->target_pids, &rec->nr_target_pids, &rec->cap_target_pids,
				  tgid);
	}
	free(copy);
	if (!ret && !rec->nr_target_tids) {
		snprintf(err, errlen, "-t needs a tid");
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}
