/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_EVENT_CLOSE_H
#define __USTAT_EVENT_CLOSE_H

struct perf_evsel;

/*
 * Close every fd of NR evsels at once, from a few threads.  Releasing a
 * uprobe or tracepoint perf event waits for RCU grace periods in the
 * kernel: 25-85 ms each on the 2-CPU VM here, one after the other when
 * closed in a loop (0.3 s for one probe and its kernel events), all the
 * while the breakpoints stay in the target.  Grace periods of closes made
 * in parallel overlap.  The ring buffers must be unmapped first: a mapped
 * buffer keeps its event alive past the close.
 */
void ustat_evsels__close_parallel(struct perf_evsel **evsels, int nr);

#endif /* __USTAT_EVENT_CLOSE_H */
