// SPDX-License-Identifier: GPL-2.0
#include <linux/compiler.h>

#include "agg-session.h"

static int agg_sample(void *ctx, struct ustat_evsel *evsel, const struct ustat_sample *s,
		      const union perf_event *ev __maybe_unused)
{
	return ustat_agg__add(ctx, evsel->idx, s);
}

static int agg_lost(void *ctx, u32 cpu, u64 nr, u64 time __maybe_unused)
{
	ustat_agg__lost(ctx, cpu, nr);
	return 0;
}

const struct ustat_session_ops ustat_agg_session_ops = {
	.sample	= agg_sample,
	.lost	= agg_lost,
};

int ustat_agg__attach(struct ustat_agg *agg, struct ustat_session *session)
{
	int ret = ustat_agg__init(agg, &session->infos);

	if (ret)
		return ret;
	ustat_agg__init_signals(agg, &session->reader, session->tep);
	return ustat_session__begin(session, &ustat_agg_session_ops, agg);
}
