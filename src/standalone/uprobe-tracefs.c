// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_events definitions for per-task, inherited uprobes on kernels
 * whose uprobe PMU cannot inherit (see uprobe-tracefs.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/util/file-util.h"
#include "util/uprobe-stat/resolve/probe-resolve.h"
#include "tracefs.h"
#include "uprobe-tracefs.h"

static int events_path(char *buf, size_t len)
{
	const char *dir = ustat_tracefs__dir();

	if (!dir)
		return -ENOENT;
	if (snprintf(buf, len, "%s/uprobe_events", dir) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

bool ustat_tracefs_probes__usable(char *why, size_t len)
{
	char path[PATH_MAX];

	if (events_path(path, sizeof(path))) {
		snprintf(why, len,
			 "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		return false;
	}
	if (access(path, W_OK)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

/* One command to uprobe_events, in one write as the kernel parses it. */
static int write_command(const char *cmd)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, e = 0;

	if (events_path(path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	if (n < 0)
		e = -errno;
	else if ((size_t)n != strlen(cmd))
		e = -EIO;
	close(fd);
	return e;
}

static int remove_event(const char *group, const char *name)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "-:%s/%s\n", group, name);
	return write_command(cmd);
}

/* "p3_work__return": the site's index keeps names unique within the group. */
static void event_name(char *buf, size_t len, int idx, const struct ustat_probe *p)
{
	const char *name = strchr(p->event, ':');
	size_t n;
	char *c;

	n = snprintf(buf, len, "p%d_%.48s", idx, name ? name + 1 : p->event);
	for (c = buf; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			*c = '_';
	if (n >= len)
		buf[len - 1] = '\0';
}

/*
 * Make probe IDX's uprobe: an event of its own, or (LEADER >= 0) one more
 * uprobe of probe LEADER's event.  SITE_ARG: with the "site=\IDX" argument.
 */
static int make_uprobe(struct ustat_tracefs_probes *tp, int idx, const struct ustat_probe *p,
		       int leader, bool site_arg, char *err, size_t errlen)
{
	char cmd[PATH_MAX + 256], ref[32] = "", arg[48] = "";
	const char *c;
	int ret;

	/* The kernel splits the command at white space: such a path cannot be said. */
	for (c = p->path; *c; c++) {
		if (isspace((unsigned char)*c) || !isprint((unsigned char)*c)) {
			snprintf(err, errlen,
				 "cannot make a uprobe in uprobe_events for a path with spaces or control characters; use --attach cgroup");
			return -EINVAL;
		}
	}
	if (leader >= 0)
		memcpy(tp->names[idx], tp->names[leader], sizeof(tp->names[idx]));
	else
		event_name(tp->names[idx], sizeof(tp->names[idx]), idx, p);
	if (p->ref_ctr_offset)
		snprintf(ref, sizeof(ref), "(%#llx)", (unsigned long long)p->ref_ctr_offset);
	if (site_arg)
		snprintf(arg, sizeof(arg), " " USTAT_TRACEFS_SITE_ARG "=\\%d", idx);
	snprintf(cmd, sizeof(cmd), "%c:%s/%s %s:%#llx%s%s\n", p->spec.is_return ? 'r' : 'p',
		 tp->group, tp->names[idx], p->path, (unsigned long long)p->offset, ref, arg);
	ret = write_command(cmd);
	/* Not appended (the same site twice, an older kernel): an event of its own. */
	if (ret && leader >= 0)
		return make_uprobe(tp, idx, p, -1, site_arg, err, errlen);
	/* A kernel without immediate arguments (before 5.7): the old way, unshared. */
	if (ret == -EINVAL && site_arg)
		return make_uprobe(tp, idx, p, -1, false, err, errlen);
	if (ret) {
		snprintf(err, errlen, "cannot make uprobe '%s' at %s+%#llx in uprobe_events: %s",
			 p->display, p->path, (unsigned long long)p->offset, strerror(-ret));
		return ret;
	}
	tp->nr = idx + 1;
	tp->shared[idx] = site_arg;
	if (leader >= 0) {
		tp->ids[idx] = tp->ids[leader];
		return 0;
	}
	tp->nr_events++;
	ret = ustat_tracefs__event_id(ustat_tracefs__dir(), tp->group, tp->names[idx]);
	if (ret < 0) {
		snprintf(err, errlen, "uprobe '%s' was made but has no id in tracefs",
			 p->display);
		return ret;
	}
	tp->ids[idx] = ret;
	return 0;
}

int ustat_tracefs_probes__create(struct ustat_tracefs_probes *tp,
				 const struct ustat_probe *probes, int nr,
				 char *err, size_t errlen)
{
	int i, ret, leader[2] = { -1, -1 }, in_event[2] = { 0, 0 };
	bool no_share = false;

	memset(tp, 0, sizeof(*tp));
	snprintf(tp->group, sizeof(tp->group), USTAT_TRACEFS_GROUP_PREFIX "%d", getpid());
	tp->names = calloc(nr, sizeof(*tp->names));
	tp->ids = calloc(nr, sizeof(*tp->ids));
	tp->shared = calloc(nr, sizeof(*tp->shared));
	if (!tp->names || !tp->ids || !tp->shared) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < nr; i++) {
		bool share = nr >= USTAT_TRACEFS_SHARE_FROM && !no_share;
		int kind = probes[i].spec.is_return;

		/* Entries and returns cannot share an event: one of each at a time. */
		if (share && (leader[kind] < 0 || in_event[kind] == USTAT_TRACEFS_SHARE_SITES)) {
			leader[kind] = -1;
			in_event[kind] = 0;
		}
		ret = make_uprobe(tp, i, &probes[i], share ? leader[kind] : -1, share,
				  err, errlen);
		if (ret)
			goto fail;
		if (share && !tp->shared[i])
			no_share = true;	/* the kernel took no site argument */
		if (!share || no_share)
			continue;
		if (leader[kind] < 0 || tp->ids[i] != tp->ids[leader[kind]]) {
			leader[kind] = i;
			in_event[kind] = 0;
		}
		in_event[kind]++;
	}
	ustat_debug("uprobe_events: %d uprobes in %d events in group %s", nr, tp->nr_events,
		    tp->group);
	return 0;
fail:
	ustat_tracefs_probes__destroy(tp);
	return ret;
}

bool ustat_tracefs_probes__try_create(struct ustat_tracefs_probes *tp,
				      const struct ustat_probe *probes, int nr,
				      char *why, size_t len)
{
	memset(tp, 0, sizeof(*tp));
	return ustat_tracefs_probes__usable(why, len) &&
	       !ustat_tracefs_probes__create(tp, probes, nr, why, len);
}

void ustat_tracefs_probes__attr(const struct ustat_tracefs_probes *tp, int idx,
				struct perf_event_attr *attr)
{
	attr->type = PERF_TYPE_TRACEPOINT;
	attr->config = tp->ids[idx];
	attr->config1 = 0;	/* the uprobe PMU's path and offset: not a tracepoint's */
	attr->config2 = 0;
}

void ustat_tracefs_probes__destroy(struct ustat_tracefs_probes *tp)
{
	char cmd[96];
	int i = 0;

	/*
	 * The whole group in one write ("-:GROUP/", an empty event name:
	 * every event of the group, since Linux 6.0), one pass under the
	 * kernel's event_mutex: one write a definition took 0.34 s for
	 * 1,000.  Where the kernel does not take it (or an event is still
	 * busy), the names one by one; those already gone say ENOENT.
	 */
	if (tp->nr > 1) {
		snprintf(cmd, sizeof(cmd), "-:%s/\n", tp->group);
		if (!write_command(cmd))
			i = tp->nr;
	}
	for (; i < tp->nr; i++) {
		int ret = remove_event(tp->group, tp->names[i]);

		if (ret && ret != -ENOENT)
			ustat_warn("cannot remove %s/%s from uprobe_events: %s", tp->group,
				   tp->names[i], strerror(-ret));
	}
	free(tp->names);
	free(tp->ids);
	free(tp->shared);
	tp->names = NULL;
	tp->ids = NULL;
	tp->shared = NULL;
	tp->nr = 0;
}

pid_t ustat_tracefs_group__owner(const char *group)
{
	size_t n = strlen(USTAT_TRACEFS_GROUP_PREFIX);
	char *end;
	long pid;

	if (strncmp(group, USTAT_TRACEFS_GROUP_PREFIX, n) || !isdigit((unsigned char)group[n]))
		return 0;
	pid = strtol(group + n, &end, 10);
	if (*end || pid <= 0 || pid > INT_MAX)
		return 0;
	return pid;
}

/*
 * Does PID still run a recorder?  A pid reused by another program is not
 * one: perf and perf-uprobe-stat both have "perf" as the start of comm.
 */
static bool owner_runs(pid_t pid)
{
	char path[64], *comm;
	bool ours;

	if (pid == getpid())
		return true;
	if (kill(pid, 0) && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	comm = ustat_read_file(path, NULL);
	if (!comm)
		return false;
	ours = !strncmp(comm, "perf", 4);
	free(comm);
	return ours;
}

int ustat_tracefs_probes__sweep(void)
{
	char path[PATH_MAX], *text, *line, *save = NULL;
	int removed = 0;

	if (events_path(path, sizeof(path)))
		return 0;
	text = ustat_read_file(path, NULL);
	if (!text)
		return 0;
	/* "p:uprobe_stat_123/p0_work /bin/x:0x1130": group, then name. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *group = strchr(line, ':'), *name, *sp;
		pid_t owner;

		if (!group)
			continue;
		group++;
		name = strchr(group, '/');
		sp = strchr(group, ' ');
		if (!name || !sp || sp < name)
			continue;
		*name++ = '\0';
		*sp = '\0';
		owner = ustat_tracefs_group__owner(group);
		if (!owner || owner_runs(owner))
			continue;
		if (!remove_event(group, name))
			removed++;
	}
	free(text);
	if (removed)
		ustat_info("removed %d uprobe definitions that a killed run left in uprobe_events",
			   removed);
	return removed;
}
