/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_UPROBE_PMU_H
#define __USTAT_UPROBE_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <linux/types.h>

/*
 * The uprobe PMU (/sys/bus/event_source/devices/uprobe): perf_event_open()
 * with its dynamic type creates a uprobe that lives exactly as long as the
 * file descriptor, so nothing is left in tracefs if the tool dies.
 * config1 carries the path, config2 the file offset; the retprobe flag and
 * the USDT semaphore offset sit in config at the bits named by format/.
 */
struct ustat_uprobe_pmu {
	int	type;
	int	retprobe_bit;		/* format/retprobe: "config:N" */
	int	ref_ctr_shift;		/* format/ref_ctr_offset: "config:N-M", -1 if absent */
};

/* Read the PMU from DIR (NULL: the system's sysfs). */
int ustat_uprobe_pmu__read(struct ustat_uprobe_pmu *pmu, const char *dir,
			   char *err, size_t errlen);

void ustat_uprobe_pmu__init_attr(const struct ustat_uprobe_pmu *pmu,
				 struct perf_event_attr *attr, const char *path,
				 u64 offset, bool retprobe, u64 ref_ctr_offset);

/* Parse a sysfs format line such as "config:0" or "config:32-63". */
int ustat_pmu_format__parse(const char *text, int *lo, int *hi);

/* /proc/sys/kernel/perf_event_paranoid, 2 (Debian's default) when unreadable. */
int ustat_perf_event_paranoid(void);

#endif /* __USTAT_UPROBE_PMU_H */
