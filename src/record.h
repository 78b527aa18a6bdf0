/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORD_H
#define __USTAT_RECORD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "cgroup.h"
#include "probe-resolve.h"
#include "uprobe-pmu.h"
#include "workload.h"

struct perf_cpu_map;
struct perf_evlist;
struct perf_evsel;
struct perf_thread_map;
union perf_event;

enum record_target {
	TARGET_CMD,
	TARGET_PID,
	TARGET_SYSTEM,
};

/*
 * How the uprobe events reach the target's threads (see
 * Documentation/uprobe-stat-design.txt, "Attaching"):
 */
enum record_attach {
	ATTACH_AUTO,
	ATTACH_TASK,		/* per-task events inherited by new threads and children */
	ATTACH_CGROUP,		/* CMD runs in our cgroup; per-CPU cgroup events */
	ATTACH_FILTER,		/* per-CPU events for all, other processes' records dropped */
	ATTACH_SYSTEM,		/* -a: everything */
};

const char *record_attach__name(enum record_attach a);
int record_attach__parse(const char *s, enum record_attach *a);

struct record {
	/* options */
	const char		*output;
	const char		*exec;
	const char		*pids;
	const char		*attach_str;
	bool			 system_wide;
	bool			 force;
	unsigned int		 mmap_pages;

	enum record_target	 target;
	enum record_attach	 attach;
	const char		**cmd_argv;
	pid_t			*target_pids;
	int			 nr_target_pids;
	char			 target_desc[512];

	struct ustat_probe	*probes;
	int			 nr_probes;
	struct ustat_uprobe_pmu	 pmu;
	struct perf_evlist	*evlist;
	struct perf_evsel	**evsels;
	struct perf_cpu_map	*cpus;
	struct perf_thread_map	*threads;
	struct ustat_cgroup	 cgroup;
	struct ustat_workload	 workload;
	bool			 has_workload;

	/* ATTACH_FILTER: the processes whose records are kept */
	pid_t			*keep_pids;
	int			 nr_keep_pids;
	int			 cap_keep_pids;
	u64			 filtered;
};

/* Pick the attach mode (rec->attach may already be forced by --attach). */
int record__choose_attach(struct record *rec, char *err, size_t errlen);
/* Open and map every probe's events as the mode says. */
int record__open_events(struct record *rec, char *err, size_t errlen);
/* Enable, when the mode does not enable on exec. */
void record__enable(struct record *rec);
void record__close_events(struct record *rec);

/* ATTACH_FILTER: keep this record?  Learns children from FORK records. */
bool record__keep(struct record *rec, const union perf_event *ev);
int record__keep_pid(struct record *rec, pid_t pid);

#endif /* __USTAT_RECORD_H */
