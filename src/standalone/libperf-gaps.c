// SPDX-License-Identifier: GPL-2.0
/*
 * libperf keeps an evsel's file descriptors and ids to itself: the public
 * API has no call for an event's fd or kernel id, none that opens a cgroup
 * event or adopts an fd, and in 6.12 none that frees what perf_evlist__mmap()
 * allocates for ids.  What the recorder needs of them is done here with
 * public calls and the perf_event_open(2) interface:
 *  - an event's id is read with PERF_FORMAT_ID (perf_evsel__read());
 *  - an event's fd is found by its id: this process's perf event fds are
 *    listed in /proc/self/fd and asked theirs (PERF_EVENT_IOC_ID).
 * Each use says what public call would make it unnecessary.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "util/uprobe-stat/util/u64-map.h"
#include "libperf-gaps.h"

static u64 event_id(struct perf_evsel *evsel, int idx, int thread)
{
	struct perf_counts_values v;

	memset(&v, 0, sizeof(v));
	if (!(perf_evsel__attr(evsel)->read_format & PERF_FORMAT_ID) ||
	    perf_evsel__read(evsel, idx, thread, &v))
		return 0;
	return v.id;
}

int ustat_evsel__ids(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
		     struct perf_thread_map *threads, u64 **ids, u32 *nr)
{
	int idx, t, nr_cpus = perf_cpu_map__nr(cpus), nr_threads = perf_thread_map__nr(threads);
	u64 id;

	*nr = 0;
	*ids = calloc((size_t)nr_cpus * nr_threads + 1, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	/* A task that has exited has no event left to read: its records are all in. */
	for (idx = 0; idx < nr_cpus; idx++) {
		for (t = 0; t < nr_threads; t++) {
			id = event_id(evsel, idx, t);
			if (id)
				(*ids)[(*nr)++] = id;
		}
	}
	return 0;
}

/* id -> fd + 1 of every perf event fd of this process. */
static int perf_fds(struct ustat_map *fds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int ret = 0;

	ustat_map__init(fds);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d)) != NULL) {
		char path[64], link[64];
		int fd = atoi(de->d_name);
		ssize_t n;
		u64 id;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:[perf_event]") ||
		    ioctl(fd, PERF_EVENT_IOC_ID, &id))
			continue;
		ret = ustat_map__put_num(fds, id, (u64)fd + 1);
	}
	closedir(d);
	if (ret)
		ustat_map__exit(fds);
	return ret;
}

static int fd_of(const struct ustat_map *fds, struct perf_evsel *evsel, int idx, int thread)
{
	u64 id = event_id(evsel, idx, thread);

	return id ? (int)ustat_map__get_num(fds, id) - 1 : -1;
}

static int set_filter(const struct ustat_map *fds, struct perf_evsel *evsel,
		      struct perf_cpu_map *cpus, struct perf_thread_map *threads,
		      const char *filter)
{
	int nr_cpus = perf_cpu_map__nr(cpus), nr_threads = perf_thread_map__nr(threads);
	int idx, t, fd, ret = 0, done = 0;

	/* perf_cpu_map__nr() is int in libperf 6.12, unsigned in 7.2: compared as int */
	for (idx = 0; !ret && idx < nr_cpus; idx++) {
		for (t = 0; !ret && t < nr_threads; t++) {
			fd = fd_of(fds, evsel, idx, t);
			if (fd < 0)
				continue;
			if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter))
				ret = -errno;
			done++;
		}
	}
	return ret ? ret : done ? 0 : -ENOENT;
}

int ustat_evsels__set_filters(struct perf_evsel **evsels, const char *const *filters, int nr,
			      struct perf_cpu_map *cpus, struct perf_thread_map *threads,
			      int *failed)
{
	struct ustat_map fds;
	int i, ret;

	/* One look at the fds for all: per evsel, 1,000 probes read 1,000 links 1,000 times. */
	ret = perf_fds(&fds);
	if (ret)
		return ret;
	for (i = 0; !ret && i < nr; i++) {
		if (filters[i])
			ret = set_filter(&fds, evsels[i], cpus, threads, filters[i]);
		if (ret)
			*failed = i;
	}
	ustat_map__exit(&fds);
	return ret;
}

int ustat_evsel__set_filter(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
			    struct perf_thread_map *threads, const char *filter)
{
	int failed;

	return ustat_evsels__set_filters(&evsel, &filter, 1, cpus, threads, &failed);
}

/*
 * perf_evsel__open() passes no flags, so it cannot open a cgroup event:
 * it opens a disabled dummy software event in each slot, which is then
 * replaced (dup3()) by the cgroup event on the same CPU.  A dummy counts
 * nothing and, unlike the uprobe it stands for, traps nobody.
 */
int ustat_evsel__open_cgroup(struct perf_evsel *evsel, struct perf_cpu_map *cpus,
			     int cgroup_fd)
{
	struct perf_event_attr *attr = perf_evsel__attr(evsel), real = *attr;
	int idx, nr = perf_cpu_map__nr(cpus), ret, *slots;
	struct perf_thread_map *one;
	struct ustat_map fds;

	slots = calloc(nr, sizeof(*slots));
	one = perf_thread_map__new_dummy();
	if (!slots || !one) {
		ret = -ENOMEM;
		goto out;
	}
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_DUMMY;
	attr->read_format = PERF_FORMAT_ID;
	attr->disabled = 1;
	ret = perf_evsel__open(evsel, cpus, one);
	if (!ret)
		ret = perf_fds(&fds);
	if (!ret) {
		for (idx = 0; idx < nr; idx++) {
			slots[idx] = fd_of(&fds, evsel, idx, 0);
			if (slots[idx] < 0)
				ret = -ENOENT;
		}
		ustat_map__exit(&fds);
	}
	*attr = real;
	for (idx = 0; !ret && idx < nr; idx++) {
		int cpu = perf_cpu_map__cpu(cpus, idx).cpu;
		int fd = syscall(__NR_perf_event_open, attr, cgroup_fd, cpu, -1,
				 PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC);

		if (fd < 0) {
			ret = -errno;
			break;
		}
		if (dup3(fd, slots[idx], O_CLOEXEC) < 0)
			ret = -errno;
		close(fd);
	}
out:
	perf_thread_map__put(one);
	free(slots);
	return ret;
}

/*
 * With PERF_FORMAT_ID, perf_evlist__mmap() records each event's id in
 * tables that only the private perf_evsel__free_id() frees (perf_evsel__
 * delete() does not in 6.12; in 7.2 it asserts they are gone).  The
 * recorder reads the ids itself: the evsels are mapped without the flag.
 */
int ustat_evlist__mmap(struct perf_evlist *evlist, int pages)
{
	struct perf_evsel *evsel;
	int nr = 0, i = 0, ret;
	bool *had;

	perf_evlist__for_each_evsel(evlist, evsel)
		nr++;
	had = calloc(nr + 1, sizeof(*had));
	if (!had)
		return -ENOMEM;
	perf_evlist__for_each_evsel(evlist, evsel) {
		struct perf_event_attr *attr = perf_evsel__attr(evsel);

		had[i++] = attr->read_format & PERF_FORMAT_ID;
		attr->read_format &= ~(u64)PERF_FORMAT_ID;
	}
	ret = perf_evlist__mmap(evlist, pages);
	i = 0;
	perf_evlist__for_each_evsel(evlist, evsel)
		if (had[i++])
			perf_evsel__attr(evsel)->read_format |= PERF_FORMAT_ID;
	free(had);
	return ret;
}

/* Setting no maps makes each evsel put the ones it holds. */
void ustat_evlist__drop_maps(struct perf_evlist *evlist)
{
	perf_evlist__set_maps(evlist, NULL, NULL);
}

void ustat_evsel__drop_maps(struct perf_evsel *evsel)
{
	struct perf_evlist *tmp = perf_evlist__new();

	if (!tmp)
		return;
	perf_evlist__add(tmp, evsel);
	perf_evlist__set_maps(tmp, NULL, NULL);
	perf_evlist__remove(tmp, evsel);
	perf_evlist__delete(tmp);
}

int ustat_ring_buffers__check(int nr, unsigned long pages, unsigned long *found)
{
	unsigned long page = sysconf(_SC_PAGESIZE), want = (pages + 1) * page;
	unsigned long start, end;
	char line[512];
	int seen = 0, ret = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	*found = 0;
	if (!f)
		return 0;	/* nothing to say against them */
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "[perf_event]") || sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		if (end - start != want) {
			*found = (end - start) - page;
			ret = -EIO;
		}
		seen++;
	}
	fclose(f);
	return ret ? ret : seen >= nr ? 0 : -EIO;
}
