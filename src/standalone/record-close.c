// SPDX-License-Identifier: GPL-2.0
/*
 * Closing a uprobe event waits for the kernel to be done with the uprobe
 * (an RCU grace period in uprobe_unregister_sync()): ~150 ms a close on
 * this VM, 20 s for 60 probes on 2 CPUs.  Closes made at the same time
 * share their grace periods, so the events are closed from a few threads
 * at once, one (evsel, CPU) at a time: perf_evsel__close_cpu() closes the
 * fds of that CPU's slots and marks them closed (-1), each thread touching
 * slots of its own; libperf then frees the rest.  (libperf has no public
 * call for one fd: a CPU's threads close one after the other.)
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <perf/cpumap.h>
#include <perf/evsel.h>

#include "util/uprobe-stat/util/debug.h"
#include "record.h"

#define CLOSE_THREADS	16

/*
 * A stop is served before the target: a target whose threads outnumber
 * the CPUs (64 calling a probed function on 2, say) leaves a tracer at
 * its fair share 1/33 of a CPU, and the ~40 ms of CPU the stop takes
 * (the disables and reads, each a cross-CPU call to a running task, and
 * the closes) then takes seconds, with the probes armed and the target
 * paying for every hit until they are out.  So from the stop until the
 * probes are out this thread (and the close threads, which inherit it)
 * runs at nice -10; then it is back where it was, for whatever the
 * recording still has to write.  Where it is not allowed, the stop goes
 * at the usual pace.
 */
#define STOP_NICE	-10

void record__hurry(struct record *rec)
{
	int nice;

	if (rec->hurried)
		return;
	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	if (errno || nice <= STOP_NICE || setpriority(PRIO_PROCESS, 0, STOP_NICE))
		return;
	rec->hurried = true;
	rec->nice_before = nice;
	ustat_debug("stop: at nice %d until the probes are out", STOP_NICE);
}

void record__unhurry(struct record *rec)
{
	if (!rec->hurried)
		return;
	if (setpriority(PRIO_PROCESS, 0, rec->nice_before))
		ustat_warn("cannot give back nice %d: %s", rec->nice_before, strerror(errno));
	else
		ustat_debug("stop: back at nice %d", rec->nice_before);
	rec->hurried = false;
}

struct close_slot {
	struct perf_evsel	*evsel;
	int			 idx;
};

struct close_job {
	struct close_slot	*slots;
	int			 nr;
	int			 step;
	int			 first;
};

static void *close_some(void *arg)
{
	struct close_job *j = arg;
	int i;

	for (i = j->first; i < j->nr; i += j->step)
		perf_evsel__close_cpu(j->slots[i].evsel, j->slots[i].idx);
	return NULL;
}

void record__close_fds_of(struct record *rec, int from, int to)
{
	int i, idx, t, nr = 0, started = 0, nr_cpus = perf_cpu_map__nr(rec->cpus);
	struct close_job jobs[CLOSE_THREADS];
	pthread_t tids[CLOSE_THREADS];
	struct close_slot *slots;

	if (to <= from || nr_cpus <= 0)
		return;
	slots = calloc((size_t)(to - from) * nr_cpus, sizeof(*slots));
	if (!slots)
		return;		/* libperf closes them all, one by one */
	for (i = from; i < to; i++)
		for (idx = 0; rec->evsels[i] && idx < nr_cpus; idx++)
			slots[nr++] = (struct close_slot){ .evsel = rec->evsels[i], .idx = idx };
	if (nr < 2)
		goto out;
	for (t = 0; t < CLOSE_THREADS && t < nr; t++) {
		jobs[t] = (struct close_job){ .slots = slots, .nr = nr, .step = CLOSE_THREADS,
					      .first = t };
		if (pthread_create(&tids[t], NULL, close_some, &jobs[t]))
			break;
		started++;
	}
	/* Slices whose thread did not start are closed here. */
	for (; t < CLOSE_THREADS && t < nr; t++) {
		jobs[t] = (struct close_job){ .slots = slots, .nr = nr, .step = CLOSE_THREADS,
					      .first = t };
		close_some(&jobs[t]);
	}
	for (t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
out:
	free(slots);
}

void record__close_fds(struct record *rec)
{
	record__close_fds_of(rec, 0, rec->nr_evsels);
}
