// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "util/uprobe-stat/util/debug.h"

#define CGROUP_PREFIX "uprobe-stat."

/*
 * Where the perf_event controller lives: a cgroup v1 hierarchy mounted
 * with it, or else the v2 hierarchy (where it is always enabled).
 * MNT gets the mount point, REL our cgroup's path inside it.
 */
static int find_hierarchy(char *mnt, size_t mlen, char *rel, size_t rlen)
{
	char line[PATH_MAX * 2], v2mnt[PATH_MAX] = "", v1mnt[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool v1 = false;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char mp[PATH_MAX], *sep = strstr(line, " - ");
		char fstype[64], src[256], opts[512];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(sep + 3, "%63s %255s %511s", fstype, src, opts) != 3)
			continue;
		if (!strcmp(fstype, "cgroup2") && !v2mnt[0])
			snprintf(v2mnt, sizeof(v2mnt), "%s", mp);
		else if (!strcmp(fstype, "cgroup") && strstr(opts, "perf_event"))
			snprintf(v1mnt, sizeof(v1mnt), "%s", mp);
	}
	fclose(f);
	if (v1mnt[0]) {
		v1 = true;
		snprintf(mnt, mlen, "%s", v1mnt);
	} else if (v2mnt[0]) {
		snprintf(mnt, mlen, "%s", v2mnt);
	} else {
		return -ENOENT;
	}

	/* Our own cgroup: "0::/path" (v2) or "N:...perf_event...:/path" (v1). */
	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return -errno;
	snprintf(rel, rlen, "/");
	while (fgets(line, sizeof(line), f)) {
		char *c1, *c2;

		line[strcspn(line, "\n")] = '\0';
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		*c1 = '\0';
		/* line: hierarchy id, c1 + 1: controllers, c2 + 1: path */
		if ((!v1 && !strcmp(line, "0") && !c1[1]) ||
		    (v1 && strstr(c1 + 1, "perf_event"))) {
			snprintf(rel, rlen, "%s", c2 + 1);
			break;
		}
	}
	fclose(f);
	return 0;
}

/* Remove empty cgroups that earlier runs left when they were killed. */
static void remove_stale(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		char path[PATH_MAX];
		long owner;

		if (strncmp(d->d_name, CGROUP_PREFIX, strlen(CGROUP_PREFIX)))
			continue;
		owner = strtol(d->d_name + strlen(CGROUP_PREFIX), NULL, 10);
		if (owner > 0 && !kill(owner, 0))
			continue;	/* its recorder still runs */
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		rmdir(path);		/* fails, harmlessly, if not empty */
	}
	closedir(dp);
}

static int try_create(struct ustat_cgroup *cg, const char *parent)
{
	snprintf(cg->path, sizeof(cg->path), "%s/" CGROUP_PREFIX "%d", parent, getpid());
	if (mkdir(cg->path, 0755) && errno != EEXIST)
		return -errno;
	cg->fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->fd < 0) {
		int e = errno;

		rmdir(cg->path);
		return -e;
	}
	return 0;
}

int ustat_cgroup__create(struct ustat_cgroup *cg, char *err, size_t errlen)
{
	char mnt[PATH_MAX], rel[PATH_MAX], parent[PATH_MAX * 2];
	int ret;

	cg->fd = -1;
	cg->path[0] = '\0';
	ret = find_hierarchy(mnt, sizeof(mnt), rel, sizeof(rel));
	if (ret) {
		snprintf(err, errlen,
			 "no cgroup hierarchy with the perf_event controller is mounted");
		return ret;
	}
	snprintf(parent, sizeof(parent), "%s%s", mnt, strcmp(rel, "/") ? rel : "");
	remove_stale(parent);
	ret = try_create(cg, parent);
	if (ret) {
		/* Not allowed below our own cgroup: use the hierarchy's root. */
		remove_stale(mnt);
		ret = try_create(cg, mnt);
	}
	if (ret)
		snprintf(err, errlen, "cannot create a cgroup in %s: %s", parent, strerror(-ret));
	return ret;
}

void ustat_cgroup__sweep(void)
{
	char mnt[PATH_MAX], rel[PATH_MAX], parent[PATH_MAX * 2];

	if (find_hierarchy(mnt, sizeof(mnt), rel, sizeof(rel)))
		return;
	snprintf(parent, sizeof(parent), "%s%s", mnt, strcmp(rel, "/") ? rel : "");
	remove_stale(parent);
	remove_stale(mnt);
}

int ustat_cgroup__attach(struct ustat_cgroup *cg, pid_t pid, char *err, size_t errlen)
{
	char procs[PATH_MAX + 16];
	int fd, n;
	char buf[32];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->path);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", procs, strerror(errno));
		return -errno;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", pid);
	if (write(fd, buf, n) != n) {
		int e = errno;

		close(fd);
		snprintf(err, errlen, "cannot move pid %d into %s: %s", pid, cg->path, strerror(e));
		return -e;
	}
	close(fd);
	return 0;
}

void ustat_cgroup__destroy(struct ustat_cgroup *cg)
{
	if (cg->fd >= 0)
		close(cg->fd);
	cg->fd = -1;
	if (cg->path[0] && rmdir(cg->path) && errno != ENOENT)
		ustat_warn("cgroup %s still holds processes of the command: left in place",
			   cg->path);
	cg->path[0] = '\0';
}
