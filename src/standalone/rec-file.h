/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_REC_FILE_H
#define __USTAT_REC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/perf_event.h>
#include <linux/types.h>

#include "file-event.h"

/*
 * Where record's perf.data is written: the recording sink of the seam's
 * USTAT_REC_FILE (rec-seam.c).  Two implement it: the tool's own writer
 * and synthesizer standalone (rec-file.c on perf-writer.c), perf's header,
 * synthesize and trace-event-info code inside perf (perf/rec-file.c).
 * Either way the file is created as out-file.h says.
 */

struct ustat_file_pmu {
	u32		 type;
	const char	*name;
};

/* Everything besides the data section. */
struct ustat_file_desc {
	const struct ustat_file_event	*events;
	int				 nr_events;
	const struct ustat_file_pmu	*pmus;
	int				 nr_pmus;
	int				 argc;		/* HEADER_CMDLINE */
	const char			**argv;
	const char			*session_meta;	/* uprobe-stat session record */
	const char * const		*extra_meta;	/* more records: signals, ksyms, ... */
	int				 nr_extra_meta;
	u64				 time_start;	/* HEADER_SAMPLE_TIME */
	u64				 time_end;
	bool				 use_clockid;
	int				 clockid;
	u64				 clock_res_ns;
	u64				 clock_wall_ns;	/* HEADER_CLOCK_DATA */
	u64				 clock_ref_ns;
	const void			*tracing_data;	/* HEADER_TRACING_DATA */
	size_t				 tracing_data_size;
};

struct ustat_rec_file;

/* Before anything is attached: could PATH be written?  ERR says why not. */
int ustat_rec_file__check_path(const char *path, char *err, size_t errlen);
/* Create PATH.XXXXXX for PATH (out-file.h); ERR says why not. */
int ustat_rec_file__open(struct ustat_rec_file **f, const char *path, bool force,
			 char *err, size_t errlen);
/*
 * The header and the attrs with their ids (D's events): from here on the
 * file is readable even if the recorder is killed (its data size then
 * reads 0).  In pipe mode also the features D knows before the recording
 * (host, command line, event names, tracing data), as records.
 */
int ustat_rec_file__begin(struct ustat_rec_file *f, const struct ustat_file_desc *d);
/* Writing perf's pipe format to standard output (-o -). */
bool ustat_rec_file__pipe(const struct ustat_rec_file *f);
/* The names and mappings of processes already running: PIDS, or all (-a). */
int ustat_rec_file__synthesize(struct ustat_rec_file *f, const pid_t *pids, int nr_pids,
			       bool all);
/* Append to the data section.  Errors stick: see ustat_rec_file__error(). */
int ustat_rec_file__write(struct ustat_rec_file *f, const void *data, size_t len);
/* The recording started: the file takes its name (PATH.old kept). */
int ustat_rec_file__commit(struct ustat_rec_file *f, char *err, size_t errlen);
/* The features and the final header; then the file is closed. */
int ustat_rec_file__finish(struct ustat_rec_file *f, const struct ustat_file_desc *d);
/* The first error (negative errno), 0 if none. */
int ustat_rec_file__error(const struct ustat_rec_file *f);
u64 ustat_rec_file__size(const struct ustat_rec_file *f);
/* Free; a file not finished is removed. */
void ustat_rec_file__close(struct ustat_rec_file *f);

#endif /* __USTAT_REC_FILE_H */
