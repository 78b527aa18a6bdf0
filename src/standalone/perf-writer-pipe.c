// SPDX-License-Identifier: GPL-2.0
/*
 * perf's pipe format (perf record -o -), written to standard output: a
 * 16-byte header (the magic, and 16 where a file has its header size),
 * then only records, in order.  What a file keeps in its header and
 * feature sections goes first as records, as perf record's
 * perf_event__synthesize_for_pipe() sends them: a HEADER_ATTR per event
 * with its ids, HEADER_FEATURE records, HEADER_TRACING_DATA.  What is
 * known only at the end (the sample times, the clock's reference point,
 * uprobe-stat's metadata) follows the last data record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <perf/event.h>

#include "util/uprobe-stat/util/debug.h"
#include "perf-file.h"
#include "perf-writer.h"
#include "perf-writer-int.h"

static const char zeros[8];

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* A string's size in a feature (ustat_writer__put_string()). */
static size_t string_size(const char *s)
{
	return 4 + ((strlen(s) + PERF_STRING_ALIGN) & ~(size_t)(PERF_STRING_ALIGN - 1));
}

int ustat_writer_pipe__begin(struct ustat_writer *w, const struct ustat_file_event *events,
			     int nr_events)
{
	u64 hdr[2] = { PERF_MAGIC2, PERF_PIPE_HEADER_SIZE };
	int i;

	if (ustat_writer__put(w, hdr, sizeof(hdr)))
		return w->error;
	for (i = 0; i < nr_events; i++) {
		struct perf_event_attr attr = events[i].attr;
		size_t size = sizeof(struct perf_event_header) + w->attr_size +
			      events[i].nr_ids * sizeof(u64);
		struct perf_event_header eh = {
			.type = PERF_RECORD_HEADER_ATTR,
			.size = size,
		};

		/* One evsel a record: more ids than a record holds cannot be told. */
		if (size > USTAT_PIPE_RECORD_MAX) {
			w->error = -E2BIG;
			return w->error;
		}
		attr.size = w->attr_size;
		if (ustat_writer__put(w, &eh, sizeof(eh)) ||
		    ustat_writer__put(w, &attr, w->attr_size) ||
		    ustat_writer__put(w, events[i].ids, events[i].nr_ids * sizeof(u64)))
			return w->error;
	}
	/* A reader can set up its events before the first sample. */
	return ustat_writer__flush(w);
}

/*
 * Patch the size of the record begun at START into its header.  A record
 * too big for its u16 size is taken back out (and 1 returned).
 */
static int close_record(struct ustat_writer *w, size_t start, u64 pos_before)
{
	struct perf_event_header *eh = (struct perf_event_header *)(w->buf + start);
	size_t size = w->buf_used - start;

	if (ustat_writer__put(w, zeros, align8(size) - size))
		return w->error;
	size = align8(size);
	/* The buffer was flushed first: a record it cannot hold is no record. */
	if (w->file_pos != pos_before)
		return w->error = -E2BIG;
	if (size > USTAT_PIPE_RECORD_MAX) {
		w->buf_used = start;
		return 1;
	}
	eh->size = size;
	return 0;
}

static int feature_record(struct ustat_writer *w, int feat, ustat_feat_fn fn,
			  const struct ustat_file_desc *d)
{
	struct perf_record_header_feature fe = {
		.header.type = PERF_RECORD_HEADER_FEATURE,
		.feat_id = feat,
	};
	size_t start;
	u64 before;
	int ret;

	if (ustat_writer__flush(w))
		return w->error;
	start = w->buf_used;
	before = w->file_pos;
	if (ustat_writer__put(w, &fe, sizeof(fe)) || fn(w, d))
		return w->error;
	ret = close_record(w, start, before);
	if (ret > 0)
		ustat_warn("-o -: feature %d is too big for a record: left out of the stream",
			   feat);
	return ret < 0 ? ret : 0;
}

/* As many events a record as fit: 1,000 probes' names take several. */
static int event_desc_records(struct ustat_writer *w, ustat_feat_fn fn,
			      const struct ustat_file_desc *d)
{
	struct ustat_file_desc part = *d;
	int from = 0, to;

	while (from < d->nr_events) {
		size_t size = sizeof(struct perf_record_header_feature) + 8;

		for (to = from; to < d->nr_events; to++) {
			const struct ustat_file_event *e = &d->events[to];
			size_t one = w->attr_size + 4 + string_size(e->name) +
				     e->nr_ids * sizeof(u64);

			if (to > from && size + one > USTAT_PIPE_RECORD_MAX)
				break;
			size += one;
		}
		part.events = d->events + from;
		part.nr_events = to - from;
		if (feature_record(w, PERF_FEAT_EVENT_DESC, fn, &part))
			return w->error;
		from = to;
	}
	return 0;
}

/* Known only once the recording is over (see finish). */
static bool late_feat(int feat)
{
	return feat == PERF_FEAT_SAMPLE_TIME || feat == PERF_FEAT_CLOCK_DATA ||
	       feat == PERF_FEAT_USTAT_META;
}

/* HEADER_TRACING_DATA: its size, then the data after the record, 8-aligned. */
static int tracing_data_record(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	struct perf_record_header_tracing_data td = {
		.header.type = PERF_RECORD_HEADER_TRACING_DATA,
		.header.size = sizeof(td),
		.size = align8(d->tracing_data_size),
	};

	if (ustat_writer__put(w, &td, sizeof(td)) ||
	    ustat_writer__put(w, d->tracing_data, d->tracing_data_size))
		return w->error;
	return ustat_writer__put(w, zeros, td.size - d->tracing_data_size);
}

int ustat_writer__begin_desc(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	const struct ustat_feat_writer *f;

	if (!w->out.pipe)
		return 0;
	for (f = ustat_feat_writers; f->fn; f++) {
		if (late_feat(f->feat) || f->feat == PERF_FEAT_TRACING_DATA ||
		    !ustat_writer__feat_wanted(f->feat, d))
			continue;
		if (f->feat == PERF_FEAT_EVENT_DESC ? event_desc_records(w, f->fn, d) :
						       feature_record(w, f->feat, f->fn, d))
			return w->error;
	}
	if (d->tracing_data_size && tracing_data_record(w, d))
		return w->error;
	return ustat_writer__flush(w);
}

/* One metadata record of the strings S[0..NR). */
static int meta_record(struct ustat_writer *w, const char **s, int nr)
{
	struct ustat_pipe_meta m = {
		.header.type = PERF_RECORD_HEADER_EVENT_TYPE,
		.name = USTAT_PIPE_META_NAME,
	};
	size_t start;
	u64 before;
	int i;

	if (ustat_writer__flush(w))
		return w->error;
	start = w->buf_used;
	before = w->file_pos;
	if (ustat_writer__put(w, &m, sizeof(m)) || ustat_writer__put_u32(w, nr))
		return w->error;
	for (i = 0; i < nr; i++)
		if (ustat_writer__put_string(w, s[i]))
			return w->error;
	return close_record(w, start, before) > 0 ? -E2BIG : w->error;
}

/* The session record first, then the events' and the rest, in records that fit. */
static int meta_records(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	int i, nr = 0, from, to;
	const char **s;
	int ret = 0;

	s = calloc(1 + d->nr_events + d->nr_extra_meta, sizeof(*s));
	if (!s)
		return w->error = -ENOMEM;
	s[nr++] = d->session_meta;
	for (i = 0; i < d->nr_events; i++)
		if (d->events[i].meta)
			s[nr++] = d->events[i].meta;
	for (i = 0; i < d->nr_extra_meta; i++)
		s[nr++] = d->extra_meta[i];
	for (from = 0; from < nr && !ret; from = to) {
		size_t size = sizeof(struct ustat_pipe_meta) + 4 + string_size(s[from]);

		if (size > USTAT_PIPE_RECORD_MAX) {
			ustat_warn("-o -: a metadata record of %zu bytes is too big for the stream: left out",
				   size);
			to = from + 1;
			continue;
		}
		for (to = from + 1; to < nr; to++) {
			if (size + string_size(s[to]) > USTAT_PIPE_RECORD_MAX)
				break;
			size += string_size(s[to]);
		}
		ret = meta_record(w, s + from, to - from);
	}
	free(s);
	return ret;
}

int ustat_writer_pipe__finish(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	const struct ustat_feat_writer *f;
	int ret;

	for (f = ustat_feat_writers; f->fn; f++) {
		if (f->feat == PERF_FEAT_USTAT_META || !late_feat(f->feat) ||
		    !ustat_writer__feat_wanted(f->feat, d))
			continue;
		if (feature_record(w, f->feat, f->fn, d))
			return w->error;
	}
	/* Last: a reader that has the session record has the whole stream. */
	if (d->session_meta && meta_records(w, d))
		return w->error ? w->error : -EIO;
	if (ustat_writer__flush(w))
		return w->error;
	ret = ustat_out_file__close(&w->out);
	if (ret)
		return w->error = ret;
	free(w->buf);
	w->buf = NULL;
	return 0;
}
