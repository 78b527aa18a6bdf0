/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_REPLAY_H
#define __USTAT_PERF_REPLAY_H

#include <stdbool.h>
#include <linux/types.h>

union perf_event;
struct ustat_replay;

/*
 * report --tui on perf: perf_session__process_events() reads a file in
 * one go and has no "up to time T" step, so a replay runs it in a thread
 * of its own that waits, inside perf's delivery, at the first record past
 * each step's time (input-replay.c).
 */
struct ustat_replay *ustat_replay__new(void);
/* 0: deliver the record; -ECANCELED: the input is closing. */
int ustat_replay__hold(struct ustat_replay *r, bool timed, u64 time);

#endif /* __USTAT_PERF_REPLAY_H */
