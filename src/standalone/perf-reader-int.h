/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_READER_INT_H
#define __USTAT_PERF_READER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "perf-reader.h"

/* Shared by perf-reader.c, perf-reader-feat.c and perf-reader-data.c only. */

/*
 * The data section is read through a window this big: it stays in the
 * caches, and a short file does not fault in megabytes it never uses
 * (8 MiB made report of 1 M events half again as slow).
 */
#define READ_WINDOW	(1 << 20)
#define MAX_ATTRS	4096
#define MAX_IDS		(1 << 22)
#define MAX_STRINGS	(1 << 16)

/* Limits keep a hostile header from making us allocate the moon. */
#define MAX_FEATURE_SIZE (64 << 20)

/* SIZE bytes at OFF, all of them within the file, or -EINVAL / -EIO. */
int ustat_reader__read_at(struct ustat_reader *r, void *buf, u64 size, u64 off);
bool ustat_reader__section_ok(const struct ustat_reader *r, const struct perf_file_section *s);
bool ustat_reader__any_feat(const struct ustat_reader *r);
/* The feature sections, parsed into R; ERR says which one is damaged. */
int ustat_reader__read_features(struct ustat_reader *r, char *err, size_t errlen);

/* The features of a stream (perf-reader-pipe.c), one record each. */
int ustat_reader__parse_feature(struct ustat_reader *r, int feat, const void *p, size_t len);
int ustat_reader__parse_meta(struct ustat_reader *r, const void *p, size_t len);
/* The id -> event map, once every event is known. */
int ustat_reader__index_ids(struct ustat_reader *r, u64 total_ids, char *err, size_t errlen);
/*
 * R's fd is a stream in perf's pipe format, read from its start: read it
 * whole; R is then as if opened on a file (see perf-reader-pipe.c).
 */
int ustat_reader__read_stream(struct ustat_reader *r, char *err, size_t errlen);

#endif /* __USTAT_PERF_READER_INT_H */
