// SPDX-License-Identifier: GPL-2.0
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

const struct ustat_input_ops ustat_agg_input_ops = {
	.sample	= agg_sample,
	.lost	= agg_lost,
};

int ustat_agg__attach(struct ustat_agg *agg, struct ustat_input *in)
{
	int ret = ustat_agg__init(agg, ustat_input__infos(in));

	if (ret)
		return ret;
	ustat_agg__init_kevents(agg, in);
	return ustat_input__begin(in, &ustat_agg_input_ops, agg);
}
