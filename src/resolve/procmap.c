// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#include "procmap.h"

int ustat_procmap__parse_line(const char *line, struct ustat_vma *vma)
{
	unsigned long long start, end, off;
	int n = 0;

	if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &start, &end, &off, &n) < 3 || !n)
		return -EINVAL;
	vma->start = start;
	vma->end = end;
	vma->offset = off;
	snprintf(vma->path, sizeof(vma->path), "%s", line + n);
	vma->path[strcspn(vma->path, "\n")] = '\0';
	return 0;
}

static int query_text(pid_t pid, u64 addr, struct ustat_vma *vma)
{
	char path[64], line[PATH_MAX + 128];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!ustat_procmap__parse_line(line, vma) && addr >= vma->start &&
		    addr < vma->end) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int ustat_procmap__query(pid_t pid, u64 addr, struct ustat_vma *vma, bool *via_ioctl)
{
	struct procmap_query q;
	char path[64];
	int fd, ret;

	*via_ioctl = false;
	memset(vma, 0, sizeof(*vma));
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.query_addr = addr;
	q.vma_name_size = sizeof(vma->path);
	q.vma_name_addr = (unsigned long)vma->path;
	ret = ioctl(fd, PROCMAP_QUERY, &q);
	close(fd);
	if (!ret) {
		*via_ioctl = true;
		vma->start = q.vma_start;
		vma->end = q.vma_end;
		vma->offset = q.vma_offset;
		if (!q.vma_name_size)
			vma->path[0] = '\0';
		return 0;
	}
	if (errno == ENOENT)
		return -ENOENT;
	/* ENOTTY: a kernel before 6.11.  Anything else: try the text too. */
	return query_text(pid, addr, vma);
}
