/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_SESSION_H
#define __USTAT_SESSION_H

#include <stddef.h>
#include <linux/types.h>
#include <perf/event.h>

#include "util/uprobe-stat/core/backend.h"
#include "ordered-events.h"
#include "perf-reader.h"
#include "sample-parse.h"
#include "util/uprobe-stat/core/sample-filter.h"

struct tep_handle;

/*
 * Reading a perf.data file for report, script and the TUI replay: the
 * reader, the formats, and records decoded and delivered in time order to
 * the consumer's callbacks (backend.h's ustat_input_ops; input.c is the
 * seam's face of a session).  A decoded sample's priv is its record.
 */
struct ustat_session {
	struct ustat_reader		reader;
	struct ustat_ordered_events	oe;
	const struct ustat_input_ops	*ops;
	void				*ctx;
	bool				 ordered;	/* samples carry TIME */
	struct tep_handle		*tep;		/* tracepoint formats, or NULL */
	/* what did not fit the model, reported rather than dropped silently */
	u64				 unknown_id;
	u64				 bad_records;
	u64				 nr_records;
	struct ustat_cursor		 cursor;	/* replay: where reading is */
	bool				 at_end;
	/* PERF_RECORD_CPU_MAP: the CPU of each index a PERF_RECORD_STAT names */
	u16				*stat_cpus;
	u32				 nr_stat_cpus;
	bool				 live;		/* fed by a recording (top) */
	/* --pid, --comms, --time...: set after open; samples it drops are not seen */
	struct ustat_sample_filter	*filter;
};

int ustat_session__open(struct ustat_session *s, const char *path,
			char *err, size_t errlen);
void ustat_session__close(struct ustat_session *s);
int ustat_session__process(struct ustat_session *s, const struct ustat_input_ops *ops,
			   void *ctx, char *err, size_t errlen);

/*
 * A session of a recording in progress (top): the events as the recorder
 * describes them, fed records as they are drained.
 */
int ustat_session__open_live(struct ustat_session *s, const struct ustat_file_event *events,
			     int nr, const char *session_meta, char *const *meta, int nr_meta,
			     const void *tracing_data, size_t tracing_data_size,
			     char *err, size_t errlen);
/* Set the consumer, then feed records and mark the end of each pass. */
int ustat_session__begin(struct ustat_session *s, const struct ustat_input_ops *ops, void *ctx);
int ustat_session__feed(struct ustat_session *s, const union perf_event *ev);
int ustat_session__round(struct ustat_session *s);
/* No more input: deliver what is queued. */
int ustat_session__end(struct ustat_session *s);
/*
 * Replay a file (after ustat_session__begin()): deliver, in time order,
 * every record with a timestamp up to LIMIT.  1 while more remain, 0 once
 * the file is done, -errno on damage (ERR says what).
 */
int ustat_session__replay_until(struct ustat_session *s, u64 limit, char *err, size_t errlen);
/* When the recording began on its clock (for a replay's first interval). */
u64 ustat_session__start_time(struct ustat_session *s);

#endif /* __USTAT_SESSION_H */
