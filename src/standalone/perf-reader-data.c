// SPDX-License-Identifier: GPL-2.0
/* The data section of a perf.data file: records in file order, and their events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/debug.h"
#include "perf-reader.h"
#include "perf-reader-int.h"

struct ustat_evsel *ustat_reader__evsel_search(struct ustat_reader *r, u64 id)
{
	struct ustat_id_hot *hot = &r->id_hot[id % USTAT_ID_HOT];
	int lo = 0, hi = r->nr_ids - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (r->ids[mid].id == id) {
			hot->id = id;
			hot->evsel = &r->evsels[r->ids[mid].idx];
			return hot->evsel;
		}
		if (r->ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int ustat_reader__cursor_init(struct ustat_reader *r, struct ustat_cursor *c)
{
	memset(c, 0, sizeof(*c));
	c->off = r->hdr.data.offset;
	c->end = r->hdr.data.offset + r->hdr.data.size;
	c->open = true;
	if (r->map)
		return 0;	/* records are read where they lie */
	/* A small file gets a small window; a record is at most 64 KiB. */
	c->window = READ_WINDOW;
	if (r->hdr.data.size + 65536 < c->window)
		c->window = r->hdr.data.size + 65536;
	c->win = malloc(c->window);
	return c->win ? 0 : -ENOMEM;
}

void ustat_cursor__exit(struct ustat_cursor *c)
{
	free(c->win);
	memset(c, 0, sizeof(*c));
}

/* The record at the cursor's end: a cut-off tail or damage. */
static int tail_left(struct ustat_reader *r, struct ustat_cursor *c, char *err, size_t errlen)
{
	if (c->have == c->pos)
		return 0;
	if (r->salvaged) {
		/* An unfinished file: a recorder killed mid-write. */
		ustat_warn("%s: last record is cut off (%zu bytes): ignored", r->path,
			   c->have - c->pos);
		return 0;
	}
	snprintf(err, errlen, "%s: the record at offset %#llx overruns the data section",
		 r->path, (unsigned long long)(c->off - c->have + c->pos));
	return -EINVAL;
}

/* How far ahead of the record in hand the walk prefetches. */
#define USTAT_READER_PREFETCH	2048

/* The same checks as the window's below, in the same order. */
static inline int next_mapped(struct ustat_reader *r, struct ustat_cursor *c,
		       union perf_event **evp, u64 *file_offset, char *err, size_t errlen)
{
	union perf_event *ev = (union perf_event *)(r->map + c->off);
	u64 avail = c->end - c->off;

	if (!avail)
		return 0;
	if (avail < sizeof(ev->header) || ev->header.size > avail) {
		snprintf(err, errlen, "%s: the record at offset %#llx overruns the data section",
			 r->path, (unsigned long long)c->off);
		return -EINVAL;
	}
	if (ev->header.size < sizeof(ev->header) || ev->header.size % 8) {
		snprintf(err, errlen, "%s: bad record size %u at offset %#llx", r->path,
			 ev->header.size, (unsigned long long)c->off);
		return -EINVAL;
	}
	*evp = ev;
	if (file_offset)
		*file_offset = c->off;
	c->off += ev->header.size;
	/*
	 * The records are read once, in order: the first touch of each
	 * missed the cache (most of record_time()'s samples).  A prefetch
	 * a few lines ahead hides it; past the mapping it is a no-op.
	 */
	__builtin_prefetch(r->map + c->off + USTAT_READER_PREFETCH);
	return 1;
}

int ustat_reader__next(struct ustat_reader *r, struct ustat_cursor *c,
		       union perf_event **evp, u64 *file_offset, char *err, size_t errlen)
{
	union perf_event *ev;
	u64 want;
	u16 size;

	if (r->map)
		return next_mapped(r, c, evp, file_offset, err, errlen);

	/* c->off is the file offset of win[have]: the next byte to load. */
	for (;;) {
		if (c->have - c->pos >= sizeof(struct perf_event_header) &&
		    c->have - c->pos >= ((struct perf_event_header *)(c->win + c->pos))->size)
			break;
		want = c->window - (c->have - c->pos);
		if (c->off >= c->end)
			return tail_left(r, c, err, errlen);
		memmove(c->win, c->win + c->pos, c->have - c->pos);
		c->have -= c->pos;
		c->pos = 0;
		if (want > c->end - c->off)
			want = c->end - c->off;
		if (ustat_reader__read_at(r, c->win + c->have, want, c->off)) {
			snprintf(err, errlen, "%s: read error in the data section", r->path);
			return -EIO;
		}
		c->have += want;
		c->off += want;
	}
	ev = (union perf_event *)(c->win + c->pos);
	size = ev->header.size;
	if (size < sizeof(ev->header) || size % 8) {
		/*
		 * An unfinished file may end with anything (a recorder killed
		 * while writing its features): salvage stops there.
		 */
		if (r->salvaged) {
			ustat_warn("%s: no records after offset %#llx (the recording was cut short)",
				   r->path, (unsigned long long)(c->off - c->have + c->pos));
			c->pos = c->have;
			c->off = c->end;
			return 0;
		}
		snprintf(err, errlen, "%s: bad record size %u at offset %#llx", r->path, size,
			 (unsigned long long)(c->off - c->have + c->pos));
		return -EINVAL;
	}
	*evp = ev;
	if (file_offset)
		*file_offset = c->off - c->have + c->pos;
	c->pos += size;
	return 1;
}

int ustat_reader__walk_events(struct ustat_reader *r, ustat_event_fn fn,
			      void *ctx, char *err, size_t errlen)
{
	struct ustat_cursor c;
	union perf_event *ev;
	u64 off;
	int ret;

	if (ustat_reader__cursor_init(r, &c))
		return -ENOMEM;
	/* next_mapped() inlined here: the loop of every report */
	while ((ret = r->map ? next_mapped(r, &c, &ev, &off, err, errlen) :
			       ustat_reader__next(r, &c, &ev, &off, err, errlen)) > 0) {
		ret = fn(ctx, ev, off);
		if (ret)
			break;
	}
	ustat_cursor__exit(&c);
	return ret;
}
