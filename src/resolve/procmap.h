/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROCMAP_H
#define __USTAT_PROCMAP_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>

/*
 * Which file, and where in it, an address of a process maps.  The
 * PROCMAP_QUERY ioctl on /proc/PID/maps (Linux 6.11+) looks one VMA up
 * under the per-VMA lock, so asking does not stall the target's page
 * faults behind mmap_lock (seed 001); where the kernel lacks it, the
 * maps text is read instead.
 */
struct ustat_vma {
	u64	start;
	u64	end;
	u64	offset;			/* file offset of start */
	char	path[PATH_MAX];		/* "" for anonymous memory */
};

/* Look ADDR up in PID; -ENOENT when nothing maps it.  *VIA_IOCTL says how. */
int ustat_procmap__query(pid_t pid, u64 addr, struct ustat_vma *vma, bool *via_ioctl);

/* Parse one line of /proc/PID/maps (exposed for tests). */
int ustat_procmap__parse_line(const char *line, struct ustat_vma *vma);

#endif /* __USTAT_PROCMAP_H */
