// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching the uprobe events to the target: only the target may pay.
 *
 * A uprobe event opened per CPU (pid -1, or a cgroup) has no task to
 * filter on, so the kernel installs its breakpoint in every process that
 * maps the file: every bystander running the same binary or library traps
 * on every hit.  So for '-- CMD' and '-p PID' the events go on the
 * target's tasks, inherited by the threads and children they create, and
 * the uprobe's filter installs the breakpoint in their mms alone.
 *
 * In order of preference:
 *
 *  - tracefs: the uprobes are defined in uprobe_events (uprobe-tracefs.h),
 *    as 'perf probe' does, and per-task tracepoint events on them inherit
 *    like any other;
 *  - task: per-task uprobe PMU events with inherit=1, on a kernel that can
 *    inherit them; the kernels tested cannot (uprobe-inherit.h): their
 *    target's fork() and pthread_create() fail with EFAULT;
 *  - cgroup ('-- CMD' without a writable tracefs): CMD runs in a
 *    perf_event cgroup of its own, with per-CPU cgroup events: exact, but
 *    every process mapping the file traps;
 *  - filter ('-p' without a writable tracefs): per-CPU events for
 *    everyone, the target's records kept (record-filter.c); bystanders pay
 *    the same way.
 * '-a' is system-wide by definition.
 *
 * Consumers: each uprobe PMU event is a trace_uprobe of its own in the
 * kernel (perf_uprobe_init() makes one per perf_event_open()), so a site
 * with an event per CPU (or per CPU and thread) has that many consumers,
 * and every hit runs each one's handler: all but the one whose event is
 * on this CPU find nothing to do, after taking the per-CPU buffer's mutex
 * and testing the filter (~30 ns each on the VM here; on 256 CPUs, 256
 * handlers a hit).  Events on a uprobe_events definition share one
 * trace_uprobe: one handler a hit, as with 'perf probe' + 'perf record'.
 * So tracefs is the first choice for -a and auto wherever it is writable;
 * the uprobe PMU is what is left without it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "util/uprobe-stat/util/debug.h"
#include "fd-limit.h"
#include "libperf-gaps.h"
#include "record.h"
#include "uprobe-pmu.h"
#include "uprobe-inherit.h"

static const char * const attach_names[] = {
	[ATTACH_AUTO]	= "auto",
	[ATTACH_TASK]	= "task",
	[ATTACH_TRACEFS] = "tracefs",
	[ATTACH_CGROUP]	= "cgroup",
	[ATTACH_FILTER]	= "filter",
	[ATTACH_SYSTEM]	= "system",
};

const char *record_attach__name(enum record_attach a)
{
	return attach_names[a];
}

const char *record_attach__desc(enum record_attach a)
{
	switch (a) {
	case ATTACH_TASK:
		return "per-task uprobe PMU events, inherited by new threads and children";
	case ATTACH_TRACEFS:
		return "per-task events on uprobes made in uprobe_events, inherited by new tasks";
	case ATTACH_CGROUP:
		return "per-CPU cgroup events: other processes mapping the file trap too";
	case ATTACH_FILTER:
		return "per-CPU events, other processes' records dropped: they trap too";
	case ATTACH_SYSTEM:
		return "system-wide";
	case ATTACH_AUTO:
	default:
		return "chosen at start";
	}
}

int record_attach__parse(const char *s, enum record_attach *a)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attach_names); i++) {
		if (!strcmp(s, attach_names[i]) && i != ATTACH_SYSTEM) {
			*a = i;
			return 0;
		}
	}
	return -EINVAL;
}

static void permission_error(const struct ustat_probe *p, char *err, size_t errlen);

static int use_tracefs(struct record *rec, char *err, size_t errlen)
{
	char why[PATH_MAX + 64];

	if (!ustat_tracefs_probes__usable(why, sizeof(why))) {
		snprintf(err, errlen, "--attach tracefs: %s", why);
		return -EACCES;
	}
	rec->attach = ATTACH_TRACEFS;
	return ustat_tracefs_probes__create(&rec->tprobes, rec->probes, rec->nr_probes,
					    err, errlen);
}

int record__choose_attach(struct record *rec, char *err, size_t errlen)
{
	char why[PATH_MAX + 64];
	int inherit;

	/* What killed runs left goes first, whatever this run uses. */
	ustat_tracefs_probes__sweep();
	ustat_cgroup__sweep();
	/* -b: the BPF program is attached per process (bpf-record.c), no perf event. */
	if (rec->bpf) {
		rec->attach = rec->target == TARGET_SYSTEM ? ATTACH_SYSTEM : ATTACH_TASK;
		return 0;
	}
	if (rec->target == TARGET_SYSTEM) {
		if (rec->attach != ATTACH_AUTO) {
			snprintf(err, errlen, "--attach does not apply to -a");
			return -EINVAL;
		}
		rec->attach = ATTACH_SYSTEM;
		/* One consumer a site, not one a CPU (see "Consumers" above). */
		if (!ustat_tracefs_probes__try_create(&rec->tprobes, rec->probes, rec->nr_probes,
						      why, sizeof(why)))
			ustat_debug("uprobe_events: %s: one uprobe PMU event per CPU", why);
		return 0;
	}
	if (rec->attach == ATTACH_CGROUP && rec->target != TARGET_CMD) {
		snprintf(err, errlen,
			 "--attach cgroup needs '-- CMD': a running process is not moved");
		return -EINVAL;
	}
	if (rec->attach == ATTACH_TRACEFS)
		return use_tracefs(rec, err, errlen);
	inherit = ustat_uprobe_inherit_works(&rec->pmu);
	/* The experiment opens a uprobe too: no permission, say so now. */
	if (inherit == -EACCES || inherit == -EPERM) {
		permission_error(&rec->probes[0], err, errlen);
		return inherit;
	}
	ustat_debug("uprobe PMU inheritance: %s", inherit > 0 ? "works" :
		    inherit == 0 ? "breaks the target's fork (EFAULT)" : "could not be tested");
	if (rec->attach == ATTACH_TASK && inherit <= 0)
		ustat_warn("--attach task on a kernel that cannot inherit uprobe PMU events: the target's fork() and pthread_create() will fail with EFAULT");
	if (rec->attach != ATTACH_AUTO)
		goto check;
	/* tracefs before task, where both work: one consumer a site (above). */
	if (ustat_tracefs_probes__usable(why, sizeof(why)))
		return use_tracefs(rec, err, errlen);
	ustat_debug("uprobe_events: %s", why);
	if (inherit > 0) {
		rec->attach = ATTACH_TASK;
		return 0;
	}
	if (rec->target == TARGET_CMD) {
		rec->attach = ATTACH_CGROUP;
		if (ustat_cgroup__create(&rec->cgroup, err, errlen)) {
			ustat_warn("%s: recording all processes and keeping only the command's",
				   err);
			rec->attach = ATTACH_FILTER;
		}
	} else {
		rec->attach = ATTACH_FILTER;
	}
	ustat_warn("this kernel cannot inherit uprobe PMU events and %s: the probes trap in every process that maps the probed files while recording (--attach %s, see the man page)",
		   why, record_attach__name(rec->attach));
	return 0;
check:
	if (rec->attach == ATTACH_CGROUP)
		return ustat_cgroup__create(&rec->cgroup, err, errlen);
	return 0;
}

static int target_threads(struct record *rec, char *err, size_t errlen)
{
	pid_t *all = NULL, gone = 0;
	int nr = 0, ret;

	if (rec->target == TARGET_CMD) {
		rec->threads = perf_thread_map__new_array(1, &rec->workload.pid);
		return rec->threads ? 0 : -ENOMEM;
	}
	if (rec->nr_target_tids) {
		rec->threads = perf_thread_map__new_array(rec->nr_target_tids, rec->target_tids);
		return rec->threads ? 0 : -ENOMEM;
	}
	ret = ustat_pids__threads(rec->target_pids, rec->nr_target_pids, false, &all, &nr, &gone);
	if (ret == -ESRCH)
		snprintf(err, errlen, "no process with pid %d", gone);
	if (ret)
		return ret;
	rec->threads = perf_thread_map__new_array(nr, all);
	free(all);
	return rec->threads ? 0 : -ENOMEM;
}

static void permission_error(const struct ustat_probe *p, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "permission denied attaching uprobe '%s': run as root (or with CAP_PERFMON; perf_event_paranoid is %d)",
		 p->display, ustat_perf_event_paranoid());
}

static void open_error(struct record *rec, struct ustat_probe *p, int e,
		       char *err, size_t errlen)
{
	switch (e) {
	case EACCES:
	case EPERM:
		permission_error(p, err, errlen);
		break;
	case ESRCH:
		snprintf(err, errlen, "target process exited before the uprobes could be attached");
		break;
	case EMFILE:
	case ENFILE:
		snprintf(err, errlen,
			 "too many open files for %d probes x %d CPUs: raise 'ulimit -n'",
			 rec->nr_probes, perf_cpu_map__nr(rec->cpus));
		break;
	default:
		snprintf(err, errlen, "cannot attach uprobe '%s' at %s+%#llx: %s", p->display,
			 p->path, (unsigned long long)p->offset, strerror(e));
	}
}

/* One fd per evsel, CPU and thread (per CPU only for cgroup and system-wide events). */
static int open_room(struct record *rec, char *err, size_t errlen)
{
	unsigned long n = (unsigned long)rec->nr_evsels * perf_cpu_map__nr(rec->cpus);
	char what[64];

	if (rec->attach != ATTACH_CGROUP)
		n *= perf_thread_map__nr(rec->threads);
	snprintf(what, sizeof(what), "%d probes", rec->nr_probes);
	return ustat_fd_limit__ensure(n, what, err, errlen);
}

/* The online CPUs, or -C's list of them: a CPU that is not online is an error. */
static int cpu_map(struct record *rec, char *err, size_t errlen)
{
	struct perf_cpu_map *online = perf_cpu_map__new_online_cpus();
	struct perf_cpu cpu;
	int idx, nr;

	if (!online || !rec->cpu_list) {
		rec->cpus = online;
		return 0;
	}
	rec->cpus = perf_cpu_map__new(rec->cpu_list);
	if (!rec->cpus || perf_cpu_map__has_any_cpu_or_is_empty(rec->cpus)) {
		snprintf(err, errlen, "-C %s: not a list of CPUs (0-3,5)", rec->cpu_list);
		goto fail;
	}
	/* perf_cpu_map__nr() is int in libperf 6.12, unsigned in 7.2: no for_each macro */
	nr = perf_cpu_map__nr(rec->cpus);
	for (idx = 0; idx < nr; idx++) {
		cpu = perf_cpu_map__cpu(rec->cpus, idx);
		if (!perf_cpu_map__has(online, cpu)) {
			snprintf(err, errlen, "-C %s: CPU %d is not online (%d CPUs are)",
				 rec->cpu_list, cpu.cpu, perf_cpu_map__nr(online));
			goto fail;
		}
	}
	perf_cpu_map__put(online);
	return 0;
fail:
	perf_cpu_map__put(online);
	perf_cpu_map__put(rec->cpus);
	rec->cpus = NULL;
	return -EINVAL;
}

/* What the file and record-addrs.c need: the kernel ids of each evsel's events. */
static int read_ids(struct record *rec)
{
	int i;

	rec->ids = calloc(rec->nr_evsels, sizeof(*rec->ids));
	rec->nr_ids = calloc(rec->nr_evsels, sizeof(*rec->nr_ids));
	if (!rec->ids || !rec->nr_ids)
		return -ENOMEM;
	for (i = 0; i < rec->nr_evsels; i++)
		if (ustat_evsel__ids(rec->evsels[i], rec->cpus, rec->threads, &rec->ids[i],
				     &rec->nr_ids[i]))
			return -ENOMEM;
	return 0;
}

/*
 * Probes whose uprobe shares a trace event (uprobe-tracefs.h) see the
 * event's every site: each keeps its own, by the site argument.  Before
 * any event is enabled, so no sample of another site gets in.
 */
static int site_filters(struct record *rec, char *err, size_t errlen)
{
	const char **filters;
	char (*text)[32];
	int i, failed = 0, ret, nr = 0;

	if (!rec->tprobes.shared)
		return 0;
	filters = calloc(rec->nr_probes, sizeof(*filters));
	text = calloc(rec->nr_probes, sizeof(*text));
	ret = -ENOMEM;
	if (!filters || !text) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < rec->nr_probes && i < rec->tprobes.nr; i++) {
		if (!rec->tprobes.shared[i])
			continue;
		snprintf(text[i], sizeof(text[i]), USTAT_TRACEFS_SITE_ARG " == %d", i);
		filters[i] = text[i];
		nr++;
	}
	ret = nr ? ustat_evsels__set_filters(rec->evsels, filters, rec->nr_probes, rec->cpus,
					     rec->threads, &failed) : 0;
	if (ret)
		snprintf(err, errlen, "cannot keep uprobe '%s' to its site (filter '%s'): %s",
			 rec->probes[failed].display, filters[failed], strerror(-ret));
out:
	free(filters);
	free(text);
	return ret;
}

int record__open_events(struct record *rec, char *err, size_t errlen)
{
	int i, ret;

	ret = cpu_map(rec, err, errlen);
	if (ret)
		return ret;
	if (record__per_task(rec)) {
		ret = target_threads(rec, err, errlen);
		if (ret)
			return ret;
	} else {
		rec->threads = perf_thread_map__new_dummy();
	}
	rec->evlist = perf_evlist__new();
	if (!rec->cpus || !rec->threads || !rec->evlist) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = open_room(rec, err, errlen);
	if (ret)
		return ret;
	/*
	 * Open one by one, so that an error names the probe that failed; a
	 * kernel signal that cannot be opened or filtered is dropped with a
	 * warning instead: the probes are what was asked for.
	 */
	for (i = 0; i < rec->nr_evsels; i++) {
		struct perf_evsel *evsel = rec->evsels[i];
		enum ustat_kevent sig = rec->evsel_kevent[i];

		if (rec->attach == ATTACH_CGROUP)
			ret = ustat_evsel__open_cgroup(evsel, rec->cpus, rec->cgroup.fd);
		else
			ret = perf_evsel__open(evsel, rec->cpus, rec->threads);
		if (!ret)
			continue;
		if (sig != USTAT_KEV_NONE) {
			perf_evsel__close(evsel);
			record__drop_kevent(rec, i--, strerror(ret < 0 ? -ret : errno));
			continue;
		}
		open_error(rec, &rec->probes[i], ret < 0 ? -ret : errno, err, errlen);
		return -EINVAL;
	}
	for (i = 0; i < rec->nr_evsels; i++)
		perf_evlist__add(rec->evlist, rec->evsels[i]);
	rec->evsels_in_evlist = true;
	perf_evlist__set_maps(rec->evlist, rec->cpus, rec->threads);

	ret = site_filters(rec, err, errlen);
	if (ret)
		return ret;
	/* Filters go on each fd (libperf-gaps.c finds them by their ids). */
	for (i = rec->nr_probes; i < rec->nr_evsels; i++) {
		const char *filter = ustat_kevent_descs[rec->evsel_kevent[i]].filter;
		struct perf_evsel *evsel = rec->evsels[i];

		if (!filter || !ustat_evsel__set_filter(evsel, rec->cpus, rec->threads, filter))
			continue;
		perf_evlist__remove(rec->evlist, evsel);
		perf_evsel__close(evsel);
		ustat_evsel__drop_maps(evsel);
		record__drop_kevent(rec, i--, "the kernel refused its filter");
	}
	ret = ustat_evlist__mmap(rec->evlist, rec->mmap_pages);
	if (ret) {
		snprintf(err, errlen,
			 "cannot map %u pages of ring buffer per CPU: %s (try a smaller -m, or raise /proc/sys/kernel/perf_event_mlock_kb)",
			 rec->mmap_pages, strerror(ret < 0 ? -ret : errno));
		return -EINVAL;
	}
	if (record__check_maps(rec, err, errlen))
		return -EINVAL;
	if (read_ids(rec)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void record__enable(struct record *rec)
{
	/* Per-task events of a command start themselves at its exec. */
	if (record__per_task(rec) && rec->target == TARGET_CMD)
		return;
	perf_evlist__enable(rec->evlist);
}

static double secs_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

void record__detach(struct record *rec)
{
	struct timespec t0;
	int i;

	record__hurry(rec);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rec->evlist && rec->evsels_in_evlist) {
		perf_evlist__munmap(rec->evlist);
		/*
		 * Closing a probe's events takes its breakpoint out of the
		 * target.  Each release waits for the kernel (25-150 ms on
		 * the VM here): for one probe that is the whole detach
		 * (~20 ms after a signal); many are closed from several
		 * threads at once (record-close.c), the probes before the
		 * kernel events, whose closes would queue with theirs.
		 */
		record__close_fds_of(rec, 0, rec->nr_probes);
		for (i = 0; i < rec->nr_probes; i++)	/* what was too few for threads */
			perf_evsel__close(rec->evsels[i]);
		ustat_debug("detach: closed the events of %d probes in %.3f s", rec->nr_probes,
			    secs_since(&t0));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		record__close_fds_of(rec, rec->nr_probes, rec->nr_evsels);
		for (i = rec->nr_probes; i < rec->nr_evsels; i++)
			perf_evsel__close(rec->evsels[i]);
		ustat_debug("detach: closed %d kernel events in %.3f s",
			    rec->nr_evsels - rec->nr_probes, secs_since(&t0));
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	i = rec->tprobes.nr;
	ustat_tracefs_probes__destroy(&rec->tprobes);
	if (i)
		ustat_debug("detach: removed %d uprobe_events definitions in %.3f s", i,
			    secs_since(&t0));
	record__unhurry(rec);
}

void record__close_events(struct record *rec)
{
	int i;

	if (rec->evsels_in_evlist) {
		perf_evlist__munmap(rec->evlist);
		record__close_fds(rec);		/* record-close.c: in parallel */
		perf_evlist__close(rec->evlist);
		ustat_evlist__drop_maps(rec->evlist);
	} else {
		/* Setup failed half way: the evsels are still ours alone. */
		for (i = 0; rec->evsels && i < rec->nr_evsels; i++) {
			perf_evsel__close(rec->evsels[i]);
			perf_evsel__delete(rec->evsels[i]);
		}
	}
	for (i = 0; rec->ids && i < rec->nr_evsels; i++)
		free(rec->ids[i]);
	free(rec->ids);
	free(rec->nr_ids);
	rec->ids = NULL;
	rec->nr_ids = NULL;
	perf_evlist__delete(rec->evlist);	/* and the evsels it holds */
	rec->evlist = NULL;
	perf_cpu_map__put(rec->cpus);
	perf_thread_map__put(rec->threads);
	rec->cpus = NULL;
	rec->threads = NULL;
	if (rec->cgroup.path[0])
		ustat_cgroup__destroy(&rec->cgroup);
	/* Only once the events on them are closed: the kernel says EBUSY before. */
	ustat_tracefs_probes__destroy(&rec->tprobes);
}
