/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TUI_REPLAY_H
#define __USTAT_TUI_REPLAY_H

#include <stddef.h>

#include "tui.h"

struct ustat_input;
struct ustat_agg;

/*
 * Replay input IN (its aggregation AGG already attached) in the view,
 * OPTS->interval recorded seconds per refresh, OPTS->speed times faster
 * than it was recorded, pausable and steppable.
 */
int ustat_tui__replay(struct ustat_input *in, struct ustat_agg *agg,
		      const struct ustat_tui_opts *opts, char *err, size_t errlen);

#endif /* __USTAT_TUI_REPLAY_H */
