/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_LIST_KERNEL_H
#define __USTAT_LIST_KERNEL_H

#include <stdio.h>

#include "util/uprobe-stat/core/kevents.h"
#include "util/uprobe-stat/standalone/uprobe-pmu.h"

/*
 * What this kernel offers uprobe-stat (list --kernel): the uprobe PMU and
 * its format bits, whether its events can be inherited, the tracepoints
 * of the kernel signals, and PROCMAP_QUERY.  Found by looking, printed
 * with what gives each missing piece.  Discovery and printing are apart so
 * that the printing can be tested with made-up kernels.
 */
struct ustat_kernel_caps {
	char			release[128];
	int			pmu_ret;	/* 0: the uprobe PMU is there, else -errno */
	struct ustat_uprobe_pmu	pmu;
	char			retprobe_fmt[64];	/* sysfs format text, "" if absent */
	char			ref_ctr_fmt[64];
	int			inherit;	/* 1 works, 0 breaks the target, -errno: untested */
	bool			tracefs_readable;
	struct ustat_kevents	sig;		/* tracefs, tracepoint ids, PROCMAP_QUERY */
};

void ustat_kernel_caps__discover(struct ustat_kernel_caps *c);
/* Print C; returns how many pieces are missing. */
int ustat_kernel_caps__print(const struct ustat_kernel_caps *c, FILE *out);

#endif /* __USTAT_LIST_KERNEL_H */
