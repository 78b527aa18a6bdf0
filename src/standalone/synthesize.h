/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_SYNTHESIZE_H
#define __USTAT_SYNTHESIZE_H

#include <sys/types.h>
#include <linux/perf_event.h>
#include <linux/types.h>

/*
 * Records the kernel does not send for processes that already run when
 * recording starts (-p, -a): their names (COMM) and executable mappings
 * (MMAP2), read from /proc, so that stock perf shows comm and symbols for
 * their samples as it does for its own recordings.
 */
typedef int (*ustat_synth_out)(void *ctx, const void *rec, size_t len);

int ustat_synth__process(pid_t pid, const struct perf_event_attr *attr, u64 id,
			 ustat_synth_out out, void *ctx);
/* Every process in /proc (system-wide recording). */
int ustat_synth__all(const struct perf_event_attr *attr, u64 id,
		     ustat_synth_out out, void *ctx);

#endif /* __USTAT_SYNTHESIZE_H */
