/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REPORT_MULTI_H
#define __USTAT_REPORT_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "aggregate.h"
#include "report.h"
#include "backend.h"
#include "util/uprobe-stat/util/u64-map.h"

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

/* report-procs.c: hits by (probe, CPU, process), the process by its name. */
#define USTAT_MAX_COMMS		4096

struct ustat_proc_entry {
	int	idx;		/* the probe's (first site's) event */
	int	cpu;
	int	comm;		/* into names */
	u64	hits;
};

struct ustat_proc_hits {
	struct ustat_map	 counts;	/* (idx, cpu, pid) -> hits */
	struct ustat_map	 pids;		/* pid -> name index + 1 */
	char			**names;
	int			 nr_names;
	int			 names_cap;
	bool			 too_many_names;
	u64			 uncounted;	/* hits no process could be given */
	struct ustat_proc_entry	*ent;		/* after finish */
	size_t			 nr_ent;
};

void ustat_proc_hits__init(struct ustat_proc_hits *ph);
void ustat_proc_hits__exit(struct ustat_proc_hits *ph);
int ustat_proc_hits__finish(struct ustat_proc_hits *ph);
/* The aggregation's consumer plus the process counts; CTX: struct ustat_mfile. */
extern const struct ustat_input_ops ustat_proc_input_ops;

/* One file of the several: its input, aggregation and report. */
struct ustat_mfile {
	const char		*path;
	struct ustat_input	*input;
	struct ustat_agg	 agg;
	struct ustat_report	 rep;
	struct ustat_proc_hits	 procs;
	const char		*host;		/* the file's hostname, or "?" */
	int			*match_of;	/* [infos->nr]: probe match, or -1 */
	int			*comm_of;	/* [procs.nr_names]: name across files */
	bool			 opened;
	bool			 attached;
};

/* Read and aggregate PATH; its report has the keys of a one-file report. */
int ustat_mfile__load(struct ustat_mfile *in, const char *path, char *err, size_t errlen);
void ustat_mfile__exit(struct ustat_mfile *in);

/* One probe across the inputs. */
struct ustat_pmatch {
	const char		*name;
	char			*label;		/* name, with the binary if another has the name */
	const char		*binary;	/* NULL: not known */
	enum ustat_event_kind	 kind;
	int			 sites;
	int			 idx[USTAT_MAX_INPUTS];	/* its event in each input, -1: absent */
	int			 nr_present;
};

int ustat_pmatch__build(const struct ustat_mfile *ins, int nr, struct ustat_pmatch **out,
			int *nr_out);
void ustat_pmatch__free(struct ustat_pmatch *m, int nr);

static inline const struct ustat_probe_agg *
ustat_pmatch__probe(const struct ustat_pmatch *m, const struct ustat_mfile *ins, int i)
{
	return m->idx[i] < 0 ? NULL : &ins[i].agg.probes[m->idx[i]];
}

/* Its kernel-signal counts in input I, or NULL when that file has none. */
const struct ustat_kev_stats *ustat_pmatch__kevents(const struct ustat_pmatch *m,
						   const struct ustat_mfile *ins, int i);

/* The counters of struct ustat_kev_stats that a diff and a merge show. */
#define USTAT_KEV_COUNTERS	13
extern const char *const ustat_kev_counter_names[USTAT_KEV_COUNTERS];
u64 ustat_kev_counter(const struct ustat_kev_stats *st, int counter);

/* A probe's kind as the JSON says it. */
const char *ustat_pmatch__kind(const struct ustat_pmatch *m);

/*
 * The files of one report and the keys of its rows: probe, cpu, comm (the
 * process, by name), host, file.  A diff has two sides, a merge one.
 */
enum ustat_mkey {
	USTAT_MK_PROBE,
	USTAT_MK_CPU,
	USTAT_MK_COMM,
	USTAT_MK_HOST,
	USTAT_MK_FILE,
	USTAT_MK_NR,
};

extern const char *const ustat_mkey_names[USTAT_MK_NR];

struct ustat_mset {
	struct ustat_mfile	*in;
	int			 nr_in;
	bool			 two_sided;	/* a diff: input i is side i */
	struct ustat_pmatch	*m;
	int			 nr_m;
	int			 host_id[USTAT_MAX_INPUTS];
	const char		*hosts[USTAT_MAX_INPUTS];
	int			 nr_hosts;
	const char		**comms;	/* process names across the files */
	int			 nr_comms;
	int			 comms_cap;
	enum ustat_mkey		 keys[USTAT_MK_NR];
	int			 nr_keys;
	bool			 by[USTAT_MK_NR];
};

struct ustat_mrow {
	int	k[USTAT_MK_NR];	/* match, cpu, comm, host, file; -1: not a key */
	u64	hits[2];	/* by side; a merge uses [0] */
	double	rate[2];	/* each file's hits over its own duration, added */
};

/* Keys from --sort; ALLOWED: a bit per key.  One-line error in ERR. */
int ustat_mset__parse_keys(struct ustat_mset *ms, const char *sort, unsigned int allowed,
			   char *err, size_t errlen);
/* Load PATHS, match probes, name hosts and processes across them. */
int ustat_mset__load(struct ustat_mset *ms, const char *const *paths, int nr, char *err,
		     size_t errlen);
void ustat_mset__exit(struct ustat_mset *ms);
/* The rows of the main table, most hits first; caller frees. */
int ustat_mset__rows(const struct ustat_mset *ms, struct ustat_mrow **rows, size_t *nr);
/* The end of the printed table of those NR ROWS: a line when none, the "#"; ROWS freed. */
void ustat_mset__end_rows(struct ustat_mrow *rows, size_t nr, FILE *out);
/* After a printer returned RET to stdout: 0, or 1 with "cannot write" said. */
int ustat_mset__flushed(int ret);
/* A key's value in ROW as text (CPU as a number), for the printers. */
const char *ustat_mset__key_str(const struct ustat_mset *ms, const struct ustat_mrow *row,
				enum ustat_mkey k, char *buf, size_t len);

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
