// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <perf/event.h>

#include "sample-parse.h"
#include "synthesize.h"

/* Room for the largest record we build: an MMAP2 with a full path. */
union synth_buf {
	struct perf_record_comm		comm;
	struct perf_record_mmap2	mmap2;
	char				bytes[sizeof(struct perf_record_mmap2) + PATH_MAX + 64];
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Append the sample_id trailer and emit. */
static int emit(union synth_buf *b, size_t len, const struct perf_event_attr *attr,
		pid_t pid, pid_t tid, u64 id, ustat_synth_out out, void *ctx)
{
	struct ustat_sample s = { .id = id, .pid = pid, .tid = tid, .cpu = 0, .time = 0 };
	size_t idlen;

	len = align8(len);
	idlen = ustat_sample__write_id(attr, &s, (u64 *)(b->bytes + len));
	len += idlen;
	b->comm.header.size = len;
	return out(ctx, b, len);
}

static int synth_comm(pid_t pid, pid_t tid, const struct perf_event_attr *attr, u64 id,
		      ustat_synth_out out, void *ctx)
{
	union synth_buf b;
	char path[64], name[32] = "";
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return 0;	/* the thread is gone: nothing to name */
	if (!fgets(name, sizeof(name), f))
		name[0] = '\0';
	fclose(f);
	name[strcspn(name, "\n")] = '\0';

	memset(&b, 0, sizeof(b));
	b.comm.header.type = PERF_RECORD_COMM;
	b.comm.pid = pid;
	b.comm.tid = tid;
	len = offsetof(struct perf_record_comm, comm) + strlen(name) + 1;
	memcpy(b.comm.comm, name, strlen(name) + 1);
	return emit(&b, len, attr, pid, tid, id, out, ctx);
}

static int synth_maps(pid_t pid, const struct perf_event_attr *attr, u64 id,
		      ustat_synth_out out, void *ctx)
{
	char path[64], line[PATH_MAX + 256];
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f)) {
		unsigned long long start, end, pgoff, ino;
		unsigned int maj, min;
		char perms[8], file[PATH_MAX];
		union synth_buf b;
		size_t len;
		int n;

		file[0] = '\0';
		n = sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %4095[^\n]", &start, &end,
			   perms, &pgoff, &maj, &min, &ino, file);
		/* Only executable file mappings carry probes and symbols. */
		if (n < 8 || perms[2] != 'x' || file[0] != '/')
			continue;
		memset(&b, 0, sizeof(b));
		b.mmap2.header.type = PERF_RECORD_MMAP2;
		b.mmap2.header.misc = PERF_RECORD_MISC_USER;
		b.mmap2.pid = pid;
		b.mmap2.tid = pid;
		b.mmap2.start = start;
		b.mmap2.len = end - start;
		b.mmap2.pgoff = pgoff;
		b.mmap2.maj = maj;
		b.mmap2.min = min;
		b.mmap2.ino = ino;
		b.mmap2.prot = PROT_READ | PROT_EXEC | (perms[1] == 'w' ? PROT_WRITE : 0);
		b.mmap2.flags = perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
		snprintf(b.mmap2.filename, PATH_MAX, "%s", file);
		len = offsetof(struct perf_record_mmap2, filename) + strlen(file) + 1;
		ret = emit(&b, len, attr, pid, pid, id, out, ctx);
	}
	fclose(f);
	return ret;
}

int ustat_synth__process(pid_t pid, const struct perf_event_attr *attr, u64 id,
			 ustat_synth_out out, void *ctx)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (!ret && (d = readdir(dir)) != NULL) {
		long tid = strtol(d->d_name, NULL, 10);

		if (tid > 0)
			ret = synth_comm(pid, tid, attr, id, out, ctx);
	}
	closedir(dir);
	return ret ? ret : synth_maps(pid, attr, id, out, ctx);
}

int ustat_synth__all(const struct perf_event_attr *attr, u64 id,
		     ustat_synth_out out, void *ctx)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int ret = 0;

	if (!dir)
		return -errno;
	while (!ret && (d = readdir(dir)) != NULL) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (!*end && pid > 0)
			ret = ustat_synth__process(pid, attr, id, out, ctx);
	}
	closedir(dir);
	return ret;
}
