// SPDX-License-Identifier: GPL-2.0
/*
 * record --dry-run -p PID: how often each site is hit, from one second of
 * counting.  Per-task counting events on the process's threads as they
 * are now, not inherited (kernels that cannot inherit uprobe PMU events
 * break the target's fork() with inherit=1, record-attach.c): only the
 * target traps, nothing is sampled, and the events close after the second.
 *
 * A uprobe PMU event per thread would be a kernel consumer per thread,
 * every hit running all their handlers (record-attach.c, "Consumers"):
 * pricing a process of 100 threads would cost it 100 handlers a hit.  So
 * where uprobe_events is writable the events go on a definition of each
 * site, one consumer whatever the threads.  Ctrl-C, SIGTERM and SIGHUP in
 * the second (record's handlers) end it early, remove the definition, and
 * fail the dry run: a shortened second would give a wrong rate.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <perf/cpumap.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "dry-rate.h"
#include "util/uprobe-stat/standalone/record.h"
#include "util/uprobe-stat/standalone/recorder.h"
#include "util/uprobe-stat/standalone/uprobe-tracefs.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/standalone/workload.h"

static int target_threads(const struct record *rec, struct perf_thread_map **map)
{
	pid_t *all = NULL;
	int nr = 0;

	*map = NULL;
	if (!ustat_pids__threads(rec->target_pids, rec->nr_target_pids, true, &all, &nr, NULL) &&
	    nr)
		*map = perf_thread_map__new_array(nr, all);
	free(all);
	return *map ? 0 : -ESRCH;
}

/* One definition a site where uprobe_events is writable; TP stays empty otherwise. */
static void define_sites(struct record *rec, struct ustat_tracefs_probes *tp)
{
	char why[PATH_MAX + 64];

	memset(tp, 0, sizeof(*tp));
	/* Sites that would share an event need filters: not for one second. */
	if (rec->nr_probes >= USTAT_TRACEFS_SHARE_FROM)
		return;
	ustat_tracefs_probes__sweep();
	if (!ustat_tracefs_probes__try_create(tp, rec->probes, rec->nr_probes, why, sizeof(why)))
		ustat_debug("dry run: %s: a uprobe PMU event per thread", why);
}

int ustat_dry_rate__count(struct record *rec, double seconds, double *rates,
			  char *err, size_t errlen)
{
	struct ustat_tracefs_probes tp;
	struct perf_thread_map *threads;
	struct perf_evsel **evsels;
	struct timespec ts;
	int i, t, ret = 0;

	if (target_threads(rec, &threads)) {
		snprintf(err, errlen, "no process with pid %s", rec->pids);
		return -ESRCH;
	}
	evsels = calloc(rec->nr_probes, sizeof(*evsels));
	if (!evsels) {
		perf_thread_map__put(threads);
		return -ENOMEM;
	}
	define_sites(rec, &tp);
	for (i = 0; i < rec->nr_probes && !ret; i++) {
		const struct ustat_probe *p = &rec->probes[i];
		struct perf_event_attr attr;

		ustat_uprobe_pmu__init_attr(&rec->pmu, &attr, p->path, p->offset,
					    p->spec.is_return, p->ref_ctr_offset);
		attr.disabled = 1;
		attr.inherit = 0;
		if (tp.ids)
			ustat_tracefs_probes__attr(&tp, i, &attr);
		evsels[i] = perf_evsel__new(&attr);
		if (!evsels[i] || perf_evsel__open(evsels[i], NULL, threads)) {
			snprintf(err, errlen, "cannot count probe '%s' for the rate: %s",
				 p->display, strerror(errno));
			ret = -errno ? -errno : -EINVAL;
		}
	}
	for (i = 0; i < rec->nr_probes && !ret; i++)
		perf_evsel__enable(evsels[i]);
	if (!ret) {
		ts.tv_sec = (time_t)seconds;
		ts.tv_nsec = (long)((seconds - ts.tv_sec) * 1e9);
		/* record's handlers are in place (recorder__catch_stop()): a stop ends it. */
		while (nanosleep(&ts, &ts) && errno == EINTR && !recorder__stopped())
			;
	}
	for (i = 0; i < rec->nr_probes; i++) {
		u64 sum = 0;

		if (!evsels[i])
			continue;
		if (!ret) {
			perf_evsel__disable(evsels[i]);
			for (t = 0; t < perf_thread_map__nr(threads); t++) {
				struct perf_counts_values v = { .val = 0 };

				if (!perf_evsel__read(evsels[i], 0, t, &v))
					sum += v.val;
			}
			rates[i] = sum / seconds;
		}
		perf_evsel__close(evsels[i]);
		perf_evsel__delete(evsels[i]);
	}
	free(evsels);
	perf_thread_map__put(threads);
	/* Only once the events are closed: the kernel says EBUSY before. */
	ustat_tracefs_probes__destroy(&tp);
	if (!ret && recorder__stopped()) {
		snprintf(err, errlen, "stopped while counting the rate: nothing measured");
		ret = -EINTR;
	}
	return ret;
}
