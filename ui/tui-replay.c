// SPDX-License-Identifier: GPL-2.0
/* 'report --tui': a recorded file replayed through the live view. */
#include "util/uprobe-stat/standalone/session.h"
#include "tui-replay.h"

static int replay_advance(void *ctx, u64 now, bool *ended, char *err, size_t errlen)
{
	int ret = ustat_session__replay_until(ctx, now, err, errlen);

	if (ret < 0)
		return ret;
	*ended = ret == 0;
	return 0;
}

int ustat_tui__replay(struct ustat_session *s, struct ustat_agg *agg,
		      const struct ustat_tui_opts *opts, char *err, size_t errlen)
{
	struct ustat_tui_source src = {
		.advance	= replay_advance,
		.ctx		= s,
		.start		= ustat_session__start_time(s),
		.live		= false,
	};

	return ustat_tui__run(&src, agg, opts, err, errlen);
}
