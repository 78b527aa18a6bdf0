// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-workers.h"

static int phase_load(struct bench_workers *w)
{
	return __atomic_load_n(&w->phase, __ATOMIC_ACQUIRE);
}

/* This thread's CPU time: what the calls cost it, whoever else ran meanwhile. */
static u64 thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *worker_main(void *arg)
{
	struct bench_worker *wk = arg;
	struct bench_workers *w = wk->w;
	unsigned int seen = 0;

	for (;;) {
		u64 calls = 0, warm, cpu0;
		bench_fn_t fn = w->fn;

		pthread_mutex_lock(&w->lock);
		while (w->round == seen)
			pthread_cond_wait(&w->cond, &w->lock);
		seen = w->round;
		pthread_mutex_unlock(&w->lock);
		if (phase_load(w) == BENCH_PHASE_EXIT)
			break;

		/* The hot loop: one load of a line nobody writes, one call. */
		while (phase_load(w) == BENCH_PHASE_WARMUP)
			fn(&calls);
		warm = calls;
		cpu0 = thread_cpu_ns();
		while (phase_load(w) == BENCH_PHASE_TIMED)
			fn(&calls);
		wk->timed_cpu_ns = thread_cpu_ns() - cpu0;
		wk->loops = calls;
		wk->timed = calls - warm;

		pthread_mutex_lock(&w->lock);
		if (++w->nr_done == w->nr)
			pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

int bench_workers__start(struct bench_workers *w, int nr, const int *cpus, bench_fn_t fn,
			 char *err, size_t errlen)
{
	pthread_attr_t attr;
	int i, ret = 0;

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->fn = fn;
	w->phase = BENCH_PHASE_PARKED;
	if (posix_memalign((void **)&w->wk, 64, nr * sizeof(*w->wk))) {
		snprintf(err, errlen, "out of memory for %d threads", nr);
		return -ENOMEM;
	}
	memset(w->wk, 0, nr * sizeof(*w->wk));
	w->nr = nr;
	for (i = 0; i < nr; i++) {
		struct bench_worker *wk = &w->wk[i];
		cpu_set_t set;

		wk->w = w;
		wk->cpu = cpus ? cpus[i] : -1;
		pthread_attr_init(&attr);
		if (cpus) {
			/* Pinned from its first instruction: no migration to undo. */
			CPU_ZERO(&set);
			CPU_SET(wk->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		ret = pthread_create(&wk->thread, &attr, worker_main, wk);
		pthread_attr_destroy(&attr);
		if (ret) {
			snprintf(err, errlen, "cannot create thread %d of %d%s: %s", i + 1, nr,
				 cpus ? " (pinned)" : "", strerror(ret));
			bench_workers__stop(w);
			return -ret;
		}
		w->nr_started++;
	}
	return 0;
}

void bench_workers__release(struct bench_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->nr_done = 0;
	__atomic_store_n(&w->phase, BENCH_PHASE_WARMUP, __ATOMIC_RELEASE);
	w->round++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void bench_workers__set_phase(struct bench_workers *w, enum bench_phase phase)
{
	__atomic_store_n(&w->phase, phase, __ATOMIC_RELEASE);
}

void bench_workers__wait(struct bench_workers *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->nr_done < w->nr)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* Also after a partial start: only the threads that exist are joined. */
void bench_workers__stop(struct bench_workers *w)
{
	int i;

	if (!w->wk)
		return;
	pthread_mutex_lock(&w->lock);
	__atomic_store_n(&w->phase, BENCH_PHASE_EXIT, __ATOMIC_RELEASE);
	w->round++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nr_started; i++)
		pthread_join(w->wk[i].thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->wk);
	w->wk = NULL;
}
