/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_UPROBE_TRACEFS_H
#define __USTAT_UPROBE_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct perf_event_attr;
struct ustat_probe;

/*
 * Uprobes made through tracefs's uprobe_events, as 'perf probe' makes
 * them, for kernels whose uprobe PMU events cannot be inherited (see
 * uprobe-inherit.h).  Per-task perf events on these tracepoints are
 * inherited by the target's new threads and children like any tracepoint,
 * and the uprobe's filter installs the breakpoint only in the mms of the
 * tasks that have such an event: only the target pays.
 *
 * Unlike a uprobe PMU event, a definition outlives the file descriptors:
 * every exit path removes it, and what a killed run left (the group of a
 * pid that no longer runs) is swept at the next start.  The group is
 * GROUP_PREFIX followed by the recorder's pid.
 */
#define USTAT_TRACEFS_GROUP_PREFIX	"uprobe_stat_"

/*
 * Many sites share events.  Closing a trace event's last perf event waits
 * for the kernel's grace periods under its event_mutex: ~90 ms an event
 * here, one event after another, 90 s for 1,000 probes.  From
 * USTAT_TRACEFS_SHARE_FROM probes on, the sites are appended to events of
 * up to USTAT_TRACEFS_SHARE_SITES uprobes each (the kernel's multi-probe
 * events), each uprobe with a constant argument "site=\IDX" in its
 * records; every probe still has its own perf event, on the shared trace
 * event, with the filter "site == IDX".  An event's uprobes are then
 * unregistered with one wait.  A hit tests the filters of its event's
 * perf events (up to USTAT_TRACEFS_SHARE_SITES of them): few probes keep
 * an event each, and a filter per hit is spared.
 */
#define USTAT_TRACEFS_SHARE_FROM	64
#define USTAT_TRACEFS_SHARE_SITES	64
#define USTAT_TRACEFS_SITE_ARG		"site"

struct ustat_tracefs_probes {
	char	 group[64];
	int	 nr;		/* definitions made, in probe order */
	char	(*names)[64];
	int	*ids;		/* the tracepoint id: perf_event_attr.config */
	bool	*shared;	/* in an event of several: filter on "site == idx" */
	int	 nr_events;	/* trace events made */
};

/* Can this process define uprobes there?  If not, WHY says why. */
bool ustat_tracefs_probes__usable(char *why, size_t len);

/*
 * Define one uprobe per probe site in a group of our own and read their
 * ids.  On failure nothing of the group is left.
 */
int ustat_tracefs_probes__create(struct ustat_tracefs_probes *tp,
				 const struct ustat_probe *probes, int nr,
				 char *err, size_t errlen);
/*
 * The same, where uprobe_events is writable and takes the definitions:
 * true if it did.  Otherwise TP is left empty, WHY says why, and the
 * caller keeps its uprobe PMU events (a kernel consumer for each).
 */
bool ustat_tracefs_probes__try_create(struct ustat_tracefs_probes *tp,
				      const struct ustat_probe *probes, int nr,
				      char *why, size_t len);
/* ATTR counts on definition IDX's tracepoint instead of a uprobe PMU event. */
void ustat_tracefs_probes__attr(const struct ustat_tracefs_probes *tp, int idx,
				struct perf_event_attr *attr);
/* Remove the definitions; the perf events on them must be closed first. */
void ustat_tracefs_probes__destroy(struct ustat_tracefs_probes *tp);

/*
 * Remove the groups of recorders that no longer run (killed with SIGKILL,
 * say).  Returns how many definitions were removed.
 */
int ustat_tracefs_probes__sweep(void);

/* The pid a group name belongs to, or 0 when it is not one of ours. */
pid_t ustat_tracefs_group__owner(const char *group);

#endif /* __USTAT_UPROBE_TRACEFS_H */
