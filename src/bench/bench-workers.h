/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_WORKERS_H
#define __USTAT_BENCH_WORKERS_H

#include <pthread.h>
#include <stddef.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include "bench-workload.h"

/*
 * The threads that hit the probe.  They are made before any uprobe event
 * is opened and wait, parked, to be released: a thread created while a
 * uprobe PMU event could be inherited would fail with EFAULT (see
 * uprobe-inherit.h), and thread creation has no business in the timed
 * window anyway.  Once released, each calls the function in a tight loop
 * through the warm-up and the timed window, and counts its calls by
 * phase.
 */
enum bench_phase {
	BENCH_PHASE_PARKED,
	BENCH_PHASE_WARMUP,
	BENCH_PHASE_TIMED,
	BENCH_PHASE_STOP,
	BENCH_PHASE_EXIT,
};

struct bench_workers;

/* One cache line each: the threads never write to a shared line. */
struct bench_worker {
	struct bench_workers	*w;
	pthread_t		 thread;
	int			 cpu;		/* pinned to, or -1 */
	u64			 loops;		/* of the last round */
	u64			 timed;
	u64			 timed_cpu_ns;	/* its own CPU time over the timed calls */
} __aligned(64);

struct bench_workers {
	int			 nr;
	int			 nr_started;
	struct bench_worker	*wk;
	bench_fn_t		 fn;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	unsigned int		 round;		/* bumped to release the threads */
	int			 nr_done;	/* threads done with this round */
	/* Read by every thread on every call: a line of its own. */
	int			 phase __aligned(64);
};

/*
 * Start NR threads calling FN, thread i pinned to CPUS[i] (CPUS NULL: not
 * pinned), all parked.
 */
int bench_workers__start(struct bench_workers *w, int nr, const int *cpus, bench_fn_t fn,
			 char *err, size_t errlen);
/* Release them into the warm-up. */
void bench_workers__release(struct bench_workers *w);
/* Warm-up over, or timed window over. */
void bench_workers__set_phase(struct bench_workers *w, enum bench_phase phase);
/* After BENCH_PHASE_STOP: wait until every thread parked with its counts. */
void bench_workers__wait(struct bench_workers *w);
void bench_workers__stop(struct bench_workers *w);

#endif /* __USTAT_BENCH_WORKERS_H */
