// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <perf/evsel.h>
#include <internal/evsel.h>
#include <internal/xyarray.h>

#include "event-close.h"

/* Enough to overlap the grace periods; more would only cost stacks. */
#define CLOSE_THREADS	16

struct closer {
	pthread_t	 thread;
	int		**fds;
	int		 nr;
	int		 first;
	int		 step;
};

static void *close_some(void *arg)
{
	struct closer *c = arg;
	int i;

	for (i = c->first; i < c->nr; i += c->step) {
		close(*c->fds[i]);
		*c->fds[i] = -1;	/* libperf closes only fds >= 0 */
	}
	return NULL;
}

void ustat_evsels__close_parallel(struct perf_evsel **evsels, int nr)
{
	struct closer c[CLOSE_THREADS];
	int **fds = NULL, n = 0, cap = 0, i, x, y, t, started = 0;

	for (i = 0; i < nr; i++) {
		struct xyarray *xy = evsels[i]->fd;

		for (x = 0; xy && x < xyarray__max_x(xy); x++) {
			for (y = 0; y < xyarray__max_y(xy); y++) {
				int *fd = xyarray__entry(xy, x, y);

				if (*fd < 0)
					continue;
				if (n == cap) {
					int **p = realloc(fds, (cap ? cap * 2 : 64) * sizeof(*fds));

					if (!p)
						goto serial;
					fds = p;
					cap = cap ? cap * 2 : 64;
				}
				fds[n++] = fd;
			}
		}
	}
	t = n < CLOSE_THREADS ? n : CLOSE_THREADS;
	for (i = 0; i < t; i++) {
		c[i] = (struct closer){ .fds = fds, .nr = n, .first = i, .step = t };
		if (pthread_create(&c[i].thread, NULL, close_some, &c[i]))
			break;
		started++;
	}
	/* What no thread took is closed here. */
	for (i = started; i < t; i++) {
		c[i] = (struct closer){ .fds = fds, .nr = n, .first = i, .step = t };
		close_some(&c[i]);
	}
	for (i = 0; i < started; i++)
		pthread_join(c[i].thread, NULL);
serial:
	free(fds);
	/* Whatever is left (out of memory above) goes the usual way. */
	for (i = 0; i < nr; i++)
		perf_evsel__close(evsels[i]);
}
