// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/compiler.h>
#include <api/fs/fs.h>

#include "util/uprobe-stat/util/file-util.h"
#include "list-kernel.h"
#include "util/uprobe-stat/standalone/uprobe-inherit.h"
#include "util/uprobe-stat/standalone/uprobe-tracefs.h"

#define KERNEL_PATCH	"apply tools-perf-patch/kernel/ and boot that kernel"

static void read_format(const char *name, char *buf, size_t len)
{
	const char *sysfs = sysfs__mountpoint();
	char path[PATH_MAX], *s;

	buf[0] = '\0';
	if (!sysfs)
		return;
	snprintf(path, sizeof(path), "%.3000s/bus/event_source/devices/uprobe/format/%s",
		 sysfs, name);
	s = ustat_read_file(path, NULL);
	if (!s)
		return;
	s[strcspn(s, "\n")] = '\0';
	snprintf(buf, len, "%s", s);
	free(s);
}

void ustat_kernel_caps__discover(struct ustat_kernel_caps *c)
{
	char err[256], path[PATH_MAX];
	struct utsname u;

	memset(c, 0, sizeof(*c));
	if (!uname(&u))
		snprintf(c->release, sizeof(c->release), "%s", u.release);
	c->pmu_ret = ustat_uprobe_pmu__read(&c->pmu, NULL, err, sizeof(err));
	read_format("retprobe", c->retprobe_fmt, sizeof(c->retprobe_fmt));
	read_format("ref_ctr_offset", c->ref_ctr_fmt, sizeof(c->ref_ctr_fmt));
	/* The experiment forks under a real uprobe: only with the PMU. */
	c->inherit = c->pmu_ret ? c->pmu_ret : ustat_uprobe_inherit_works(&c->pmu);
	ustat_kevents__discover(&c->sig);
	if (c->sig.tracefs) {
		snprintf(path, sizeof(path), "%.3000s/events", c->sig.tracefs);
		c->tracefs_readable = !access(path, R_OK | X_OK);
	}
}

static __printf(4, 5) void row(FILE *out, const char *what, bool have, const char *fmt, ...);

static void row(FILE *out, const char *what, bool have, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "%-40s %-4s ", what, have ? "yes" : "no");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* What each signal answers, and what gives it when the kernel lacks it. */
static const char *sig_use(enum ustat_kevent sig)
{
	switch (sig) {
	case USTAT_KEV_UPROBE_LOOKUP:
		return "uprobe lookup latency, lockless or mmap_lock fallback";
	case USTAT_KEV_SPEC_FAIL:
		return "speculation failures by reason";
	case USTAT_KEV_XOL_ALLOC:
		return "xol slot allocations and waits";
	case USTAT_KEV_XOL_RECYCLE:
		return "xol slot recycling, cross-CPU";
	case USTAT_KEV_MMAP_START:
		return "stock-kernel fallback: lookups that took mmap_read_lock (callchains)";
	case USTAT_KEV_MMAP_ACQUIRED:
	case USTAT_KEV_MMAP_RELEASED:
		return "mmap_lock write holds, which invalidate mm_lock_seq";
	case USTAT_KEV_LOCK_BEGIN:
	case USTAT_KEV_LOCK_END:
		return "lock contention on uprobe paths (callchains)";
	case USTAT_KEV_FIND_RETRY:
		return "uprobes tree lookups retried under registration churn";
	case USTAT_KEV_XOL_AREA_FAIL:
		return "hits restarted for want of an xol area";
	case USTAT_KEV_NR:
	case USTAT_KEV_NONE:
	default:
		return "";
	}
}

static const char *sig_gives(enum ustat_kevent sig)
{
	if (ustat_kevent_descs[sig].patched)
		return KERNEL_PATCH;
	if (sig == USTAT_KEV_LOCK_BEGIN || sig == USTAT_KEV_LOCK_END)
		return "Linux 5.19 or later with CONFIG_TRACING";
	return "Linux 5.10 or later with CONFIG_TRACING (mmap_lock tracepoints)";
}

/* How record and top will reach a command's or a process's threads. */
static int print_attach(const struct ustat_kernel_caps *c, FILE *out)
{
	char why[PATH_MAX + 64];

	/* record__choose_attach()'s order: tracefs has one consumer a site. */
	if (ustat_tracefs_probes__usable(why, sizeof(why))) {
		row(out, "attach for -- CMD and -p", true,
		    "tracefs: uprobes defined in uprobe_events (group " USTAT_TRACEFS_GROUP_PREFIX
		    "PID, removed at exit, swept if killed), per-task events inherited; only the target pays, one handler a hit");
		return 0;
	}
	if (c->inherit == 1) {
		row(out, "attach for -- CMD and -p", true,
		    "task: per-task uprobe PMU events, inherited; only the target pays (a handler a hit for each CPU and thread: %s)",
		    why);
		return 0;
	}
	row(out, "attach for -- CMD and -p", false,
	    "%s: record falls back to per-CPU events (cgroup or filter), and every process that maps the probed files traps while recording",
	    why);
	return 1;
}

static int print_pmu(const struct ustat_kernel_caps *c, FILE *out)
{
	int missing = 0;

	if (c->pmu_ret) {
		row(out, "uprobe PMU", false,
		    "CONFIG_UPROBE_EVENTS=y and Linux 4.17 or later (record cannot work without it)");
		missing++;
	} else {
		row(out, "uprobe PMU", true, "type %d, retprobe at %s", c->pmu.type,
		    c->retprobe_fmt[0] ? c->retprobe_fmt : "?");
	}
	if (c->ref_ctr_fmt[0])
		row(out, "uprobe PMU ref_ctr_offset", true,
		    "%s: USDT semaphores are raised while probed", c->ref_ctr_fmt);
	else
		row(out, "uprobe PMU ref_ctr_offset", false,
		    "Linux 4.20 or later: without it USDT probes behind a semaphore never fire");
	missing += !c->ref_ctr_fmt[0];
	if (c->inherit == 1) {
		row(out, "uprobe PMU events inherited", true,
		    "record follows new threads and children with per-task events");
	} else if (c->inherit == 0) {
		row(out, "uprobe PMU events inherited", false,
		    "an inherited event makes the target's fork() fail with EFAULT (a kernel bug, seen through 6.18; fixed by tools-perf-patch/kernel): record attaches another way (below)");
		missing++;
	} else {
		row(out, "uprobe PMU events inherited", false,
		    "could not test (%s): run as root", strerror(-c->inherit));
		missing++;
	}
	missing += print_attach(c, out);
	return missing;
}

int ustat_kernel_caps__print(const struct ustat_kernel_caps *c, FILE *out)
{
	int missing, i;

	fprintf(out, "# uprobe-stat list --kernel: what Linux %s offers\n",
		c->release[0] ? c->release : "?");
	fprintf(out, "# %-38s %-4s %s\n", "signal", "here", "what it gives, or what gives it");
	missing = print_pmu(c, out);
	if (!c->sig.tracefs || !c->tracefs_readable) {
		row(out, "tracefs", false, c->sig.tracefs ?
		    "%s is not readable: run as root" :
		    "mount -t tracefs nodev /sys/kernel/tracing (CONFIG_TRACING); no tracepoint can be recorded",
		    c->sig.tracefs);
		missing++;
	} else {
		row(out, "tracefs", true, "%s", c->sig.tracefs);
	}
	for (i = 0; i < USTAT_KEV_NR; i++) {
		char name[128];

		snprintf(name, sizeof(name), "%s:%s", ustat_kevent_descs[i].system,
			 ustat_kevent_descs[i].name);
		if (c->sig.id[i] >= 0) {
			row(out, name, true, "%s", sig_use(i));
			continue;
		}
		missing++;
		if (!c->sig.tracefs || !c->tracefs_readable)
			row(out, name, false, "%s (tracefs needed first)", sig_use(i));
		else
			row(out, name, false, "%s: %s", sig_use(i), sig_gives(i));
	}
	if (c->sig.procmap_query) {
		row(out, "PROCMAP_QUERY", true,
		    "addresses in the target named without taking its mmap_lock");
	} else {
		row(out, "PROCMAP_QUERY", false,
		    "Linux 6.11 or later; record reads /proc/PID/maps text instead");
		missing++;
	}
	fprintf(out, "# %d missing\n", missing);
	return missing;
}
