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
#include <pthread.h>
#include <stdlib.h>
#include <perf/cpumap.h>
#include <perf/evsel.h>

#include "record.h"

#define CLOSE_THREADS	16

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
