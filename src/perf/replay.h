/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_REPLAY_H
#define __USTAT_PERF_REPLAY_H

#include <stdbool.h>
#include <linux/types.h>

union perf_event;
struct ustat_replay;

/*
 * report --tui on perf: perf_session__process_events() reads a file in
 * one go and has no "up to time T" step, so the replay keeps the records
 * the core wants (samples, comm, lost) as perf's ordered_events hands
 * them out, and hands them on a step at a time.
 */
struct ustat_replay *ustat_replay__new(void);
bool ustat_replay__collecting(const struct ustat_replay *r);
int ustat_replay__add(struct ustat_replay *r, const union perf_event *event);

#endif /* __USTAT_PERF_REPLAY_H */
