// SPDX-License-Identifier: GPL-2.0
/*
 * What the probe itself adds to a latency measured by -b: the BPF program
 * attached, as entry and return probe, to an empty function of this very
 * binary (bench's functions, one per kind of first instruction: the
 * kernel's nop5, emulated and single-step paths), called many times; the
 * entry-to-return times of an empty function are the probe's own cost.
 * This is the bpf part of the one calibration: explain/calibration.c keeps
 * it, with the cost model's part, in one cache per kernel and boot.
 */
#ifdef HAVE_UPROBE_STAT_BPF
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/bench/bench-workload.h"
#include "util/uprobe-stat/explain/calibration.h"
#include "bpf-int.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/histogram.h"

#define CALIB_WARMUP	2000
#define CALIB_CALLS	20000
/* Bump when the program or the method changes what a calibration means. */
#define CALIB_FORMAT	1

static const enum bench_kind calib_bench[USTAT_BPF_CALIB_NR] = {
	[USTAT_BPF_CALIB_NOP5] = BENCH_NOP5,
	[USTAT_BPF_CALIB_INT3] = BENCH_INT3,
	[USTAT_BPF_CALIB_XOL] = BENCH_XOL,
};

enum ustat_bpf_calib_kind ustat_calib__probe_kind(const char *path, u64 offset)
{
	u8 insn[16];
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = pread(fd, insn, sizeof(insn), offset);
		close(fd);
	}
	return n > 0 ? ustat_bpf_calib__classify(insn, n) : USTAT_BPF_CALIB_XOL;
}

/* The pair's histogram summed over the CPUs the calls ran on. */
static void sum_lat(const struct ustat_bpf *b, struct ustat_hist *h)
{
	u32 cpu;

	ustat_hist__init(h);
	for (cpu = 0; cpu < b->nr_cpus; cpu++)
		ustat_hist__merge(h, (const struct ustat_hist *)&b->lat[cpu]);
}

/* Entry and return on KIND's function, in this process only; the pairs' times. */
static int measure(struct ustat_bpf *b, enum ustat_bpf_calib_kind kind, struct ustat_hist *out)
{
	enum bench_kind bk = calib_bench[kind];
	bench_fn_t fn = bench_workload__fn(bk);
	char kpath[PATH_MAX], path[PATH_MAX], err[256];
	struct ustat_hist *before;
	u64 offset, calls = 0;
	int i, ret;

	if (bench_workload__locate(bk, kpath, sizeof(kpath), path, sizeof(path), &offset,
				   err, sizeof(err)))
		return -ENOENT;
	before = malloc(sizeof(*before));
	if (!before)
		return -ENOMEM;
	ret = ustat_bpf__attach_site(b, 0, 0, false, path, offset, 0, getpid());
	if (!ret)
		ret = ustat_bpf__attach_site(b, 1, 0, true, path, offset, 0, getpid());
	if (ret)
		goto out;
	for (i = 0; i < CALIB_WARMUP; i++)
		fn(&calls);
	sum_lat(b, before);
	for (i = 0; i < CALIB_CALLS; i++)
		fn(&calls);
	sum_lat(b, out);
	/* What the timed calls added: the histogram after less the one before. */
	for (i = 0; i < USTAT_HIST_BUCKETS; i++)
		out->buckets[i] -= before->buckets[i];
	out->count -= before->count;
	out->sum -= before->sum;
	out->min = 0;
	ret = out->count ? 0 : -ENODATA;
out:
	ustat_bpf__detach(b);
	free(before);
	return ret;
}

/* The bpf part of the one calibration (explain/calibration.c measures the rest). */
static int calib_measure(struct ustat_calib *c, void *arg)
{
	struct ustat_bpf_calib *out = arg;
	struct ustat_bpf *b = calloc(1, sizeof(*b));
	struct ustat_hist *h = malloc(sizeof(*h));
	char why[256];
	int k, ret = -ENOMEM;

	if (!b || !h || !bench_workload__supported()) {
		snprintf(out->source, sizeof(out->source), "none (%s)", b && h ?
			 "no calibration functions on this architecture" : "out of memory");
		ret = b && h ? -EOPNOTSUPP : -ENOMEM;
		goto out;
	}
	b->nr_sites = 2;
	b->nr_pairs = 1;
	ret = ustat_bpf__load(b, false, why, sizeof(why));
	if (ret) {
		snprintf(out->source, sizeof(out->source), "none (%.200s)", why);
		goto out;
	}
	for (k = 0; k < USTAT_BPF_CALIB_NR; k++) {
		struct ustat_calib_lat *l = &c->bpf[calib_bench[k]];

		if (measure(b, k, h))
			continue;
		l->have = true;
		l->p50 = ustat_hist__percentile(h, 50);
		l->p10 = ustat_hist__percentile(h, 10);
		l->p90 = ustat_hist__percentile(h, 90);
	}
out:
	free(h);
	ustat_bpf__free(b);
	return ret;
}

void ustat_bpf_calib__get(struct ustat_bpf_calib *c)
{
	struct ustat_calib *cal = calloc(1, sizeof(*cal));
	int k;

	memset(c, 0, sizeof(*c));
	if (!cal) {
		snprintf(c->source, sizeof(c->source), "none (out of memory)");
		return;
	}
	if (!ustat_calib__get_bpf(cal, CALIB_FORMAT, calib_measure, c)) {
		for (k = 0; k < USTAT_BPF_CALIB_NR; k++) {
			const struct ustat_calib_lat *l = &cal->bpf[calib_bench[k]];

			c->valid[k] = l->have;
			c->p50[k] = l->p50;
			c->p10[k] = l->p10;
			c->p90[k] = l->p90;
		}
		snprintf(c->source, sizeof(c->source), "%.250s", cal->bpf_origin);
	}
	free(cal);
	ustat_debug("calibration: %s", c->source);
}
#endif /* HAVE_UPROBE_STAT_BPF */
