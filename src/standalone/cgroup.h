/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_CGROUP_H
#define __USTAT_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A perf_event cgroup of our own for 'record -- CMD' on kernels where
 * uprobe PMU events cannot be inherited (see uprobe-inherit.h): the
 * command runs inside it, and per-CPU events opened with
 * PERF_FLAG_PID_CGROUP count every thread and child process it makes,
 * exactly, with no event inherited by anything.
 *
 * The cgroup is made under our own cgroup, so the command keeps the
 * limits it would have had, and removed when the command is done.
 */
struct ustat_cgroup {
	char	path[PATH_MAX];
	int	fd;		/* the directory: the "pid" of cgroup events */
};

int ustat_cgroup__create(struct ustat_cgroup *cg, char *err, size_t errlen);
int ustat_cgroup__attach(struct ustat_cgroup *cg, pid_t pid, char *err, size_t errlen);
/* Remove the empty cgroups of earlier runs that were killed (SIGKILL). */
void ustat_cgroup__sweep(void);
/* Remove it; a cgroup still holding processes (daemons of CMD) is left. */
void ustat_cgroup__destroy(struct ustat_cgroup *cg);

#endif /* __USTAT_CGROUP_H */
