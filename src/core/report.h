/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_H
#define __USTAT_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "aggregate.h"
#include "report-threads.h"
#include "backend.h"

/* The keys of --sort: the rows of the main table are their combinations. */
enum ustat_sort_key {
	USTAT_SORT_PROBE,
	USTAT_SORT_CPU,
	USTAT_SORT_PID,		/* these three need report-threads.h's counts */
	USTAT_SORT_TID,
	USTAT_SORT_COMM,
};

#define USTAT_MAX_SORT_KEYS 5

struct ustat_report_row {
	int		 probe;	/* evsel idx, or -1 when probe is not a key */
	int		 cpu;	/* or -1 when cpu is not a key */
	int		 pid;	/* or -1 ... */
	int		 tid;
	const char	*comm;	/* or NULL */
	u64		 hits;
};

/*
 * What a report prints: the aggregation of one file, and how to show it;
 * what the file says of its recording and its events (backend.h).
 */
struct ustat_report {
	const char			*input;
	const struct ustat_recording	*rec;
	const struct ustat_event_desc	*events;	/* [agg->infos->nr] */
	const struct ustat_agg		*agg;
	u64				 duration_ns;
	enum ustat_sort_key		 keys[USTAT_MAX_SORT_KEYS];
	int				 nr_keys;
	const struct ustat_thread_hits	*threads;	/* with pid, tid or comm keys */
	struct ustat_callchains		*cc;		/* who called, or NULL */
};

/* Does --sort group by thread (pid, tid or comm)? */
bool ustat_report__by_thread(const struct ustat_report *rep);
/* The column title of KEY, and its value in ROW, as stdio and CSV print them. */
const char *ustat_report__key_name(enum ustat_sort_key key);

/*
 * Event IDX is something the user probed (not a kernel signal's
 * tracepoint), and the first of its sites: it holds the probe's counts.
 */
bool ustat_report__is_probe(const struct ustat_report *rep, int idx);

int ustat_report__parse_sort(struct ustat_report *rep, const char *str,
			     char *err, size_t errlen);
/* The main table's rows, most hits first (perf's habit); caller frees. */
int ustat_report__rows(const struct ustat_report *rep, struct ustat_report_row **rows,
		       size_t *nr);
double ustat_report__rate(const struct ustat_report *rep, u64 hits);
/* What was recorded: the target from our metadata, or perf's command line. */
const char *ustat_report__target(const struct ustat_report *rep, char *buf, size_t len);
/* How record attached the probes ("tracefs", ...) and what that means; NULL if unsaid. */
const char *ustat_report__attach(const struct ustat_report *rep, char *buf, size_t len,
				 char *how, size_t howlen);
/* How the recorded command ended (cmd-end.h); -1 if the file does not say. */
int ustat_report__cmd_end(const struct ustat_report *rep, int *end, int *code);

int ustat_report__print_stdio(const struct ustat_report *rep, FILE *out);
int ustat_report__print_json(const struct ustat_report *rep, FILE *out);
int ustat_report__print_csv(const struct ustat_report *rep, FILE *out);

#endif /* __USTAT_REPORT_H */
