/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_WRITER_INT_H
#define __USTAT_PERF_WRITER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "perf-writer.h"

/* Shared by perf-writer.c and perf-writer-pipe.c only. */

typedef int (*ustat_feat_fn)(struct ustat_writer *w, const struct ustat_file_desc *d);

struct ustat_feat_writer {
	int		feat;
	ustat_feat_fn	fn;
};

/* Every feature a recording has, in file order; ends with { 0, NULL }. */
extern const struct ustat_feat_writer ustat_feat_writers[];
bool ustat_writer__feat_wanted(int feat, const struct ustat_file_desc *d);

/* Through the writer's buffer; errors stick in w->error. */
int ustat_writer__put(struct ustat_writer *w, const void *data, size_t len);
int ustat_writer__put_u32(struct ustat_writer *w, u32 v);
int ustat_writer__put_string(struct ustat_writer *w, const char *s);
int ustat_writer__flush(struct ustat_writer *w);
/* All of P at OFF (OFF < 0: a pipe, in order); 0 or -errno. */
int ustat_writer__write_all(int fd, const void *p, size_t len, off_t off);
/* The whole blocks of the buffer, with O_DIRECT (perf-writer-direct.c). */
int ustat_writer__direct_flush(struct ustat_writer *w);

int ustat_writer_pipe__begin(struct ustat_writer *w, const struct ustat_file_event *events,
			     int nr_events);
int ustat_writer_pipe__finish(struct ustat_writer *w, const struct ustat_file_desc *d);

#endif /* __USTAT_PERF_WRITER_INT_H */
