// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/uprobe-stat/util/debug.h"
#include "elf-symbols.h"
#include "target-file.h"

struct mapped {
	unsigned long long	start;
	unsigned long long	end;
	dev_t			dev;
	ino_t			ino;
	bool			deleted;
	char			path[PATH_MAX];
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "start-end perms offset maj:min inode   path", a file mapping or nothing. */
static bool parse_map(char *line, struct mapped *m)
{
	unsigned int maj, min;
	unsigned long ino;
	size_t n;
	int at = 0;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%llx-%llx %*s %*x %x:%x %lu %n", &m->start, &m->end, &maj, &min,
		   &ino, &at) != 5 || !at || line[at] != '/')
		return false;
	m->dev = makedev(maj, min);
	m->ino = ino;
	snprintf(m->path, sizeof(m->path), "%s", line + at);
	n = strlen(m->path);
	m->deleted = n > 10 && !strcmp(m->path + n - 10, " (deleted)");
	if (m->deleted)
		m->path[n - 10] = '\0';
	return true;
}

enum match {
	BY_INODE,	/* the file with this device and inode */
	BY_PATH,	/* mapped from this path, whatever is there now */
	BY_NAME,	/* a file of this name, anywhere */
};

static int find_mapping(pid_t pid, enum match how, const char *key, const struct stat *st,
			struct mapped *m)
{
	char path[64], line[PATH_MAX + 128];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (!parse_map(line, m))
			continue;
		switch (how) {
		case BY_INODE:
			/* The device of an overlay or btrfs file may read otherwise. */
			if (m->ino == st->st_ino && !m->deleted)
				ret = 0;
			break;
		case BY_PATH:
			if (!strcmp(m->path, key))
				ret = 0;
			break;
		case BY_NAME:
		default:
			if (!strcmp(base_name(m->path), key))
				ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static bool same_mount_ns(pid_t pid)
{
	char a[64], b[64], path[64];
	ssize_t n, k;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	n = readlink("/proc/self/ns/mnt", a, sizeof(a) - 1);
	k = readlink(path, b, sizeof(b) - 1);
	if (n <= 0 || k <= 0)
		return true;	/* cannot tell: no namespaces here */
	a[n] = '\0';
	b[k] = '\0';
	return !strcmp(a, b);
}

/* /proc/N/exe, /proc/N/map_files/S-E or /proc/N/root/...: already the target's file. */
static bool proc_link(const char *name)
{
	const char *p = name + 6;

	if (strncmp(name, "/proc/", 6) || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return !strcmp(p, "/exe") || !strncmp(p, "/map_files/", 11) || !strncmp(p, "/root/", 6);
}

/* What to tell the user to probe instead: the exe link, or the mapping's. */
static void mapped_link(pid_t pid, const struct mapped *m, char *buf, size_t len)
{
	char exe[64];
	struct stat a, b;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
	snprintf(buf, len, "/proc/%d/map_files/%llx-%llx", pid, m->start, m->end);
	if (!stat(exe, &a) && !stat(buf, &b) && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		snprintf(buf, len, "%s", exe);
	else if (stat(buf, &b))
		snprintf(buf, len, "/proc/%d/exe", pid);
}

static int check_regular(const char *path, const char *name, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot find binary '%s': %s", name, strerror(errno));
		return -ENOENT;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "binary '%s' is not a regular file", name);
		return -EINVAL;
	}
	return 0;
}

int ustat_target_file__resolve(pid_t pid, const char *name, char *out, size_t len,
			       char *err, size_t errlen)
{
	bool same_ns = same_mount_ns(pid);
	char cand[PATH_MAX], canon[PATH_MAX], link[96];
	struct mapped m;
	struct stat st;

	if (proc_link(name)) {
		if (check_regular(name, name, err, errlen))
			return -ENOENT;
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (!strchr(name, '/')) {
		/* A bare file name: the library or program of that name PID maps. */
		bool mapped = !find_mapping(pid, BY_NAME, name, NULL, &m);

		if (!mapped && same_ns)
			return ustat_binary__resolve(name, out, len, err, errlen);
		if (!mapped) {
			snprintf(err, errlen,
				 "pid %d (in another mount namespace) maps no '%s': give its path as pid %d sees it",
				 pid, name, pid);
			return -ENOENT;
		}
		if (m.deleted) {
			mapped_link(pid, &m, link, sizeof(link));
			snprintf(err, errlen,
				 "'%s' (%s) was deleted or replaced since pid %d mapped it; probe %s",
				 name, m.path, pid, link);
			return -ESTALE;
		}
		if (same_ns)
			snprintf(cand, sizeof(cand), "%s", m.path);
		else
			snprintf(cand, sizeof(cand), "/proc/%d/root%.4000s", pid, m.path);
	} else if (name[0] != '/') {
		if (!same_ns) {
			snprintf(err, errlen,
				 "'%s': pid %d is in another mount namespace; give an absolute path as it sees it",
				 name, pid);
			return -EINVAL;
		}
		snprintf(cand, sizeof(cand), "%s", name);
	} else if (same_ns) {
		snprintf(cand, sizeof(cand), "%s", name);
	} else {
		snprintf(cand, sizeof(cand), "/proc/%d/root%.4000s", pid, name);
	}
	if (check_regular(cand, name, err, errlen))
		return -ENOENT;
	stat(cand, &st);
	if (same_ns && realpath(cand, canon))
		snprintf(cand, sizeof(cand), "%s", canon);
	if (!find_mapping(pid, BY_INODE, NULL, &st, &m)) {
		snprintf(out, len, "%s", cand);
		return 0;
	}
	/* Not mapped: replaced since PID mapped it, or simply not (yet) used. */
	if (!find_mapping(pid, BY_PATH, same_ns ? cand : name, NULL, &m)) {
		mapped_link(pid, &m, link, sizeof(link));
		snprintf(err, errlen, "'%s' was replaced since pid %d mapped it; probe %s",
			 name, pid, link);
		return -ESTALE;
	}
	ustat_warn("pid %d does not map '%s' now: its hits count once it does", pid, name);
	snprintf(out, len, "%s", cand);
	return 0;
}

int ustat_target_file__exe(pid_t pid, char *out, size_t len)
{
	char link[64], path[PATH_MAX];
	struct stat a, b;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return -ENOENT;
	path[n] = '\0';
	/* Deleted, replaced or elsewhere: the link itself leads to the inode. */
	if (!same_mount_ns(pid) || stat(path, &a) || stat(link, &b) ||
	    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		snprintf(out, len, "%s", link);
		return 0;
	}
	snprintf(out, len, "%s", path);
	return 0;
}
