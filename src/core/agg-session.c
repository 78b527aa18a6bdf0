// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/compiler.h>

#include "agg-session.h"

static int agg_sample(void *ctx, int idx, const struct ustat_sample *s)
{
	return ustat_agg__add(ctx, idx, s);
}

static int agg_lost(void *ctx, u32 cpu, u64 nr, u64 time __maybe_unused)
{
	ustat_agg__lost(ctx, cpu, nr);
	return 0;
}

/* A counter's running total: what it counted since its last value is new. */
static int agg_count(void *ctx, int idx, u32 cpu, u32 thread, u64 value)
{
	struct ustat_agg *agg = ctx;
	u64 key = ((u64)idx << 40) | ((u64)(cpu & 0xffff) << 24) | (thread & 0xffffff);
	u64 seen = ustat_map__get_num(&agg->count_seen, key);
	int ret;

	if (value <= seen)
		return 0;
	ret = ustat_agg__add_hits(agg, idx, cpu, value - seen);
	if (ret == -EINVAL)
		return 0;	/* not a probe: skipped */
	if (!ret) {
		agg->counted += value - seen;
		agg->probes[idx].site_counted += value - seen;
	}
	return ret ? ret : ustat_map__put_num(&agg->count_seen, key, value);
}

static int agg_mmap(void *ctx, u32 pid, u64 start, u64 len, u64 pgoff, const char *filename)
{
	struct ustat_agg *agg = ctx;

	return agg->cc ? ustat_callchains__mmap(agg->cc, pid, start, len, pgoff, filename) : 0;
}

static int agg_fork(void *ctx, u32 pid, u32 ppid)
{
	struct ustat_agg *agg = ctx;

	return agg->cc ? ustat_callchains__fork(agg->cc, pid, ppid) : 0;
}

const struct ustat_input_ops ustat_agg_input_ops = {
	.sample	= agg_sample,
	.lost	= agg_lost,
	.count	= agg_count,
	.mmap	= agg_mmap,
	.fork	= agg_fork,
};

int ustat_agg__attach(struct ustat_agg *agg, struct ustat_input *in)
{
	int ret = ustat_agg__init(agg, ustat_input__infos(in));

	if (ret)
		return ret;
	ustat_agg__init_kevents(agg, in);
	return ustat_input__begin(in, &ustat_agg_input_ops, agg);
}
