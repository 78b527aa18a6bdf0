/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BACKEND_H
#define __USTAT_BACKEND_H

/*
 * The seam: everything the core (core/, cmd/, ui/) asks of a backend, and
 * the only header through which it reaches one.  Two backends implement it:
 *
 *   standalone/  perf-uprobe-stat: libperf's public API, the tool's own
 *                perf.data reader and writer, time ordering and sessions;
 *   perf/        perf uprobe-stat inside tools/perf: perf_session with an
 *                embedded perf_tool, ordered_events, evlist/evsel and
 *                evsel__intval()'s field reading.
 *
 * Exactly one is linked.  Nothing below names a libperf, perf util/ or
 * perf.data type: what crosses the seam is the core's own model (samples,
 * event descriptions, what a recording is), so that the same core files
 * build unchanged on either side (Documentation/uprobe-stat-design.txt).
 */

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "cmd-end.h"
#include "sample.h"

struct ustat_event_infos;
struct ustat_sample_filter;

/* ---- What a recording is: everything a printer may know ------------------ */

struct ustat_recording {
	const char	*path;		/* the file read, or NULL for a live one */
	const char	*hostname;	/* NULL when the file does not say */
	const char	*osrelease;
	const char	*arch;
	const char	*version;	/* of the perf or uprobe-stat that wrote it */
	u32		 nr_cpus_avail;
	u32		 nr_cpus_online;
	char *const	*cmdline;	/* the recording's own command line */
	u32		 cmdline_nr;
	bool		 has_time;	/* samples carry PERF_SAMPLE_TIME */
	u64		 time_start;	/* first and last sample seen, when has_time */
	u64		 time_end;
	const char	*session_meta;	/* uprobe-stat's session record, or NULL */
	char *const	*meta;		/* its other records: kernel events, cost... */
	int		 nr_meta;
	bool		 salvaged;	/* an unfinished file, read to its end */
};

/* ---- The events of an input: what the event model is built from ---------- */

struct ustat_event_desc {
	const char	*name;		/* "probe_bin:func", "uprobes_core:lookup"... */
	const char	*meta;		/* uprobe-stat's record for it, or NULL */
	bool		 tracepoint;	/* a tracepoint (perf probe's, or a kernel event) */
	u64		 tp_id;		/* its id, for its format: tracepoints only */
};

/* Build the event model from the descriptions (core/event-info.c). */
int ustat_event_infos__build(struct ustat_event_infos *infos,
			     const struct ustat_event_desc *ev, int nr);

/* ---- Reading: a file, or a recording in progress --------------------------- */

struct ustat_input;

/*
 * Records in time order, already decoded: IDX indexes the input's events
 * (and its ustat_event_infos).  A non-zero return stops the walk and is
 * returned by it.
 */
struct ustat_input_ops {
	int (*sample)(void *ctx, int idx, const struct ustat_sample *s);
	/* PERF_RECORD_LOST and LOST_SAMPLES: NR samples dropped on CPU. */
	int (*lost)(void *ctx, u32 cpu, u64 nr, u64 time);
	/* PERF_RECORD_COMM: thread TID of PID is now called COMM. */
	int (*comm)(void *ctx, u32 pid, u32 tid, const char *comm,
		    const struct ustat_sample *s);
	/*
	 * PERF_RECORD_STAT (record --count, the counting consumer): counter
	 * THREAD of event IDX on CPU has counted VALUE hits since it was
	 * enabled -- a running total, not an increment.
	 */
	int (*count)(void *ctx, int idx, u32 cpu, u32 thread, u64 value);
	/*
	 * PERF_RECORD_MMAP and MMAP2 of code (PROT_EXEC): process PID maps
	 * FILENAME at [START, START + LEN) from file offset PGOFF.  For
	 * callchains: their addresses are only the process's.
	 */
	int (*mmap)(void *ctx, u32 pid, u64 start, u64 len, u64 pgoff, const char *filename);
	/* PERF_RECORD_FORK of a new process PID (not a thread): it has PPID's mappings. */
	int (*fork)(void *ctx, u32 pid, u32 ppid);
};

/* Open PATH; on failure ERR holds one line naming the problem. */
int ustat_input__open(struct ustat_input **in, const char *path,
		      char *err, size_t errlen);
void ustat_input__close(struct ustat_input *in);

const struct ustat_recording *ustat_input__recording(const struct ustat_input *in);
const struct ustat_event_desc *ustat_input__events(const struct ustat_input *in, int *nr);
const struct ustat_event_infos *ustat_input__infos(const struct ustat_input *in);

/* --pid, --comm, --time...: samples FILTER drops are never delivered. */
void ustat_input__set_filter(struct ustat_input *in, struct ustat_sample_filter *filter);

/* Deliver every record of the file to OPS, in time order. */
int ustat_input__process(struct ustat_input *in, const struct ustat_input_ops *ops,
			 void *ctx, char *err, size_t errlen);

/*
 * A replay (report --tui): set the consumer, then deliver the records up
 * to LIMIT on the recording's clock, a step at a time.  1 while more
 * remain, 0 once the file is done, -errno on damage (ERR says what).
 */
int ustat_input__begin(struct ustat_input *in, const struct ustat_input_ops *ops, void *ctx);
int ustat_input__replay_until(struct ustat_input *in, u64 limit, char *err, size_t errlen);
u64 ustat_input__start_time(const struct ustat_input *in);

/* What did not fit the model: reported, never dropped silently. */
struct ustat_input_stats {
	u64	nr_records;
	u64	unknown_id;	/* samples of no event of the file */
	u64	bad_records;	/* too short for their own layout */
};
void ustat_input__stats(const struct ustat_input *in, struct ustat_input_stats *st);

/* ---- A recording in progress, read as it is made (top) ------------------ */

struct perf_event_attr;
union perf_event;

/* An event of a recording in progress: what its file would say of it. */
struct ustat_live_event {
	const struct perf_event_attr	*attr;
	const u64			*ids;	/* the kernel's ids of its fds */
	u32				 nr_ids;
	const char			*name;
	const char			*meta;	/* uprobe-stat's record for it */
};

/*
 * An input of no file: REC says what the recording is (path NULL), the
 * tracing data holds the kernel events' formats (or is NULL).  Records
 * are then fed as the recorder drains them, each pass ended with
 * ustat_input__round(), and delivered in time order to the consumer set
 * with ustat_input__begin().
 */
int ustat_input__open_live(struct ustat_input **in, const struct ustat_live_event *ev, int nr,
			   const struct ustat_recording *rec, const void *tracing_data,
			   size_t tracing_data_size, char *err, size_t errlen);
int ustat_input__feed(struct ustat_input *in, const union perf_event *ev);
int ustat_input__round(struct ustat_input *in);
/* No more input: deliver what is queued. */
int ustat_input__end(struct ustat_input *in);

/* ---- Recording: record's perf.data, top's live input ---------------------- */

struct ustat_agg;
struct ustat_rec;
struct ustat_record_opts;

/* Where the records of a recording go. */
enum ustat_rec_sink {
	USTAT_REC_FILE,		/* a perf.data at opts->output, stock perf's to read */
	USTAT_REC_LIVE,		/* a live input (ustat_rec__input()), for top */
};

/*
 * From here on SIGINT, SIGTERM and SIGHUP end a recording with a complete
 * result, whenever they come; ustat_rec__stopped() says one came.
 */
void ustat_rec__catch_stop(void);
bool ustat_rec__stopped(void);

/* --dry-run, --rate, --json: what recording would do; the exit status. */
int ustat_rec__dry_run(const struct ustat_record_opts *o, int argc, const char **argv,
		       int cmd_at);

/*
 * A recording of ARGV[0..ARGC), the probes, on ARGV + CMD_AT, the command
 * (CMD_AT < 0: none), as O says: set up is everything up to, not including,
 * starting the target (the probes resolved and attached, the sink open).
 * Each call but ustat_rec__exit() is 0 or negative, ERR then naming the
 * problem in one line.
 */
int ustat_rec__new(struct ustat_rec **r, const struct ustat_record_opts *o,
		   enum ustat_rec_sink sink);
int ustat_rec__setup(struct ustat_rec *r, int argc, const char **argv, int cmd_at,
		     char *err, size_t errlen);
/* USTAT_REC_LIVE: the input the records are fed to, open from setup on. */
struct ustat_input *ustat_rec__input(struct ustat_rec *r);
int ustat_rec__start(struct ustat_rec *r, char *err, size_t errlen);
/*
 * Drain every buffer, then wait up to TIMEOUT_MS for more.  1 while the
 * target runs, 0 once it is done, negative when the sink failed.
 */
int ustat_rec__step(struct ustat_rec *r, int timeout_ms);
/* The counting consumer: the counters' totals now, to the live input. */
int ustat_rec__count_update(struct ustat_rec *r);
/* Which consumer runs: "samples", "counting", "counting+samples", "bpf". */
const char *ustat_rec__consumer(const struct ustat_rec *r);
/* -b: fold what the kernel counted since the last look into AGG. */
int ustat_rec__bpf_update(struct ustat_rec *r, struct ustat_agg *agg);
/* The end: events off, buffers drained, the file finished or the queue delivered. */
int ustat_rec__stop(struct ustat_rec *r, char *err, size_t errlen);
/* The probes out now, before saying why the recording failed. */
void ustat_rec__detach(struct ustat_rec *r);
void ustat_rec__exit(struct ustat_rec *r);

/* For summaries and the view. */
struct ustat_rec_stats {
	u64		 samples;
	u64		 counted;	/* hits the counting events counted (at the end) */
	u64		 lost;
	u64		 wakeups;
	u64		 time_start;	/* on the samples' clock */
	u64		 bytes_written;	/* USTAT_REC_FILE */
	size_t		 pass_bytes;	/* emitted by the last step's pass */
	const char	*target;	/* "command 'ls'", "pid 42"... */
	const char	*cmd;		/* -- CMD's name, or NULL */
	bool		 cmd_ended;	/* CMD ran and ended as cmd_end says */
	enum ustat_cmd_end cmd_end;
	int		 cmd_code;
};
void ustat_rec__stats(const struct ustat_rec *r, struct ustat_rec_stats *st);

/* ---- Tracepoint fields, by name ------------------------------------------- */

struct ustat_tp_field;

/*
 * Field NAME of tracepoint event IDX, looked up once in its format (the
 * file's tracing data); NULL when the format lacks it or the input has no
 * formats.  Its value in a sample of that event: 0 when the record is too
 * short for it.
 */
const struct ustat_tp_field *ustat_input__tp_field(struct ustat_input *in, int idx,
						   const char *name);
u64 ustat_tp_field__value(const struct ustat_tp_field *f, const struct ustat_sample *s);

#endif /* __USTAT_BACKEND_H */
