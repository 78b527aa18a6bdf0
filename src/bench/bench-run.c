// SPDX-License-Identifier: GPL-2.0
/*
 * One bench run: one kind of probe, one number of threads, every repeat.
 *
 * The order matters.  The threads are made first and park; then the
 * probe is attached (per-CPU events, never inherited); then each repeat
 * releases the threads into the warm-up, opens the timed window, closes
 * it, and waits for every thread to park with its counts before the
 * events are read.  So the calls a thread counts and the hits the events
 * count cover exactly the same stretch, and must be equal.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/compiler.h>

#include "bench.h"
#include "bench-probe.h"
#include "bench-workers.h"
#include "bench-workload.h"
#include "util/uprobe-stat/util/debug.h"

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

atomic_int bench_stop;

/*
 * Sleep until DEADLINE, or a stop signal; with --record, drain the ring
 * buffers meanwhile.
 */
static void wait_until(struct bench_probe *p, u64 deadline)
{
	for (;;) {
		u64 now = now_ns();
		struct timespec ts;

		if (now >= deadline || atomic_load(&bench_stop))
			return;
		if (p->mapped) {
			u64 ms = (deadline - now + 999999) / 1000000;

			bench_probe__poll(p, ms > 100 ? 100 : (int)ms);
			bench_probe__drain(p);
			continue;
		}
		ts.tv_sec = deadline / 1000000000ULL;
		ts.tv_nsec = deadline % 1000000000ULL;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

static __printf(2, 3) void mismatch(struct bench_result *r, const char *fmt, ...)
{
	va_list ap;

	/* The first disagreement is the one to show. */
	if (!r->counts_ok)
		return;
	r->counts_ok = false;
	va_start(ap, fmt);
	vsnprintf(r->mismatch, sizeof(r->mismatch), fmt, ap);
	va_end(ap);
}

/*
 * Hits against calls: in total; per CPU when every thread has a CPU of
 * its own; and with --record, samples read plus samples lost against hits.
 */
static void check_counts(const struct bench *b, struct bench_result *r, unsigned int i)
{
	const struct bench_env *env = &b->env;
	const struct bench_repeat *rep = &r->repeats[i];
	int t, c;

	if (rep->hits != rep->loops)
		mismatch(r,
			 "repeat %u: the uprobe events counted %llu hits for %llu calls (is another bench running this binary?)",
			 i + 1, (unsigned long long)rep->hits, (unsigned long long)rep->loops);
	if (r->pinned) {
		for (c = 0; c < env->nr_cpus; c++) {
			u64 calls = 0;

			for (t = 0; t < r->nr_threads; t++)
				if (rep->threads[t].cpu == env->cpus[c])
					calls += rep->threads[t].loops;
			if (rep->cpu_hits[c] != calls)
				mismatch(r,
					 "repeat %u: CPU %d counted %llu hits, its threads made %llu calls",
					 i + 1, env->cpus[c], (unsigned long long)rep->cpu_hits[c],
					 (unsigned long long)calls);
		}
	}
	if (b->opts.record && rep->samples + rep->lost != rep->hits)
		mismatch(r, "repeat %u: %llu samples read and %llu lost for %llu hits",
			 i + 1, (unsigned long long)rep->samples, (unsigned long long)rep->lost,
			 (unsigned long long)rep->hits);
}

static int run_repeat(const struct bench *b, struct bench_result *r, struct bench_workers *w,
		      struct bench_probe *p, struct bench_repeat *rep, u64 *before,
		      char *err, size_t errlen)
{
	const struct bench_env *env = &b->env;
	bool probed = bench__attaches(b, r->kind);
	u64 t0, t1, samples = p->samples, lost = p->lost;
	int t, c;

	if (probed && bench_probe__read(p, before, env->nr_cpus))
		goto read_error;
	bench_workers__release(w);
	wait_until(p, now_ns() + (u64)(b->opts.warmup * 1e9));
	bench_workers__set_phase(w, BENCH_PHASE_TIMED);
	t0 = now_ns();
	wait_until(p, t0 + (u64)(b->opts.duration * 1e9));
	bench_workers__set_phase(w, BENCH_PHASE_STOP);
	t1 = now_ns();
	bench_workers__wait(w);

	rep->window_ns = t1 - t0;
	for (t = 0; t < r->nr_threads; t++) {
		rep->threads[t].cpu = w->wk[t].cpu;
		rep->threads[t].loops = w->wk[t].loops;
		rep->threads[t].timed = w->wk[t].timed;
		rep->threads[t].timed_cpu_ns = w->wk[t].timed_cpu_ns;
		rep->loops += w->wk[t].loops;
		rep->timed += w->wk[t].timed;
		rep->timed_cpu_ns += w->wk[t].timed_cpu_ns;
	}
	if (!probed)
		return 0;
	if (bench_probe__read(p, rep->cpu_hits, env->nr_cpus))
		goto read_error;
	for (c = 0; c < env->nr_cpus; c++) {
		rep->cpu_hits[c] -= before[c];
		rep->hits += rep->cpu_hits[c];
	}
	bench_probe__drain(p);
	rep->samples = p->samples - samples;
	rep->lost = p->lost - lost;
	return 0;

read_error:
	snprintf(err, errlen, "cannot read the %s counters: %s", bench_kinds[r->kind].label,
		 strerror(errno));
	return -EIO;
}

static int alloc_repeats(const struct bench *b, struct bench_result *r)
{
	unsigned int i;

	r->repeats = calloc(b->opts.repeat, sizeof(*r->repeats));
	if (!r->repeats)
		return -ENOMEM;
	r->nr_alloc = b->opts.repeat;
	for (i = 0; i < b->opts.repeat; i++) {
		r->repeats[i].threads = calloc(r->nr_threads, sizeof(*r->repeats[i].threads));
		r->repeats[i].cpu_hits = calloc(b->env.nr_cpus, sizeof(u64));
		if (!r->repeats[i].threads || !r->repeats[i].cpu_hits)
			return -ENOMEM;
	}
	return 0;
}

int bench_run(struct bench *b, struct bench_result *r, char *err, size_t errlen)
{
	const struct bench_kind_desc *kd = &bench_kinds[r->kind];
	struct bench_env *env = &b->env;
	char kpath[PATH_MAX], path[PATH_MAX];
	struct bench_probe probe;
	struct bench_workers w;
	u64 offset = 0, *before;
	unsigned int i;
	int ret;

	memset(&probe, 0, sizeof(probe));
	/* A CPU of its own for each thread, when there are enough. */
	r->pinned = r->nr_threads <= env->nr_allowed;
	if (!bench_workload__supported()) {
		snprintf(r->skipped, sizeof(r->skipped),
			 "the probed functions are x86-64 code; this machine is %s", env->machine);
		return 0;
	}
	if (bench__attaches(b, r->kind) && !env->have_pmu) {
		snprintf(r->skipped, sizeof(r->skipped), "%s", env->pmu_err);
		return 0;
	}
	if (bench__attaches(b, r->kind) &&
	    bench_workload__locate(r->kind, kpath, sizeof(kpath), path, sizeof(path), &offset,
				   err, errlen))
		return -ENOENT;
	before = calloc(env->nr_cpus, sizeof(*before));
	if (!before || alloc_repeats(b, r)) {
		free(before);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}

	ret = bench_workers__start(&w, r->nr_threads, r->pinned ? env->allowed : NULL,
				   bench_workload__fn(r->kind), err, errlen);
	if (ret)
		goto out;
	if (bench__attaches(b, r->kind)) {
		ustat_debug("bench: %s at %s+%#llx (%s)", kd->label, path,
			    (unsigned long long)offset, kpath);
		if (bench_probe__open(&probe, &env->pmu, env->cpu_map, kpath, offset, kd->retprobe,
				      b->opts.record ? b->opts.mmap_pages : 0,
				      r->skipped, sizeof(r->skipped)))
			goto out_workers;	/* skipped, and why is in r->skipped */
		b->env.consumers = probe.consumers;
		b->env.on_tracefs = probe.tp.nr > 0;
	}
	r->ran = true;
	r->counts_ok = true;
	for (i = 0; i < b->opts.repeat; i++) {
		ret = run_repeat(b, r, &w, &probe, &r->repeats[i], before, err, errlen);
		if (!ret && atomic_load(&bench_stop))
			ret = -EINTR;	/* run_all() says so */
		if (ret)
			break;
		r->nr_repeats++;
		if (bench__attaches(b, r->kind))
			check_counts(b, r, i);
	}
	if (kd->probed) {
		/*
		 * While still attached: an optimised nop5 reads as a call.
		 * With --no-attach the bytes tell what an outside consumer did.
		 */
		bench_workload__read(r->kind, r->seen, sizeof(r->seen));
		r->have_seen = true;
		bench_env__scan_maps(env);
		r->xol_area = env->xol_area;
	}
	bench_probe__close(&probe);
out_workers:
	bench_workers__stop(&w);
out:
	free(before);
	return ret;
}

void bench_result__exit(struct bench_result *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_alloc; i++) {
		free(r->repeats[i].threads);
		free(r->repeats[i].cpu_hits);
	}
	free(r->repeats);
	free(r->thread_rate);
	r->repeats = NULL;
	r->thread_rate = NULL;
}
