/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_FILE_H
#define __USTAT_PERF_FILE_H

#include <linux/perf_event.h>
#include <linux/types.h>

/*
 * The on-disk perf.data layout (PERFILE2), as described in
 * tools/perf/Documentation/perf.data-file-format.txt.  These are format
 * definitions, written from that document; the same numbers appear in
 * perf's util/header.h.
 */
#define PERF_MAGIC2		0x32454c4946524550ULL	/* "PERFILE2" */
#define PERF_MAGIC2_SWAPPED	0x50455246494c4532ULL
#define PERF_MAGIC1		0x454c494646524550ULL	/* "PERFFILE": version 1 */
#define PERF_PIPE_HEADER_SIZE	16

struct perf_file_section {
	u64	offset;
	u64	size;
};

#define PERF_FEAT_BITS		256

struct perf_file_header {
	u64				magic;
	u64				size;		/* sizeof(struct perf_file_header) */
	u64				attr_size;	/* sizeof(struct perf_file_attr) */
	struct perf_file_section	attrs;
	struct perf_file_section	data;
	struct perf_file_section	event_types;	/* unused */
	u64				features[PERF_FEAT_BITS / 64];
};

/* One entry of the attrs section: the attr, then where its ids are. */
struct perf_file_attr {
	struct perf_event_attr		attr;
	struct perf_file_section	ids;
};

/* Feature bits (header.features), numbered as perf numbers them. */
enum perf_feat {
	PERF_FEAT_TRACING_DATA	= 1,
	PERF_FEAT_BUILD_ID	= 2,
	PERF_FEAT_HOSTNAME	= 3,
	PERF_FEAT_OSRELEASE	= 4,
	PERF_FEAT_VERSION	= 5,
	PERF_FEAT_ARCH		= 6,
	PERF_FEAT_NRCPUS	= 7,
	PERF_FEAT_CPUDESC	= 8,
	PERF_FEAT_CPUID		= 9,
	PERF_FEAT_TOTAL_MEM	= 10,
	PERF_FEAT_CMDLINE	= 11,
	PERF_FEAT_EVENT_DESC	= 12,
	PERF_FEAT_PMU_MAPPINGS	= 16,
	PERF_FEAT_SAMPLE_TIME	= 21,
	PERF_FEAT_CLOCKID	= 23,
	PERF_FEAT_CLOCK_DATA	= 29,
	/*
	 * uprobe-stat's own metadata (probe specs, target, signal sources).
	 * perf processes feature bits only up to its HEADER_LAST_FEATURE (50
	 * in 6.12) and skips any above, so a bit near the top of the bitmap
	 * stays out of its way while staying in the file.
	 */
	PERF_FEAT_USTAT_META	= 250,
};

/*
 * Pipe mode (perf record -o -) has no feature sections: features are
 * HEADER_FEATURE records, and perf refuses one it has no number for (any
 * at or past its HEADER_LAST_FEATURE), so uprobe-stat's metadata cannot
 * go in one.  perf skips HEADER_EVENT_TYPE records (deprecated) unread:
 * the metadata goes in those, named so, a PERF_FEAT_USTAT_META payload
 * after the name.  A stream may have several (a record is at most 64 KiB).
 */
#define USTAT_PIPE_META_NAME	"uprobe-stat meta"
#define USTAT_PIPE_NAME_LEN	64	/* perf's MAX_EVENT_NAME */

struct ustat_pipe_meta {
	struct perf_event_header	header;	/* PERF_RECORD_HEADER_EVENT_TYPE */
	u64				event_id;	/* 0 */
	char				name[USTAT_PIPE_NAME_LEN];
};

/* The largest record a u16 size holds, kept a multiple of 8. */
#define USTAT_PIPE_RECORD_MAX	0xfff8

/* Strings in features: a u32 length (padded size), then NUL-terminated text. */
#define PERF_STRING_ALIGN	64

/*
 * The records perf record adds to the data section (FINISHED_ROUND,
 * FINISHED_INIT, ...) are libperf's enum perf_user_event_type.
 */
#include <perf/event.h>

#endif /* __USTAT_PERF_FILE_H */
