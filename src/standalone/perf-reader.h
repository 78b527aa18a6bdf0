/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_READER_H
#define __USTAT_PERF_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <perf/event.h>

#include "file-event.h"
#include "perf-file.h"
#include "sample-parse.h"

/* One event of the file (perf's evsel): its attr, ids, name and metadata. */
struct ustat_evsel {
	int			 idx;
	struct perf_event_attr	 attr;
	u64			*ids;
	u32			 nr_ids;
	char			*name;	/* EVENT_DESC name, or a made-up one */
	char			*meta;	/* uprobe-stat's record for it, or NULL */
	struct ustat_sample_layout layout;	/* of attr.sample_type */
};

struct ustat_id_map {
	u64	id;
	int	idx;
};

/*
 * A perf.data file opened for reading, ours or stock perf's.  Everything
 * but the data section is read at open and checked against the file size;
 * the data section is streamed through a fixed window, so memory does not
 * grow with the file.
 */
/* The ids seen last, by id modulo USTAT_ID_HOT: most lookups end here. */
#define USTAT_ID_HOT	64
struct ustat_id_hot {
	u64			 id;
	struct ustat_evsel	*evsel;		/* NULL: empty */
};

struct ustat_reader {
	int			 fd;
	char			*path;
	u64			 file_size;
	struct perf_file_header	 hdr;

	struct ustat_evsel	*evsels;
	int			 nr_evsels;
	struct ustat_id_map	*ids;		/* sorted by id */
	int			 nr_ids;
	int			 id_pos;	/* see ustat_sample__id_pos() */
	int			 id_pos_trailer;
	struct ustat_id_hot	 id_hot[USTAT_ID_HOT];

	/* features */
	char			*hostname;
	char			*osrelease;
	char			*arch;
	char			*version;
	u32			 nr_cpus_avail;
	u32			 nr_cpus_online;
	char			**cmdline;
	u32			 cmdline_nr;
	bool			 has_sample_time;
	u64			 time_start;
	u64			 time_end;
	char			*session_meta;
	char			**meta;		/* the other records: signals, ksyms, ... */
	int			 nr_meta;
	int			 cap_meta;
	void			*tracing_data;
	u64			 tracing_data_size;
	bool			 salvaged;	/* unfinished file: data to the end */
	/* The file mapped up to its data's end (see map_data()), or NULL. */
	const char		*map;
	u64			 map_size;
	u64			 released;	/* pages below this are given back */
	bool			 has_clockid;
	u32			 desc_next;	/* EVENT_DESC entries seen so far */
	u64			 clockid_res_ns;
};

/* Open PATH; on failure ERR holds one line naming the problem. */
int ustat_reader__open(struct ustat_reader *r, const char *path,
		       char *err, size_t errlen);
void ustat_reader__close(struct ustat_reader *r);
/*
 * A reader of no file: the events, metadata and formats of a recording in
 * progress (top), so that live records go through the same session code.
 */
int ustat_reader__init_mem(struct ustat_reader *r, const struct ustat_file_event *events,
			   int nr, const char *session_meta, char *const *meta, int nr_meta,
			   const void *tracing_data, size_t tracing_data_size,
			   char *err, size_t errlen);

bool ustat_reader__has_feat(const struct ustat_reader *r, int feat);

/* The evsel of ID by the sorted ids (it becomes a hot one), or NULL. */
struct ustat_evsel *ustat_reader__evsel_search(struct ustat_reader *r, u64 id);

/*
 * The evsel of a kernel event id (PERF_RECORD_STAT names its counter so).
 * Inline, as is the next: every record of a report is looked up, and the
 * ids seen last answer nearly all.
 */
static inline struct ustat_evsel *ustat_reader__evsel_by_id(struct ustat_reader *r, u64 id)
{
	struct ustat_id_hot *hot = &r->id_hot[id % USTAT_ID_HOT];

	if (r->nr_evsels == 1 && !r->nr_ids)
		return &r->evsels[0];
	if (hot->evsel && hot->id == id)
		return hot->evsel;
	return ustat_reader__evsel_search(r, id);
}

/* The evsel a record belongs to (samples, and others with sample_id_all). */
static inline struct ustat_evsel *ustat_reader__evsel_of(struct ustat_reader *r,
							 const union perf_event *ev)
{
	u64 words = (ev->header.size - sizeof(ev->header)) / 8;
	const u64 *p = (const u64 *)(&ev->header + 1);

	if (r->nr_evsels == 1)
		return &r->evsels[0];
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		if (r->id_pos < 0 || (u64)r->id_pos >= words)
			return NULL;
		return ustat_reader__evsel_by_id(r, p[r->id_pos]);
	}
	if (!r->evsels[0].attr.sample_id_all || r->id_pos_trailer < 0 ||
	    (u64)r->id_pos_trailer > words)
		return NULL;
	return ustat_reader__evsel_by_id(r, p[words - r->id_pos_trailer]);
}

/*
 * A position in the data section, for reading it a record at a time (the
 * TUI's replay).  The record returned stays valid until the next call; in
 * a mapped file (R's map) until the reader closes, or its pages are
 * released.
 */
struct ustat_cursor {
	bool	 open;
	u64	 off;		/* file offset of win[have] (mapped: of the next record) */
	u64	 end;
	char	*win;
	size_t	 have;
	size_t	 pos;
	size_t	 window;
};

int ustat_reader__cursor_init(struct ustat_reader *r, struct ustat_cursor *c);
/*
 * A mapped file: nothing below file offset BELOW is read again, its pages
 * can go (what was read stays out of the resident size).
 */
void ustat_reader__release(struct ustat_reader *r, u64 below);
/* Read by windows from here on (the mapping's records are gone with it). */
void ustat_reader__unmap(struct ustat_reader *r);
void ustat_cursor__exit(struct ustat_cursor *c);
/* 1 and *EV set, 0 at the end, -errno (ERR says why) on damage. */
int ustat_reader__next(struct ustat_reader *r, struct ustat_cursor *c,
		       union perf_event **ev, u64 *file_offset, char *err, size_t errlen);

typedef int (*ustat_event_fn)(void *ctx, union perf_event *ev, u64 file_offset);

/*
 * Call FN for each record of the data section in file order.  A record
 * that overruns the section or has an impossible size stops the walk with
 * -EINVAL and a message in ERR; FN returning non-zero stops it too.
 */
int ustat_reader__walk_events(struct ustat_reader *r, ustat_event_fn fn,
				 void *ctx, char *err, size_t errlen);

#endif /* __USTAT_PERF_READER_H */
