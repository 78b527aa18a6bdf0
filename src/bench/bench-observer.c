// SPDX-License-Identifier: GPL-2.0
/*
 * bench --observer: how much recording shifts the kernel signals it
 * records (explain/observer.h says what is kept of it and where).
 *
 * The workload is the churn of tests/kernel/observer.sh inside bench: one
 * thread calls bench's int3 function (its probe emulates a nop: no xol
 * slot), another maps, touches and unmaps a page, each munmap a write of
 * mmap_lock that the next speculative lookup may find.  Each repeat runs
 * it twice, in alternation so that a drift of the machine falls on both:
 *
 *   counted   the probe and the events are counters (no sample, nothing
 *             written, nothing read meanwhile): the cheapest perf observer;
 *   recorded  the probe, uprobe_lookup and uprobe_spec_fail are sampled
 *             into ring buffers as record samples them, drained by this
 *             thread meanwhile as record drains them.
 *
 * The instruments are the same in both: each event's count, and a counter
 * of uprobe_lookup filtered on "speculative == 0" for the fallbacks; all
 * filtered on our probe's address, so that other processes' uprobes are
 * not counted.  Events are opened before the threads start and read after
 * they end, so the hits counted must be the calls made; a repeat where
 * they differ is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <perf/cpumap.h>
#include <perf/event.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/mmap.h>
#include <perf/threadmap.h>

#include "bench.h"
#include "bench-probe.h"
#include "bench-workload.h"
#include "util/uprobe-stat/explain/calibration.h"
#include "util/uprobe-stat/explain/observer.h"
#include "util/uprobe-stat/standalone/libperf-gaps.h"

enum { EV_PROBE, EV_LOOKUP, EV_FALLBACK, EV_SPEC_FAIL, EV_NR };

#define OBS_MAX_REPEAT	64
#define OBS_PAGES	256

struct obs_run {
	atomic_int	stop;
	u64		calls;
	u64		churn;
	bench_fn_t	fn;
};

struct obs_counts {
	u64	ev[EV_NR];
	u64	calls, churn, samples, lost;
};

static void *hitter(void *arg)
{
	struct obs_run *r = arg;
	u64 calls = 0;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed))
		r->fn(&calls);
	r->calls = calls;
	return NULL;
}

static void *churner(void *arg)
{
	struct obs_run *r = arg;
	long page = sysconf(_SC_PAGESIZE);
	u64 n = 0;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			break;
		p[0] = 1;
		munmap(p, page);
		n++;
	}
	r->churn = n;
	return NULL;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void drain(struct perf_evlist *evlist, struct obs_counts *c)
{
	struct perf_mmap *map;

	perf_evlist__for_each_mmap(evlist, map, false) {
		union perf_event *ev;

		if (perf_mmap__read_init(map) < 0)
			continue;
		while ((ev = perf_mmap__read_event(map)) != NULL) {
			if (ev->header.type == PERF_RECORD_SAMPLE)
				c->samples++;
			else if (ev->header.type == PERF_RECORD_LOST)
				c->lost += ev->lost.lost;
			else if (ev->header.type == PERF_RECORD_LOST_SAMPLES)
				c->lost += ev->lost_samples.lost;
			perf_mmap__consume(map);
		}
		/* No perf_mmap__read_done(): see bench_probe__drain(). */
	}
}

static void tp_attr(struct perf_event_attr *a, int id, bool sampled)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_TRACEPOINT;
	a->config = id;
	a->disabled = 1;
	/* Filters are set by the events' ids (ustat_evsel__set_filter()). */
	a->read_format = PERF_FORMAT_ID;
	/* The same clock as the sampled ones: one ring buffer takes only one. */
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;
	if (sampled) {
		a->sample_period = 1;
		a->sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				 PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
				 PERF_SAMPLE_RAW;
		a->sample_id_all = 1;
		a->watermark = 1;
		a->wakeup_watermark = OBS_PAGES * sysconf(_SC_PAGESIZE) / 4;
	}
}

/* One run of the workload, counted or recorded, for DURATION seconds. */
static int run_once(struct bench *b, const char *kpath, u64 offset, u64 vaddr, bool record,
		    struct obs_counts *c, char *err, size_t errlen)
{
	static const char *const filters[EV_NR] = {
		NULL, "bp_vaddr == 0x%llx", "bp_vaddr == 0x%llx && speculative == 0",
		"bp_vaddr == 0x%llx",
	};
	struct bench_env *env = &b->env;
	struct perf_event_attr attr[EV_NR];
	struct perf_evsel *evsel[EV_NR] = { NULL };
	struct ustat_tracefs_probes tp = { 0 };
	struct perf_thread_map *threads = perf_thread_map__new_dummy();
	struct perf_evlist *evlist = perf_evlist__new();
	struct obs_run run = { .fn = bench_workload__fn(BENCH_INT3) };
	pthread_t th[2];
	bool mapped = false;
	int i, ret = -ENOMEM, started = 0;
	u64 end;

	memset(c, 0, sizeof(*c));
	if (!threads || !evlist)
		goto out;
	ustat_uprobe_pmu__init_attr(&env->pmu, &attr[EV_PROBE], kpath, offset, false, 0);
	/* One consumer for the CPUs' events, not one each: see bench-probe.h. */
	bench_probe__define(&tp, kpath, offset, false, &attr[EV_PROBE]);
	attr[EV_PROBE].disabled = 1;
	if (record) {
		attr[EV_PROBE].sample_period = 1;
		attr[EV_PROBE].sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
					     PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					     PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
		attr[EV_PROBE].sample_id_all = 1;
		attr[EV_PROBE].use_clockid = 1;
		attr[EV_PROBE].clockid = CLOCK_MONOTONIC;
		attr[EV_PROBE].watermark = 1;
		attr[EV_PROBE].wakeup_watermark = OBS_PAGES * sysconf(_SC_PAGESIZE) / 4;
	}
	tp_attr(&attr[EV_LOOKUP], env->signals.id[USTAT_KEV_UPROBE_LOOKUP], record);
	/* The fallbacks' instrument is a counter in both modes. */
	tp_attr(&attr[EV_FALLBACK], env->signals.id[USTAT_KEV_UPROBE_LOOKUP], false);
	tp_attr(&attr[EV_SPEC_FAIL], env->signals.id[USTAT_KEV_SPEC_FAIL], record);
	for (i = 0; i < EV_NR; i++) {
		evsel[i] = perf_evsel__new(&attr[i]);
		if (!evsel[i])
			goto out;
		perf_evlist__add(evlist, evsel[i]);
	}
	perf_evlist__set_maps(evlist, env->cpu_map, threads);
	if (perf_evlist__open(evlist)) {
		snprintf(err, errlen, "cannot open the observer's events: %s", strerror(errno));
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < EV_NR; i++) {
		char f[96];

		if (!filters[i])
			continue;
		snprintf(f, sizeof(f), filters[i], (unsigned long long)vaddr);
		if (ustat_evsel__set_filter(evsel[i], env->cpu_map, threads, f)) {
			snprintf(err, errlen, "the kernel refused the filter '%s'", f);
			ret = -EINVAL;
			goto close;
		}
	}
	if (record) {
		if (ustat_evlist__mmap(evlist, OBS_PAGES)) {
			snprintf(err, errlen, "cannot map %d pages of ring buffer per CPU",
				 OBS_PAGES);
			ret = -EINVAL;
			goto close;
		}
		mapped = true;
	}
	perf_evlist__enable(evlist);
	if (pthread_create(&th[0], NULL, hitter, &run) == 0)
		started++;
	if (started && pthread_create(&th[1], NULL, churner, &run) == 0)
		started++;
	end = now_ns() + (u64)(b->opts.duration * 1e9);
	while (started == 2 && now_ns() < end && !atomic_load(&bench_stop)) {
		if (mapped) {
			perf_evlist__poll(evlist, 50);
			drain(evlist, c);
		} else {
			usleep(10000);
		}
	}
	atomic_store(&run.stop, 1);
	while (started)
		pthread_join(th[--started], NULL);
	perf_evlist__disable(evlist);
	if (mapped)
		drain(evlist, c);
	c->calls = run.calls;
	c->churn = run.churn;
	ret = 0;
	for (i = 0; i < EV_NR; i++) {
		int idx;

		for (idx = 0; idx < env->nr_cpus; idx++) {
			struct perf_counts_values v = { 0 };

			if (perf_evsel__read(evsel[i], idx, 0, &v))
				ret = -EIO;
			c->ev[i] += v.val;
		}
	}
	if (ret)
		snprintf(err, errlen, "cannot read the observer's counters");
	if (mapped)
		perf_evlist__munmap(evlist);
close:
	perf_evlist__close(evlist);
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (evlist) {
		ustat_evlist__drop_maps(evlist);
		perf_evlist__delete(evlist);	/* and its evsels */
	}
	/* Only once its events are closed: the kernel says EBUSY before. */
	ustat_tracefs_probes__destroy(&tp);
	perf_thread_map__put(threads);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void summarise(struct ustat_obs_rate *r, double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	r->lo = v[0];
	r->hi = v[n - 1];
	r->med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_observer__measure(struct bench *b, struct ustat_observer *o, char *err,
			    size_t errlen)
{
	double v[USTAT_OBS_NR_MODES][USTAT_OBS_NR + 1][OBS_MAX_REPEAT];
	char kpath[PATH_MAX], path[PATH_MAX];
	unsigned int n = b->opts.repeat, i;
	bench_fn_t fn = bench_workload__fn(BENCH_INT3);
	u64 offset, vaddr;
	int mode, s, ret;

	memset(o, 0, sizeof(*o));
	if (n > OBS_MAX_REPEAT)
		n = OBS_MAX_REPEAT;
	if (!bench_workload__supported()) {
		snprintf(err, errlen, "--observer: the workload is x86-64 only");
		return -EOPNOTSUPP;
	}
	if (!b->env.have_pmu) {
		snprintf(err, errlen, "--observer: %s", b->env.pmu_err);
		return -EOPNOTSUPP;
	}
	if (b->env.signals.id[USTAT_KEV_UPROBE_LOOKUP] < 0 ||
	    b->env.signals.id[USTAT_KEV_SPEC_FAIL] < 0) {
		snprintf(err, errlen,
			 "--observer needs the uprobes_core tracepoints of tools-perf-patch/kernel (uprobe_lookup, uprobe_spec_fail): this kernel has not");
		return -EOPNOTSUPP;
	}
	ret = bench_workload__locate(BENCH_INT3, kpath, sizeof(kpath), path, sizeof(path),
				     &offset, err, errlen);
	if (ret)
		return ret;
	/* uprobe_lookup's bp_vaddr: where the function is in us */
	memcpy(&vaddr, &fn, sizeof(vaddr));
	for (i = 0; i < n; i++) {
		for (mode = 0; mode < USTAT_OBS_NR_MODES; mode++) {
			struct obs_counts c;
			u64 hits;

			ret = run_once(b, kpath, offset, vaddr, mode == USTAT_OBS_RECORDED, &c,
				       err, errlen);
			if (ret)
				return ret;
			if (atomic_load(&bench_stop)) {
				snprintf(err, errlen,
					 "stopped by signal %d before the end: nothing measured",
					 atomic_load(&bench_stop));
				return -EINTR;
			}
			hits = c.ev[EV_PROBE];
			if (!hits || hits != c.calls || c.ev[EV_LOOKUP] != hits) {
				snprintf(err, errlen,
					 "--observer: repeat %u (%s): %llu calls, %llu hits, %llu lookups: the counts disagree (is another tool probing this binary?)",
					 i + 1, mode ? "recorded" : "counted",
					 (unsigned long long)c.calls, (unsigned long long)hits,
					 (unsigned long long)c.ev[EV_LOOKUP]);
				return -EIO;
			}
			/* Recorded: every sample read or known lost, as record's are. */
			if (mode == USTAT_OBS_RECORDED &&
			    c.samples + c.lost != hits + c.ev[EV_LOOKUP] + c.ev[EV_SPEC_FAIL]) {
				snprintf(err, errlen,
					 "--observer: repeat %u (recorded): %llu samples read and %llu lost for %llu events",
					 i + 1, (unsigned long long)c.samples,
					 (unsigned long long)c.lost,
					 (unsigned long long)(hits + c.ev[EV_LOOKUP] +
							      c.ev[EV_SPEC_FAIL]));
				return -EIO;
			}
			o->hits[mode] += hits;
			o->lost += c.lost;
			v[mode][USTAT_OBS_FALLBACK][i] = 100.0 * c.ev[EV_FALLBACK] / hits;
			v[mode][USTAT_OBS_SPEC_FAIL][i] = 100.0 * c.ev[EV_SPEC_FAIL] / hits;
			v[mode][USTAT_OBS_NR][i] = 100.0 * c.churn / hits;
		}
	}
	for (mode = 0; mode < USTAT_OBS_NR_MODES; mode++) {
		for (s = 0; s < USTAT_OBS_NR; s++)
			summarise(&o->rate[mode][s], v[mode][s], n);
		summarise(&o->churn[mode], v[mode][USTAT_OBS_NR], n);
	}
	ustat_calib__read_boot(o->release, sizeof(o->release), o->boot_id, sizeof(o->boot_id));
	o->when = time(NULL);
	o->repeat = n;
	o->duration = b->opts.duration;
	snprintf(o->origin, sizeof(o->origin), "bench --observer");
	o->valid = true;
	return 0;
}

void bench_observer__print(const struct ustat_observer *o, FILE *out)
{
	static const char *const what[USTAT_OBS_NR] = {
		"lookups that fell back", "speculation failures",
	};
	int s;

	fprintf(out, "# Observer shift on %s: churn workload (one thread hitting a probe, one\n",
		o->release);
	fprintf(out, "# mapping and unmapping a page), %u x %.2f s counted and as many recorded\n",
		o->repeat, o->duration);
	fprintf(out, "# (%llu and %llu hits; %llu samples lost recording)\n",
		(unsigned long long)o->hits[USTAT_OBS_COUNTED],
		(unsigned long long)o->hits[USTAT_OBS_RECORDED], (unsigned long long)o->lost);
	fprintf(out, "# %-24s %26s %26s %9s\n", "Per 100 hits", "counted (min..max)",
		"recorded (min..max)", "shift");
	for (s = 0; s < USTAT_OBS_NR; s++) {
		const struct ustat_obs_rate *c = &o->rate[USTAT_OBS_COUNTED][s];
		const struct ustat_obs_rate *r = &o->rate[USTAT_OBS_RECORDED][s];

		fprintf(out, "  %-24s %8.3f (%6.3f..%7.3f) %8.3f (%6.3f..%7.3f) %+9.3f\n", what[s],
			c->med, c->lo, c->hi, r->med, r->lo, r->hi, ustat_observer__shift(o, s));
	}
	fprintf(out, "  %-24s %8.1f (%6.1f..%7.1f) %8.1f (%6.1f..%7.1f)\n", "churn ops",
		o->churn[0].med, o->churn[0].lo, o->churn[0].hi, o->churn[1].med,
		o->churn[1].lo, o->churn[1].hi);
	fprintf(out, "# %s\n", o->origin);
}
