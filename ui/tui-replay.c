// SPDX-License-Identifier: GPL-2.0
/* 'report --tui': a recorded file replayed through the live view. */
#include "util/uprobe-stat/core/backend.h"
#include "tui-replay.h"

static int replay_advance(void *ctx, u64 now, bool *ended, char *err, size_t errlen)
{
	int ret = ustat_input__replay_until(ctx, now, err, errlen);

	if (ret < 0)
		return ret;
	*ended = ret == 0;
	return 0;
}

int ustat_tui__replay(struct ustat_input *in, struct ustat_agg *agg,
		      const struct ustat_tui_opts *opts, char *err, size_t errlen)
{
	struct ustat_tui_source src = {
		.advance	= replay_advance,
		.ctx		= in,
		.start		= ustat_input__start_time(in),
		.live		= false,
	};

	return ustat_tui__run(&src, agg, opts, err, errlen);
}
