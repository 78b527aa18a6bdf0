// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of a hit needs, at report time, what only the recording
 * machine knows: the path each site's instruction takes in its kernel,
 * and the calibration of those paths.  Both go into the file's metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util/uprobe-stat/explain/calibration.h"
#include "cost-meta.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/explain/hit-path.h"
#include "util/uprobe-stat/resolve/probe-resolve.h"

int ustat_cost_meta__probe(struct ustat_meta_buf *m, const struct ustat_probe *p)
{
	struct ustat_hit_kernel k;
	struct ustat_hit_site s;

	ustat_hit_kernel__probe(&k);
	if (ustat_hit_path__classify_file(&k, p->path, p->offset, &s))
		return 0;
	return ustat_meta__add(m, "hit_path", ustat_hit_path__name(s.path));
}

static unsigned long long self_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

int ustat_cost_meta__calibration(bool may_run, char **out)
{
	/* The recorder's own CPU, before any calibration adds to it. */
	unsigned long long tool_ns = self_cpu_ns();
	struct ustat_calib c;
	struct ustat_meta_buf m = { 0 };
	char err[256];

	*out = NULL;
	if (ustat_calib__get(&c, may_run, err, sizeof(err))) {
		ustat_debug("no calibration for the cost of a hit: %s", err);
		return 0;
	}
	if (ustat_calib__to_meta_buf(&c, &m) || ustat_meta__add_u64(&m, "tool_cpu_ns", tool_ns)) {
		ustat_meta__free(&m);
		return -ENOMEM;
	}
	*out = m.s;
	return 0;
}
