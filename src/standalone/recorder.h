/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORDER_H
#define __USTAT_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/types.h>

#include "util/uprobe-stat/core/meta.h"
#include "file-event.h"
#include "record.h"
#include "target-cpu.h"
#include "tracing-data.h"

union perf_event;

/*
 * What record and top share: resolve the probes, pick the attach mode,
 * open the uprobes and the kernel signals, start the target, and drain the
 * ring buffers pass after pass into a sink -- the perf.data writer for
 * record, the live aggregation for top.
 */
struct recorder_sink {
	/* A record to keep (samples of other processes already dropped). */
	int	(*emit)(void *ctx, const union perf_event *ev);
	/* The end of a pass over every buffer that emitted something. */
	int	(*round)(void *ctx);
	void	*ctx;
};

struct recorder {
	struct record		 rec;
	struct recorder_sink	 sink;
	/* the events as a file describes them: attrs, ids, names, metadata */
	struct ustat_file_event	*events;
	struct ustat_meta_buf	*metas;
	char			**names;	/* tracepoint event names */
	struct ustat_tdata	 tdata;		/* the signals' formats */
	/* for the summary line and the time range */
	u64			 samples;
	u64			 lost;
	u64			 wakeups;
	u64			 time_start;
	u64			 time_end;
	u64			 wall_start;
	size_t			 pass_bytes;	/* emitted by the current pass */
	/*
	 * top: a pass over the buffers reads each for at most its share of
	 * this (ns); what a buffer still holds then waits for the next pass
	 * (see drain()).  0: record, which reads each buffer to its end.
	 */
	u64			 pass_budget_ns;
	u64			 behind;	/* buffers left with records in them */
	/* PERF_RECORD_LOST seen per CPU (slot cpu + 1), see record-lost.c */
	u64			*rb_lost;
	int			 nr_rb_lost;
	bool			 target_done;	/* the command exited, or -p's processes */
	bool			 poll_spurious;	/* the last poll woke, the drain found nothing */
	bool			 round_pending;	/* the last pass read records: one more round */
	/* the counting consumer (record-count.c) */
	bool			 count_maps_sent;	/* THREAD_MAP, CPU_MAP, STAT_CONFIG */
	u64			 counted_hits;		/* at the final read */
	u64			 count_read_at;		/* top's last read, CLOCK_MONOTONIC */
	struct ustat_target_cpu	 target_cpu;	/* for the share that went to hits */
};

/*
 * Ring-buffer pages per CPU when -m is not given: 64 MiB shared by the
 * online CPUs, at least 1 MiB and at most 16 MiB each, a power of two.
 */
unsigned int recorder__default_mmap_pages(void);

/*
 * record-lost.c: count the PERF_RECORD_LOST each CPU's buffer gave, and at
 * the end emit, as PERF_RECORD_LOST_SAMPLES, what the events counted as
 * dropped beyond that.
 */
int recorder__lost_init(struct recorder *r);
void recorder__lost_seen(struct recorder *r, int cpu, u64 lost);
int recorder__lost_flush(struct recorder *r, int (*emit)(void *ctx, const union perf_event *ev));

/*
 * record-count.c: the counting events' running totals, as PERF_RECORD_STAT
 * records to EMIT (the maps and config first, a STAT_ROUND last); FINAL
 * once the events are disabled, before they are closed.
 */
int recorder__count_emit(struct recorder *r, bool final, record_emit_fn emit);
u64 recorder__counted(const struct recorder *r);
/* top: the running totals now, to the sink (not final: the events stay on). */
int recorder__count_update(struct recorder *r);

struct ustat_live_event;

/*
 * recorder-live.c: the events as a live input (core/backend.h) takes
 * them, for top.  *EV, pointing into R's tables, is the caller's to free.
 */
int recorder__live_events(const struct recorder *r, struct ustat_live_event **ev);

/*
 * recorder-events.c: an evsel for each probe (the kernel events are added
 * by record__add_kevents()), and, once they are open, the file's view of
 * them in r->events.
 */
int recorder__create_evsels(struct record *rec, char *err, size_t errlen);
int recorder__describe_events(struct recorder *r);

/*
 * Set when SIGINT, SIGTERM or SIGHUP came: recording ends with a complete
 * result.  recorder__catch_stop() installs the handlers.
 */
bool recorder__stopped(void);
void recorder__catch_stop(void);

/*
 * Everything up to, not including, starting the target.  ARGV[0..ARGC) are
 * the probes, ARGV + CMD_AT the command (CMD_AT < 0: none); REC's options
 * are set by the caller.
 */
int recorder__setup(struct recorder *r, int argc, const char **argv, int cmd_at,
		    char *err, size_t errlen);
/* Its first part, all a dry run does: check the target, resolve the probes. */
int recorder__resolve(struct record *rec, int argc, const char **argv, int cmd_at,
		      char *err, size_t errlen);
int recorder__start(struct recorder *r, char *err, size_t errlen);
/*
 * One step: drain all buffers, then wait up to TIMEOUT_MS for more.  1
 * while the target runs, 0 once it is done (one last drain follows in
 * recorder__stop()), -1 when the sink failed.
 */
int recorder__step(struct recorder *r, int timeout_ms);
/* Stop counting, drain what is left, stop the command. */
int recorder__stop(struct recorder *r);
void recorder__exit(struct recorder *r);

/* Metadata records besides session and events: signals, ksyms, addresses. */
int recorder__extra_meta(struct recorder *r, char ***out, int *nr);

u64 ustat_clock_ns(clockid_t clk);

#endif /* __USTAT_RECORDER_H */
