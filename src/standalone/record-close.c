// SPDX-License-Identifier: GPL-2.0
/*
 * Closing a uprobe event waits for the kernel to be done with the uprobe
 * (an RCU grace period in uprobe_unregister_sync()): ~150 ms a close on
 * this VM, 20 s for 60 probes on 2 CPUs.  Closes made at the same time
 * share their grace periods, so the fds are closed from a few threads at
 * once; libperf then finds them closed (-1) and frees the rest.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <perf/evsel.h>
#include <internal/evsel.h>
#include <internal/xyarray.h>

#include "record.h"

#define CLOSE_THREADS	16

struct close_job {
	int	**fds;
	int	  nr;
	int	  step;
	int	  first;
};

static void *close_some(void *arg)
{
	struct close_job *j = arg;
	int i;

	for (i = j->first; i < j->nr; i += j->step) {
		close(*j->fds[i]);
		*j->fds[i] = -1;
	}
	return NULL;
}

void record__close_fds_of(struct record *rec, int from, int to)
{
	struct close_job jobs[CLOSE_THREADS];
	pthread_t tids[CLOSE_THREADS];
	int i, nr = 0, cap = 0, t, started = 0;
	int **fds = NULL;

	for (i = from; i < to; i++) {
		struct xyarray *xy = rec->evsels[i] ? rec->evsels[i]->fd : NULL;
		int x, y;

		for (x = 0; xy && x < xyarray__max_x(xy); x++) {
			for (y = 0; y < xyarray__max_y(xy); y++) {
				int *fd = xyarray__entry(xy, x, y);

				if (!fd || *fd < 0)
					continue;
				if (nr == cap) {
					int **n = realloc(fds, (cap ? cap * 2 : 64) * sizeof(*n));

					if (!n)
						goto out;	/* libperf closes the rest */
					fds = n;
					cap = cap ? cap * 2 : 64;
				}
				fds[nr++] = fd;
			}
		}
	}
	if (nr < 4)
		goto out;
	for (t = 0; t < CLOSE_THREADS && t < nr; t++) {
		jobs[t] = (struct close_job){ .fds = fds, .nr = nr, .step = CLOSE_THREADS,
					      .first = t };
		if (pthread_create(&tids[t], NULL, close_some, &jobs[t]))
			break;
		started++;
	}
	/* Slices whose thread did not start are closed here. */
	for (; t < CLOSE_THREADS && t < nr; t++) {
		jobs[t] = (struct close_job){ .fds = fds, .nr = nr, .step = CLOSE_THREADS,
					      .first = t };
		close_some(&jobs[t]);
	}
	for (t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
out:
	free(fds);
}

void record__close_fds(struct record *rec)
{
	record__close_fds_of(rec, 0, rec->nr_evsels);
}
