/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_UPROBE_INHERIT_H
#define __USTAT_UPROBE_INHERIT_H

#include <stdbool.h>

#include "uprobe-pmu.h"

/*
 * Can uprobe PMU events be inherited by the threads and children a target
 * creates?  On the kernels tested (up to 6.18) they cannot: when a task
 * forks, perf_uprobe_init() runs again for the inherited event and reads
 * attr.uprobe_path -- a pointer into the tool's memory -- from the forking
 * task's address space, fails with EFAULT, and so does the target's fork()
 * or pthread_create().  A profiler must not break its target, so this is
 * checked once by experiment: a child that unmapped the path page forks
 * under an inherited event.
 *
 * Returns 1 when inheritance works, 0 when it would break the target, and
 * -errno when the experiment itself could not run.
 */
int ustat_uprobe_inherit_works(const struct ustat_uprobe_pmu *pmu);

/* The function the experiment probes: in the tool's own binary, never called. */
void ustat_inherit_probe_point(void);

#endif /* __USTAT_UPROBE_INHERIT_H */
