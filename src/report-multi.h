/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_MULTI_H
#define __USTAT_REPORT_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "aggregate.h"
#include "report.h"
#include "session.h"

struct option;

/*
 * Reports on several recordings: report --diff A B (report-diff.c) and
 * report -i a.data -i b.data ... (report-merge.c).  Each file is read and
 * aggregated on its own, as a one-file report does; their probes are then
 * matched by what they are -- the name typed, the binary and the kind --
 * never by their position in the file, so that a probe one file lacks is
 * shown as missing there instead of being counted as another.
 */
#define USTAT_MAX_INPUTS	64

struct ustat_input_list {
	const char	*paths[USTAT_MAX_INPUTS];
	int		 nr;
	bool		 too_many;
};

/* -i FILE, given once or more (parse-options callback; VALUE: the list). */
int ustat_input_list__opt(const struct option *opt, const char *arg, int unset);

struct ustat_input {
	const char		*path;
	struct ustat_session	 session;
	struct ustat_agg	 agg;
	struct ustat_report	 rep;
	const char		*host;		/* the file's hostname, or "?" */
	bool			 opened;
	bool			 attached;
};

/* Read and aggregate PATH; its report has the keys of a one-file report. */
int ustat_input__load(struct ustat_input *in, const char *path, char *err, size_t errlen);
void ustat_input__exit(struct ustat_input *in);

/* One probe across the inputs. */
struct ustat_pmatch {
	const char		*name;
	const char		*binary;	/* NULL: not known */
	enum ustat_event_kind	 kind;
	int			 sites;
	int			 idx[USTAT_MAX_INPUTS];	/* its event in each input, -1: absent */
	int			 nr_present;
};

int ustat_pmatch__build(const struct ustat_input *ins, int nr, struct ustat_pmatch **out,
			int *nr_out);

static inline const struct ustat_probe_agg *
ustat_pmatch__probe(const struct ustat_pmatch *m, const struct ustat_input *ins, int i)
{
	return m->idx[i] < 0 ? NULL : &ins[i].agg.probes[m->idx[i]];
}

/* Its kernel-signal counts in input I, or NULL when that file has none. */
const struct ustat_sig_stats *ustat_pmatch__signals(const struct ustat_pmatch *m,
						   const struct ustat_input *ins, int i);

/* The counters of struct ustat_sig_stats that a diff and a merge show. */
#define USTAT_SIG_COUNTERS	11
extern const char *const ustat_sig_counter_names[USTAT_SIG_COUNTERS];
u64 ustat_sig_counter(const struct ustat_sig_stats *st, int counter);

/* A probe's kind as the JSON says it. */
const char *ustat_pmatch__kind(const struct ustat_pmatch *m);

struct ustat_multi_opts {
	const char	*sort;
	bool		 json;
	bool		 one_file_format;	/* --csv or --tui: not for several files */
	bool		 diff;
};

/* report --diff, or several -i: what builtin-report.c hands over. */
int ustat_report__multi_main(const struct ustat_input_list *l, int argc, const char **argv,
			     const struct ustat_multi_opts *o);
int ustat_report__diff_main(int argc, const char **argv, const struct ustat_multi_opts *o);
int ustat_report__merge_main(const struct ustat_input_list *l, const struct ustat_multi_opts *o);

#endif /* __USTAT_REPORT_MULTI_H */
