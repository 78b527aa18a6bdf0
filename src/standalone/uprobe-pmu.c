// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <api/fs/fs.h>

#include "util/uprobe-stat/util/file-util.h"
#include "uprobe-pmu.h"

/* A decimal number of at most two digits, no sign, no space; -1 if none. */
static int bit_number(const char **p)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)**p) && n < 3) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n && n < 3 ? v : -1;
}

int ustat_pmu_format__parse(const char *text, int *lo, int *hi)
{
	const char *p = text;
	int a, b;

	if (strncmp(p, "config:", 7))
		return -EINVAL;
	p += 7;
	a = bit_number(&p);
	b = a;
	if (*p == '-') {
		p++;
		b = bit_number(&p);
	}
	/* The field must be all there is on the line. */
	if (a < 0 || b < 0 || (*p && strcmp(p, "\n")))
		return -EINVAL;
	if (a < 0 || b > 63 || a > b)
		return -EINVAL;
	*lo = a;
	*hi = b;
	return 0;
}

static int read_format(const char *dir, const char *name, int *lo, int *hi)
{
	char path[PATH_MAX];
	char *buf;
	int ret;

	if (snprintf(path, sizeof(path), "%s/format/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	buf = ustat_read_file(path, NULL);
	if (!buf)
		return -ENOENT;
	ret = ustat_pmu_format__parse(buf, lo, hi);
	free(buf);
	return ret;
}

int ustat_uprobe_pmu__read(struct ustat_uprobe_pmu *pmu, const char *dir,
			   char *err, size_t errlen)
{
	char path[PATH_MAX], sysdir[PATH_MAX];
	int lo, hi;

	if (!dir) {
		const char *sysfs = sysfs__mountpoint();

		if (!sysfs) {
			snprintf(err, errlen, "sysfs is not mounted: cannot find the uprobe PMU");
			return -ENOENT;
		}
		snprintf(sysdir, sizeof(sysdir), "%.3500s/bus/event_source/devices/uprobe", sysfs);
		dir = sysdir;
	}
	if (snprintf(path, sizeof(path), "%s/type", dir) >= (int)sizeof(path) ||
	    filename__read_int(path, &pmu->type)) {
		snprintf(err, errlen,
			 "this kernel has no uprobe PMU (%s missing): it needs CONFIG_UPROBE_EVENTS and Linux 4.17 or later",
			 path);
		return -ENOENT;
	}
	if (read_format(dir, "retprobe", &lo, &hi) || lo != hi) {
		snprintf(err, errlen, "cannot read the uprobe PMU's format/retprobe in %s", dir);
		return -EINVAL;
	}
	pmu->retprobe_bit = lo;
	pmu->ref_ctr_shift = -1;
	if (!read_format(dir, "ref_ctr_offset", &lo, &hi))
		pmu->ref_ctr_shift = lo;
	return 0;
}

void ustat_uprobe_pmu__init_attr(const struct ustat_uprobe_pmu *pmu,
				 struct perf_event_attr *attr, const char *path,
				 u64 offset, bool retprobe, u64 ref_ctr_offset)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = pmu->type;
	if (retprobe)
		attr->config |= 1ULL << pmu->retprobe_bit;
	if (ref_ctr_offset && pmu->ref_ctr_shift >= 0)
		attr->config |= ref_ctr_offset << pmu->ref_ctr_shift;
	attr->config1 = (u64)(unsigned long)path;	/* uprobe_path */
	attr->config2 = offset;				/* probe_offset */
}

int ustat_perf_event_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int paranoid = 2;

	if (f) {
		if (fscanf(f, "%d", &paranoid) != 1)
			paranoid = 2;
		fclose(f);
	}
	return paranoid;
}
