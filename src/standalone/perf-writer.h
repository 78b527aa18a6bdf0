/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_WRITER_H
#define __USTAT_PERF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <linux/types.h>

#include "file-event.h"
#include "out-file.h"
#include "perf-file.h"
#include "rec-file.h"

/*
 * Writes a perf.data file (PERFILE2) that stock perf reads: the header and
 * the attrs with their ids first, the data section streamed through a large
 * buffer while recording, then the feature sections and the header again
 * with the final data size.
 *
 * Or, for the path "-", perf's pipe format on standard output
 * (perf-writer-pipe.c): no seekable header, everything a record in order.
 */

struct ustat_writer {
	struct ustat_out_file out;	/* its path, fd and temporary name */
	char	*buf;
	size_t	 buf_used;
	size_t	 buf_size;
	u64	 data_offset;
	u64	 data_size;
	u64	 file_pos;	/* where the buffer's first byte goes */
	struct perf_file_section attrs;
	u32	 attr_size;	/* bytes of perf_event_attr per file entry */
	int	 error;		/* first write error (negative errno) */
	int	 dfd;		/* the file opened O_DIRECT, or -1 */
	bool	 direct_written; /* a direct write went through */
};

/* What O_DIRECT asks of the buffer, offsets and lengths on every file system. */
#define USTAT_DIO_ALIGN	4096

/*
 * Create a file for PATH (out-file.h): PATH.XXXXXX until the caller
 * commits w->out once the recording started; ustat_writer__finish()
 * commits it if nobody did.
 */
int ustat_writer__open(struct ustat_writer *w, const char *path, bool force,
		       char *err, size_t errlen);
/*
 * Write the attrs and their ids, then the header: from here on the file is
 * readable even if the recorder is killed (the data size then reads as 0
 * and readers take the data up to the end of the file).
 */
int ustat_writer__begin(struct ustat_writer *w, const struct ustat_file_event *events,
			int nr_events);
/*
 * The stream's features that are known before the recording starts (host,
 * command line, event names, tracing data): written now in pipe mode, as
 * perf record does; nothing in a file, which gets them all at the end.
 */
int ustat_writer__begin_desc(struct ustat_writer *w, const struct ustat_file_desc *desc);
/*
 * From here to ustat_writer__direct_end() (or finish), write the data in
 * whole blocks with O_DIRECT (perf-writer-direct.c); stays buffered where
 * the file system refuses.  0 or the sticky error.
 */
int ustat_writer__direct_begin(struct ustat_writer *w);
int ustat_writer__direct_end(struct ustat_writer *w);
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
