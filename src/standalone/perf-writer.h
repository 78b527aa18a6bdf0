/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_WRITER_H
#define __USTAT_PERF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <linux/types.h>

#include "file-event.h"
#include "perf-file.h"

/*
 * Writes a perf.data file (PERFILE2) that stock perf reads: the header and
 * the attrs with their ids first, the data section streamed through a large
 * buffer while recording, then the feature sections and the header again
 * with the final data size.
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

struct ustat_writer {
	int	 fd;
	char	*path;
	char	*buf;
	size_t	 buf_used;
	size_t	 buf_size;
	u64	 data_offset;
	u64	 data_size;
	u64	 file_pos;	/* where the buffer's first byte goes */
	struct perf_file_section attrs;
	u32	 attr_size;	/* bytes of perf_event_attr per file entry */
	int	 error;		/* first write error (negative errno) */
	char	*tmp_path;	/* where the data goes until ustat_writer__commit() */
	bool	 force;
};

/* Fail early, before any probe is set, if PATH could never be written. */
int ustat_writer__check_path(const char *path, char *err, size_t errlen);

/*
 * Create a file for PATH: mode 0600, never through a symlink, never onto
 * something that is not a regular file.  It is PATH.XXXXXX until
 * ustat_writer__commit(), so that a recording that fails to start leaves
 * PATH and PATH.old alone.
 */
int ustat_writer__open(struct ustat_writer *w, const char *path, bool force,
		       char *err, size_t errlen);
/*
 * The recording has started: keep an existing PATH as PATH.old as perf
 * record does (unless FORCE said overwrite it), and give the file its
 * name.  ustat_writer__finish() does it if nobody did.
 */
int ustat_writer__commit(struct ustat_writer *w, char *err, size_t errlen);
/*
 * Write the attrs and their ids, then the header: from here on the file is
 * readable even if the recorder is killed (the data size then reads as 0
 * and readers take the data up to the end of the file).
 */
int ustat_writer__begin(struct ustat_writer *w, const struct ustat_file_event *events,
			int nr_events);
/* Append to the data section.  Errors stick: see ustat_writer__finish(). */
int ustat_writer__write(struct ustat_writer *w, const void *data, size_t len);
/*
 * Write the features and the final header, then close.  0 or -errno; on
 * failure the caller calls ustat_writer__abort().
 */
int ustat_writer__finish(struct ustat_writer *w, const struct ustat_file_desc *desc);
/* Give up: close and remove the file, so no broken file is left as good. */
void ustat_writer__abort(struct ustat_writer *w);

#endif /* __USTAT_PERF_WRITER_H */
