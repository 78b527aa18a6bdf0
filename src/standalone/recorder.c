// SPDX-License-Identifier: GPL-2.0
/*
 * The recording machinery that record and top share: attach uprobes
 * through the uprobe PMU with libperf, with the kernel signals beside
 * them, and drain one ring buffer per CPU into a sink.  The probes live
 * and die with the file descriptors: nothing is left in the kernel when
 * the tool exits, however it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <perf/cpumap.h>
#include <perf/event.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/mmap.h>

#include "util/uprobe-stat/core/cost-meta.h"
#include "util/uprobe-stat/bpf/bpf-record.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/meta.h"
#include "perf-file.h"
#include "util/uprobe-stat/resolve/dwarf-unwind.h"
#include "recorder.h"
#include "sample-parse.h"

/* Set from signal handlers: lock-free atomics are async-signal-safe. */
static atomic_bool done;
static atomic_bool child_exited;

static void sig_stop(int sig __maybe_unused)
{
	atomic_store(&done, true);
}

static void sig_child(int sig __maybe_unused)
{
	atomic_store(&child_exited, true);
}

bool recorder__stopped(void)
{
	return atomic_load(&done);
}

void recorder__catch_stop(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = sig_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = sig_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

u64 ustat_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int recorder__setup(struct recorder *r, int argc, const char **argv, int cmd_at,
		    char *err, size_t errlen)
{
	struct record *rec = &r->rec;
	u64 t;

	/* Refused before anything is resolved or attached. */
	if (rec->call_graph &&
	    ustat_callgraph__parse(rec->call_graph, &rec->callgraph, &rec->stack_size, err, errlen))
		return -EINVAL;
	if (rec->callgraph && rec->use_bpf) {
		snprintf(err, errlen,
			 "-b counts in the kernel, without samples: no callchains (-g, --call-graph)");
		return -EINVAL;
	}
	if (rec->callgraph && rec->count_all) {
		snprintf(err, errlen,
			 "--count counts without samples: no callchains (-g, --call-graph)");
		return -EINVAL;
	}
	if (rec->callgraph == USTAT_CALLGRAPH_DWARF && !USTAT_USER_REGS_MASK) {
		snprintf(err, errlen,
			 "--call-graph dwarf: not on this architecture (x86-64 only); use fp");
		return -EINVAL;
	}
	if (recorder__resolve(rec, argc, argv, cmd_at, err, errlen))
		return -EINVAL;
	/* Before the attach mode: a BPF program attaches itself, per process. */
	if (rec->use_bpf)
		record__bpf_prepare(rec);	/* falls back to samples, saying why */
	if (record__choose_attach(rec, err, errlen))
		return -EINVAL;
	ustat_debug("attach mode: %s", record_attach__name(rec->attach));
	if (record__count_plan(rec)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ustat_debug("consumer: %s", record__consumer(rec));
	if (rec->cmd_argv) {
		if (ustat_workload__prepare(&rec->workload, rec->cmd_argv, rec->cmd_output,
					    rec->cmd_stdout_to_stderr, err, errlen))
			return -EINVAL;
		rec->has_workload = true;
	}
	rec->counts_lost = record__kernel_counts_lost();
	t = ustat_clock_ns(CLOCK_MONOTONIC);
	if (recorder__create_evsels(rec, err, errlen) ||
	    (rec->bpf ? record__bpf_attach(rec, err, errlen) :
			record__open_events(rec, err, errlen)))
		return -EINVAL;
	/* What the tracepoints chosen above do not answer; it never fails the recording. */
	record__kfunc_attach(rec);
	/* -v: what many probes cost (tests print it) */
	ustat_debug("attached %d uprobes in %.3f s", rec->nr_probes,
		    (ustat_clock_ns(CLOCK_MONOTONIC) - t) / 1e9);
	if (recorder__lost_init(r) || record__mapcheck_init(rec)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (recorder__describe_events(r) || record__tracing_data(rec, &r->tdata) ||
	    record__addrs_init(rec, &r->tdata)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/*
 * A buffer must hold what the probes write while the recorder waits for a
 * CPU.  Four threads on nop5 probes write 40 MB/s per CPU here: 1 MiB
 * lasts 25 ms, and lost samples in 2 runs of 12 on a 2-CPU VM; 4 MiB lost
 * none in 12 on an idle machine, but 5.7 % at load 8 (a CPU hog beside:
 * the recorder, one task among nine, waits its turn for 100 ms and more).
 * 16 MiB lasts 400 ms.  Machines with many CPUs get less each, within
 * 64 MiB.
 */
#define MMAP_BUDGET	(64UL << 20)
#define MMAP_MIN	(1UL << 20)
#define MMAP_MAX	(16UL << 20)

unsigned int recorder__default_mmap_pages(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), page = sysconf(_SC_PAGESIZE);
	unsigned long bytes, pages = 1;

	if (cpus < 1)
		cpus = 1;
	if (page < 1)
		page = 4096;
	bytes = MMAP_BUDGET / (unsigned long)cpus;
	if (bytes < MMAP_MIN)
		bytes = MMAP_MIN;
	if (bytes > MMAP_MAX)
		bytes = MMAP_MAX;
	while (pages * 2 * page <= bytes)
		pages *= 2;
	return pages;
}

/*
 * The CPU whose buffer a LOST record came from: its sample_id trailer says
 * (every event has PERF_SAMPLE_CPU and sample_id_all; libperf does not
 * tell which CPU a perf_mmap is of).
 */
static int lost_cpu(const struct recorder *r, const union perf_event *ev)
{
	struct ustat_sample s;

	if (!r->events || ustat_sample__parse_id(&r->events[0].attr, ev, &s))
		return -1;
	return (int)s.cpu;
}

/* A record kept: count it, note its addresses, hand it to the sink. */
static int emit(void *ctx, const union perf_event *ev)
{
	struct recorder *r = ctx;

	if (ev->header.type == PERF_RECORD_SAMPLE) {
		r->samples++;
		record__addrs_note(&r->rec, ev);
	} else if (ev->header.type == PERF_RECORD_MMAP2) {
		record__mapcheck_note(&r->rec, ev);
	}
	if (ev->header.type == PERF_RECORD_LOST) {
		r->lost += ev->lost.lost;
		recorder__lost_seen(r, lost_cpu(r, ev), ev->lost.lost);
	} else if (ev->header.type == PERF_RECORD_LOST_SAMPLES)
		r->lost += ev->lost_samples.lost;
	r->pass_bytes += ev->header.size;
	return r->sink.emit(r->sink.ctx, ev);
}

#define DRAIN_BATCH	256
/* How often (in records) a budgeted pass looks at the clock: a vDSO call. */
#define CLOCK_EVERY	64

/*
 * Drain every CPU's ring buffer once; returns the bytes emitted.
 *
 * With a budget (top), each of the N buffers is read for at most
 * budget / N from when its turn comes; what it holds then stays there for
 * the next pass.  A flood (64 threads hitting a nop5 probe on 2 CPUs fill
 * a buffer faster than one thread empties it, and that thread gets 1/65
 * of a CPU) then costs a bounded time per pass instead of a pass that
 * never ends: the view refreshes on time.  A buffer that stays full makes
 * the kernel drop what it cannot write, and count it (PERF_RECORD_LOST):
 * the view shows that count as "dropped".  Leaving the rest in the buffer
 * costs top nothing, where reading it to let it go would cost a cache
 * miss on the kernel's head a record.
 */
static ssize_t drain(struct recorder *r)
{
	u64 slot = 0;
	struct perf_mmap *map;
	int ret = 0, nr_maps = 0;

	r->pass_bytes = 0;
	if (r->pass_budget_ns) {
		perf_evlist__for_each_mmap(r->rec.evlist, map, false)
			nr_maps++;
		slot = r->pass_budget_ns / (nr_maps ? nr_maps : 1);
	}
	perf_evlist__for_each_mmap(r->rec.evlist, map, false) {
		u64 deadline = slot ? ustat_clock_ns(CLOCK_MONOTONIC) + slot : 0;
		union perf_event *ev;
		unsigned int n = 0;

		if (perf_mmap__read_init(map) < 0)
			continue;
		while (!ret && (ev = perf_mmap__read_event(map)) != NULL) {
			switch (record__verdict(&r->rec, ev)) {
			case RECORD_KEEP:
				ret = emit(r, ev);
				break;
			case RECORD_DEFER:
				ret = record__defer(&r->rec, ev);
				break;
			case RECORD_DROP:
			default:
				break;
			}
			/*
			 * The tail is written (a store-release the kernel
			 * reads) once every DRAIN_BATCH records and at the
			 * end, not after each one: the space comes back in
			 * steps of a few KiB of a buffer of MiBs.
			 */
			if (++n % DRAIN_BATCH == 0)
				perf_mmap__consume(map);
			if (slot && n % CLOCK_EVERY == 0 &&
			    ustat_clock_ns(CLOCK_MONOTONIC) > deadline) {
				r->behind++;
				break;
			}
		}
		if (n % DRAIN_BATCH)
			perf_mmap__consume(map);
		/*
		 * No perf_mmap__read_done(): for a non-overwrite buffer it
		 * sets the read position to the kernel's head read anew, which
		 * skips any record written since perf_mmap__read_event() last
		 * found the buffer empty -- a lost sample nobody counts.
		 * read_event() and consume() already track the position.
		 */
	}
	/* The pass has seen every FORK that came before these samples. */
	if (!ret)
		ret = record__flush_deferred(&r->rec, emit, r);
	if (ret)
		return -1;
	if (r->pass_bytes && r->sink.round && r->sink.round(r->sink.ctx))
		return -1;
	/*
	 * A round lets a reader deliver what is older than the newest
	 * record of the round before, so the last pass that read something
	 * stays queued until another round: when the target goes quiet
	 * (top: a command that sleeps) no round would come.  A pass that
	 * finds every buffer empty has seen everything written before it:
	 * one more round then delivers the rest.
	 */
	if (!r->pass_bytes && r->round_pending && r->sink.round && r->sink.round(r->sink.ctx))
		return -1;
	r->round_pending = r->pass_bytes;
	return r->pass_bytes;
}

/* Alive, and not a zombie waiting for its parent. */
static bool pid_alive(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the state follows the comm, which may hold spaces */
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static bool targets_gone(struct record *rec)
{
	int i;

	for (i = 0; i < rec->nr_target_pids; i++)
		if (pid_alive(rec->target_pids[i]))
			return false;
	return true;
}

/*
 * A read a counter, CPU and thread: with -p on many threads that is many
 * reads, and top's loop asks every 50 ms.  Ten times a second is enough
 * for a view refreshed once a second; the last read comes at the stop.
 */
#define COUNT_READ_EVERY_NS	100000000ULL

int recorder__count_update(struct recorder *r)
{
	u64 now = ustat_clock_ns(CLOCK_MONOTONIC);

	if (r->count_read_at && now - r->count_read_at < COUNT_READ_EVERY_NS)
		return 0;
	r->count_read_at = now;
	return recorder__count_emit(r, false, emit);
}

int recorder__step(struct recorder *r, int timeout_ms)
{
	struct record *rec = &r->rec;
	ssize_t n = drain(r);

	if (n < 0)
		return -1;
	if (rec->has_workload && atomic_load(&child_exited) &&
	    ustat_workload__reap(&rec->workload))
		r->target_done = true;
	/* -p ends with its processes; one more drain follows in stop. */
	if (!n && rec->target == TARGET_PID && targets_gone(rec))
		r->target_done = true;
	if (r->target_done)
		return 0;
	if (n) {
		r->poll_spurious = false;
		return 1;
	}
	/*
	 * A woken poll and nothing to read: an fd hung up (its task exited).
	 * filter_pollfd() clears its events but leaves it in the set, and
	 * poll() reports POLLHUP whatever is asked, so polling again would
	 * return at once, for as long as the other tasks run: wait instead.
	 */
	if (r->poll_spurious) {
		struct timespec ts = { 0, (timeout_ms < 20 ? timeout_ms : 20) * 1000000L };

		nanosleep(&ts, NULL);
		return 1;
	}
	if (perf_evlist__poll(rec->evlist, timeout_ms) > 0) {
		r->wakeups++;
		r->poll_spurious = true;
		perf_evlist__filter_pollfd(rec->evlist, POLLERR | POLLHUP);
	}
	return 1;
}

int recorder__stop(struct recorder *r)
{
	struct record *rec = &r->rec;
	u64 t;

	/*
	 * CMD first, then the probes: every call CMD made until it died is in
	 * the ring buffers.  -p and -a targets keep running: what they call
	 * between the stop and the disable just below is recorded, what they
	 * call after it is not.  One drain before: the addresses the signals
	 * name resolve only while CMD is alive (record-addrs.c).
	 */
	record__hurry(rec);
	if (rec->has_workload) {
		if (!rec->workload.exited && drain(r) < 0)
			return -1;
		ustat_workload__stop(&rec->workload);
		if (rec->target == TARGET_CMD)
			ustat_target_cpu__rusage(&r->target_cpu, &rec->workload.ru);
	} else if (rec->nr_target_pids && !rec->tids) {
		ustat_target_cpu__stop(&r->target_cpu, rec->target_pids, rec->nr_target_pids);
	}
	perf_evlist__disable(rec->evlist);
	record__bpf_detach(rec);
	record__kfunc_detach(rec);
	r->time_end = ustat_clock_ns(CLOCK_MONOTONIC);
	/* The counts while the events are open still, after the last drain. */
	if (drain(r) < 0 || recorder__lost_flush(r, emit) ||
	    recorder__count_emit(r, true, emit))
		return -1;
	/* Nothing stays armed while the file is written. */
	t = ustat_clock_ns(CLOCK_MONOTONIC);
	record__detach(rec);
	ustat_debug("detached %d uprobes in %.3f s", rec->nr_probes,
		    (ustat_clock_ns(CLOCK_MONOTONIC) - t) / 1e9);
	if (r->behind)
		ustat_debug("%llu times a buffer held more than a pass's budget could read",
			    (unsigned long long)r->behind);
	return 0;
}

int recorder__start(struct recorder *r, char *err, size_t errlen)
{
	struct record *rec = &r->rec;
	int i;

	if (rec->attach == ATTACH_FILTER) {
		for (i = 0; i < rec->nr_target_pids; i++)
			if (record__keep_pid(rec, rec->target_pids[i]))
				return -ENOMEM;
		if (rec->has_workload && record__keep_pid(rec, rec->workload.pid))
			return -ENOMEM;
	}
	if (rec->attach == ATTACH_CGROUP &&
	    ustat_cgroup__attach(&rec->cgroup, rec->workload.pid, err, errlen))
		return -EINVAL;
	r->wall_start = ustat_clock_ns(CLOCK_REALTIME);
	r->time_start = ustat_clock_ns(CLOCK_MONOTONIC);
	if (rec->target == TARGET_SYSTEM)
		ustat_target_cpu__unknown(&r->target_cpu,
					  "no single target (-a: every process's hits)");
	else if (rec->has_workload)
		ustat_target_cpu__unknown(&r->target_cpu, "the command did not end");
	else if (rec->nr_target_pids && !rec->tids)
		ustat_target_cpu__start(&r->target_cpu, rec->target_pids, rec->nr_target_pids);
	else
		ustat_target_cpu__unknown(&r->target_cpu,
					  "no single target (-t: threads, not their processes)");
	record__enable(rec);
	/* -v: from here on hits count (make bench waits for it under load) */
	ustat_debug("recording: probes enabled");
	if (rec->has_workload)
		return ustat_workload__start(&rec->workload, rec->cmd_argv[0], err, errlen);
	return 0;
}

void recorder__exit(struct recorder *r)
{
	struct record *rec = &r->rec;
	int i;

	if (rec->has_workload)
		ustat_workload__stop(&rec->workload);
	record__bpf_close(rec);
	record__kfunc_close(rec);
	record__close_events(rec);
	for (i = 0; i < rec->nr_evsels; i++) {
		if (r->metas)
			ustat_meta__free(&r->metas[i]);
		if (r->names)
			free(r->names[i]);
	}
	free(r->metas);
	free(r->names);
	free(r->events);
	free(r->rb_lost);
	free(rec->evsels);
	free(rec->evsel_kevent);
	free(rec->counted);
	ustat_ksyms__exit(&rec->ksyms);
	ustat_tdata__free(&r->tdata);
	record__addrs_exit(rec);
	record__mapcheck_exit(rec);
	for (i = 0; i < rec->nr_probes; i++)
		ustat_probe__exit(&rec->probes[i]);
	free(rec->probes);
	free(rec->target_pids);
	free(rec->target_tids);
	free(rec->keep_pids);
	free(rec->deferred);
}
