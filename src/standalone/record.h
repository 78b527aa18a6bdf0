/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORD_H
#define __USTAT_RECORD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "util/uprobe-stat/bpf/bpf-kfunc.h"
#include "cgroup.h"
#include "util/uprobe-stat/explain/kallsyms.h"
#include "util/uprobe-stat/resolve/probe-resolve.h"
#include "util/uprobe-stat/core/kevents.h"
#include "util/uprobe-stat/core/record-opts.h"
#include "uprobe-pmu.h"
#include "uprobe-tracefs.h"
#include "workload.h"

struct perf_cpu_map;
struct perf_event_attr;
struct ustat_bpf;
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
	ATTACH_TRACEFS,		/* the same, on uprobes defined in tracefs uprobe_events */
	ATTACH_CGROUP,		/* CMD runs in our cgroup; per-CPU cgroup events */
	ATTACH_FILTER,		/* per-CPU events for all, other processes' records dropped */
	ATTACH_SYSTEM,		/* -a: everything */
};

const char *record_attach__name(enum record_attach a);
/* What the mode means, for the report header and list --kernel. */
const char *record_attach__desc(enum record_attach a);
int record_attach__parse(const char *s, enum record_attach *a);

struct record {
	/* options */
	const char		*output;
	const char		*exec;
	const char		*pids;
	const char		*attach_str;
	const char		*cpu_list;	/* -C: these CPUs only (perf's cpu list) */
	const char		*tids;		/* -t: these threads (their processes: pids) */
	bool			 system_wide;
	bool			 force;
	bool			 no_kevents;
	bool			 counts_lost;	/* events read with PERF_FORMAT_LOST */
	bool			 use_bpf;	/* -b: count in the kernel (bpf-record.h) */
	struct ustat_bpf	*bpf;		/* the loaded program, or NULL */
	/*
	 * The counting consumer (record-count.c): probes no sample is needed
	 * for are counting events; COUNT_ALL (record --count) counts the
	 * %return pairs too, which then have no latency.
	 */
	bool			 counting;
	bool			 count_all;
	bool			*counted;	/* [nr_probes]: a counting event */
	int			 nr_counted;
	struct record_kfunc	 kfunc;		/* BPF fentry on the kernel (bpf-kfunc.h) */
	enum ustat_callgraph	 callgraph;	/* -g, --call-graph */
	const char		*call_graph;	/* --call-graph as given, checked at setup */
	u32			 stack_size;	/* --call-graph dwarf,SIZE */
	unsigned int		 mmap_pages;
	const char		*mmap_str;	/* -m as given, checked in record-mmap.c */

	enum record_target	 target;
	enum record_attach	 attach;
	const char		**cmd_argv;
	const char		 *cmd_output;	/* top: the command's stdout and stderr */
	bool			  cmd_stdout_to_stderr;	/* -o -: stdout is the stream */
	pid_t			*target_pids;
	int			 nr_target_pids;
	int			 cap_target_pids;
	pid_t			*target_tids;	/* -t: only these threads are followed */
	int			 nr_target_tids;
	int			 cap_target_tids;
	char			 target_desc[512];

	struct ustat_probe	*probes;
	int			 nr_probes;
	struct ustat_uprobe_pmu	 pmu;
	struct perf_evlist	*evlist;
	/* the probes first, then the kernel signals' tracepoints */
	struct perf_evsel	**evsels;
	enum ustat_kevent	*evsel_kevent;	/* USTAT_KEV_NONE for probes */
	int			 nr_evsels;
	bool			 evsels_in_evlist;
	u64			**ids;		/* of each evsel's events, read once mapped */
	u32			*nr_ids;
	struct ustat_kevents	 signals;
	bool			 signals_found;	/* discovered once (record-kevents.c) */
	/* what became of each signal, for the file: recorded or why not */
	const char		*kevent_state[USTAT_KEV_NR];
	struct ustat_ksyms	 ksyms;
	struct record_addrs	*addrs;		/* record-addrs.c */
	struct perf_cpu_map	*cpus;
	struct perf_thread_map	*threads;
	struct ustat_cgroup	 cgroup;
	struct ustat_tracefs_probes tprobes;	/* ATTACH_TRACEFS, or -a where usable */
	struct ustat_workload	 workload;
	bool			 has_workload;
	/* stopping: at STOP_NICE until detached, then back to nice_before */
	bool			 hurried;
	int			 nice_before;

	/* -- CMD: the probed files, to compare with what CMD maps */
	struct record_mapcheck	*mapcheck;
	int			 nr_mapcheck;

	/* ATTACH_FILTER: the processes whose records are kept */
	pid_t			*keep_pids;
	int			 nr_keep_pids;
	int			 cap_keep_pids;
	u64			 filtered;
	char			*deferred;	/* records held to the end of the pass */
	size_t			 deferred_len;
	size_t			 deferred_cap;
};

/* Events on the target's tasks, inherited: only the target pays. */
static inline bool record__per_task(const struct record *rec)
{
	return rec->attach == ATTACH_TASK || rec->attach == ATTACH_TRACEFS;
}

/*
 * The probes' events are on uprobes defined in uprobe_events (tprobes):
 * one kernel consumer for each site, whatever the number of events on it.
 */
static inline bool record__on_tracefs(const struct record *rec)
{
	return rec->tprobes.ids != NULL;
}

/* Pick the attach mode (rec->attach may already be forced by --attach). */
int record__choose_attach(struct record *rec, char *err, size_t errlen);
/* Open and map every probe's events as the mode says. */
int record__open_events(struct record *rec, char *err, size_t errlen);
/* record-mmap.c: -m parsed and within the limits; the maps as big as asked. */
int record__check_mmap_pages(struct record *rec, char *err, size_t errlen);
int record__check_maps(struct record *rec, char *err, size_t errlen);
/* Enable, when the mode does not enable on exec. */
void record__enable(struct record *rec);
/*
 * Close the events and remove what was defined for them: the uprobes are
 * gone.  What the file needs of them (attrs, ids) stays until close_events.
 */
void record__detach(struct record *rec);
void record__close_events(struct record *rec);
/*
 * The stop has begun: this thread goes before the target until the probes
 * are out (record__detach() ends it with record__unhurry()).
 */
void record__hurry(struct record *rec);
void record__unhurry(struct record *rec);
/* Close every event fd, many at once: each close waits for the kernel. */
void record__close_fds(struct record *rec);
/* The same for evsels [FROM, TO): the probes, say, before the kernel events. */
void record__close_fds_of(struct record *rec, int from, int to);

/*
 * What every recorded event samples and how (recorder-events.c): each hit,
 * with IDENTIFIER, IP and TID first, disabled until started, inherited by
 * the target's new tasks when per task, on CLOCK_MONOTONIC.
 */
void record__sample_attr(const struct record *rec, struct perf_event_attr *attr);

/* Add the kernel signals this kernel has to rec->evsels (record-kevents.c). */
int record__add_kevents(struct record *rec, char *err, size_t errlen);
/* Will record__add_kevents() record any kernel event?  (It looks at the kernel.) */
bool record__kevents_planned(struct record *rec);
/* A signal's tracepoint failed to open or filter: drop it, say why. */
void record__drop_kevent(struct record *rec, int idx, const char *why);
/* The tracing data feature for the signals recorded; 0 bytes if none. */
struct ustat_tdata;
int record__tracing_data(struct record *rec, struct ustat_tdata *td);

/*
 * Addresses the kernel signals name (a lookup's bp_vaddr, the user address
 * of a fallback), resolved to file + offset + symbol while the target
 * still runs, for the file's metadata (record-addrs.c).
 */
struct record_addrs;
int record__addrs_init(struct record *rec, const struct ustat_tdata *td);
void record__addrs_note(struct record *rec, const union perf_event *ev);
/* The "addr" metadata records (caller frees each and the array). */
int record__addrs_meta(struct record *rec, char ***recs, int *nr);
void record__addrs_exit(struct record *rec);

/*
 * ATTACH_FILTER: keep this record?  A sample of a process not (yet) known
 * is DEFERred to the end of the pass over all buffers: the FORK record
 * that makes a new child known sits in its parent's CPU buffer, which the
 * pass may read after the child's first samples (record-filter.c).
 */
enum record_verdict {
	RECORD_KEEP,
	RECORD_DROP,
	RECORD_DEFER,
};

enum record_verdict record__verdict(struct record *rec, const union perf_event *ev);
int record__keep_pid(struct record *rec, pid_t pid);
/* Hold a deferred record; then, once per pass, give back those now known. */
int record__defer(struct record *rec, const union perf_event *ev);
typedef int (*record_emit_fn)(void *ctx, const union perf_event *ev);
int record__flush_deferred(struct record *rec, record_emit_fn emit, void *ctx);

/*
 * record-mapcheck.c: warn when CMD maps a probed path as another inode
 * than the one probed (replaced on disk between attach and exec).
 */
struct record_mapcheck;
int record__mapcheck_init(struct record *rec);
void record__mapcheck_note(struct record *rec, const union perf_event *ev);
void record__mapcheck_exit(struct record *rec);

/*
 * record-lost.c: whether this kernel counts each event's dropped records
 * (PERF_FORMAT_LOST, Linux 6.0).
 */
bool record__kernel_counts_lost(void);

/*
 * record-count.c: which probes are counted rather than sampled (after the
 * attach mode is chosen, before the events are made), and the name of
 * the consumer that ran: "samples", "counting", "counting+samples", "bpf".
 */
int record__count_plan(struct record *rec);
const char *record__consumer(const struct record *rec);

/* -t TID[,TID]: the threads, and their processes as -p's (record-tids.c). */
int record__parse_tids(struct record *rec, char *err, size_t errlen);

#endif /* __USTAT_RECORD_H */
