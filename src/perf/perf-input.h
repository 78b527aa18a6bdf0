/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_INPUT_H
#define __USTAT_PERF_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "util/data.h"
#include "util/tool.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/core/event-info.h"

struct evsel;
struct evlist;
struct perf_sample;
struct perf_session;

/*
 * core/backend.h's input on perf's util/: a perf_session with the tool
 * embedded, so that the callbacks find the input with container_of().
 * Records reach the core in time order through perf's ordered_events.
 */
struct ustat_input {
	struct perf_tool		 tool;
	struct perf_data		 data;
	struct perf_session		*session;
	bool				 live;
	struct ustat_live		*lv;		/* live input only */

	struct ustat_recording		 rec;
	struct ustat_event_desc		*events;	/* by evsel->core.idx */
	struct evsel			**evsels;
	int				 nr_events;
	struct ustat_event_infos	 infos;
	char				**meta;		/* what rec.meta points at */
	char				*session_meta;
	struct ustat_sample_filter	*filter;

	const struct ustat_input_ops	*ops;
	void				*ctx;
	int				 error;		/* a callback's non-zero return */
	struct ustat_input_stats	 stats;

	/* report --tui: the walk, a step at a time in a thread of its own */
	struct ustat_replay		*replay;

	struct ustat_tp_field		*fields;	/* looked up, freed at close */
	/* PERF_RECORD_CPU_MAP: the CPU of each index a PERF_RECORD_STAT names */
	u16				*stat_cpus;
	u32				 nr_stat_cpus;
};

/* input-tool.c: the perf_tool callbacks, for files and live input alike. */
void ustat_input__init_tool(struct ustat_input *in);
int ustat_input__deliver(struct ustat_input *in, union perf_event *event,
			 struct perf_sample *sample, struct evsel *evsel);
/* PERF_RECORD_STAT and PERF_RECORD_CPU_MAP (the counting consumer's). */
int ustat_input__deliver_stat(struct ustat_input *in, union perf_event *event,
			      struct evlist *evlist);

/* input-meta.c: uprobe-stat's own feature, which perf's header code skips. */
int ustat_input__read_meta(struct ustat_input *in, char *err, size_t errlen);
int ustat_input__assign_meta(struct ustat_input *in, char **recs, int nr);

/* input-file.c: what both kinds of input know once their evlist is set. */
int ustat_input__setup(struct ustat_input *in, char *err, size_t errlen);

/* input-live.c: what a live input owns besides the session. */
void ustat_input__live_free(struct ustat_input *in);

/* input-replay.c */
void ustat_replay__free(struct ustat_replay *r);
int ustat_input__replay_hold(struct ustat_input *in, union perf_event *event,
			     struct perf_sample *ps, struct evsel *evsel);

#endif /* __USTAT_PERF_INPUT_H */
