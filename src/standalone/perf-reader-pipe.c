// SPDX-License-Identifier: GPL-2.0
/*
 * perf's pipe format (perf record -o -, ours or stock perf's), read in
 * order from a stream: standard input, or a file that was written so.
 * There is no header to seek to: the events come as HEADER_ATTR records,
 * the features as HEADER_FEATURE and HEADER_TRACING_DATA records, some of
 * them after the data (perf-writer-pipe.c puts uprobe-stat's metadata
 * last), and the core wants them all before the first sample.  So the
 * stream is read to its end at open: the header records are parsed into
 * the reader as they come, the data records go to an unlinked temporary
 * file, and that file is then the data section, read as a file's is (the
 * walk, the TUI's replay, the start time), with memory bounded as for a
 * file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <perf/event.h>

#include "perf-reader.h"
#include "perf-reader-int.h"

#define STREAM_BUF	(1 << 20)

struct stream {
	int	 fd;
	char	*in;
	size_t	 have;
	size_t	 pos;
	u64	 off;		/* bytes of the stream consumed */
	int	 spool;
	char	*out;
	size_t	 out_used;
	u64	 spooled;
	u64	 total_ids;
	char	*rec;		/* the record being parsed */
};

/* Up to N bytes: fewer only at the end of the stream. */
static ssize_t stream_read(struct stream *s, void *dst, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t take;

		if (s->pos == s->have) {
			ssize_t k = read(s->fd, s->in, STREAM_BUF);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return -errno;
			if (!k)
				break;
			s->have = k;
			s->pos = 0;
		}
		take = min(n - got, s->have - s->pos);
		memcpy((char *)dst + got, s->in + s->pos, take);
		s->pos += take;
		got += take;
	}
	s->off += got;
	return got;
}

static int spool_flush(struct stream *s)
{
	size_t done = 0;

	while (done < s->out_used) {
		ssize_t n = write(s->spool, s->out + done, s->out_used - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += n;
	}
	s->out_used = 0;
	return 0;
}

static int spool(struct stream *s, const void *p, size_t n)
{
	if (s->out_used + n > STREAM_BUF && spool_flush(s))
		return -EIO;
	memcpy(s->out + s->out_used, p, n);
	s->out_used += n;
	s->spooled += n;
	return 0;
}

/* An unlinked file of our own for the data section. */
static int spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/perf-uprobe-stat-stream.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* HEADER_ATTR: the attr, its size in it, the event's ids after it. */
static int add_attr(struct ustat_reader *r, struct stream *s, size_t size)
{
	const char *p = s->rec + sizeof(struct perf_event_header);
	size_t body = size - sizeof(struct perf_event_header);
	struct ustat_evsel *e, *grown;
	u32 asize;

	if (body < PERF_ATTR_SIZE_VER0 || r->nr_evsels >= MAX_ATTRS)
		return -EINVAL;
	memcpy(&asize, p + offsetof(struct perf_event_attr, size), sizeof(asize));
	if (asize < PERF_ATTR_SIZE_VER0 || asize > body || (body - asize) % 8 ||
	    (body - asize) / 8 > MAX_IDS)
		return -EINVAL;
	grown = realloc(r->evsels, (r->nr_evsels + 1) * sizeof(*r->evsels));
	if (!grown)
		return -ENOMEM;
	r->evsels = grown;
	e = &r->evsels[r->nr_evsels];
	memset(e, 0, sizeof(*e));
	e->idx = r->nr_evsels;
	memcpy(&e->attr, p, min_t(size_t, asize, sizeof(e->attr)));
	e->nr_ids = (body - asize) / 8;
	e->ids = calloc(e->nr_ids ? e->nr_ids : 1, sizeof(u64));
	if (!e->ids)
		return -ENOMEM;
	memcpy(e->ids, p + asize, e->nr_ids * sizeof(u64));
	r->nr_evsels++;
	s->total_ids += e->nr_ids;
	return 0;
}

/* HEADER_TRACING_DATA: the formats follow the record, SIZE bytes (8-aligned). */
static int add_tracing_data(struct ustat_reader *r, struct stream *s, size_t size)
{
	struct perf_record_header_tracing_data td;
	void *buf;
	ssize_t n;

	if (size < sizeof(td))
		return -EINVAL;
	memcpy(&td, s->rec, sizeof(td));
	if (td.size > MAX_FEATURE_SIZE)
		return -EINVAL;
	buf = malloc(td.size ? td.size : 1);
	if (!buf)
		return -ENOMEM;
	n = stream_read(s, buf, td.size);
	if (n != (ssize_t)td.size) {
		free(buf);
		return n < 0 ? (int)n : -EPIPE;
	}
	if (r->tracing_data) {		/* one is enough: keep the first */
		free(buf);
		return 0;
	}
	r->tracing_data = buf;
	r->tracing_data_size = td.size;
	return 0;
}

/* One record of the stream's header kind; others are data, or skipped. */
static int add_record(struct ustat_reader *r, struct stream *s, u32 type, size_t size,
		      char *err, size_t errlen)
{
	struct perf_record_header_feature fe;
	struct ustat_pipe_meta m;
	int ret;

	switch (type) {
	case PERF_RECORD_HEADER_ATTR:
		ret = add_attr(r, s, size);
		if (ret == -EINVAL)
			snprintf(err, errlen, "%s: bad HEADER_ATTR record at byte %llu", r->path,
				 (unsigned long long)(s->off - size));
		return ret;
	case PERF_RECORD_HEADER_TRACING_DATA:
		ret = add_tracing_data(r, s, size);
		if (ret == -EINVAL || ret == -EPIPE)
			snprintf(err, errlen, "%s: tracing data %s at byte %llu", r->path,
				 ret == -EPIPE ? "cut off (truncated stream?)" : "is malformed",
				 (unsigned long long)s->off);
		return ret == -EPIPE ? -EINVAL : ret;
	case PERF_RECORD_HEADER_FEATURE:
		if (size < sizeof(fe))
			return 0;
		memcpy(&fe, s->rec, sizeof(fe));
		/* perf ends its features with its HEADER_LAST_FEATURE: no feature here */
		if (fe.feat_id >= PERF_FEAT_BITS || fe.feat_id == PERF_FEAT_USTAT_META)
			return 0;
		ret = ustat_reader__parse_feature(r, fe.feat_id, s->rec + sizeof(fe),
						  size - sizeof(fe));
		if (ret == -EINVAL)
			snprintf(err, errlen, "%s: feature %llu is malformed", r->path,
				 (unsigned long long)fe.feat_id);
		if (!ret)
			r->hdr.features[fe.feat_id / 64] |= 1ULL << (fe.feat_id % 64);
		return ret;
	case PERF_RECORD_HEADER_EVENT_TYPE:
		/* Deprecated in perf; uprobe-stat's metadata when so named. */
		if (size < sizeof(m))
			return 0;
		memcpy(&m, s->rec, sizeof(m));
		if (strncmp(m.name, USTAT_PIPE_META_NAME, sizeof(m.name)))
			return 0;
		ret = ustat_reader__parse_meta(r, s->rec + sizeof(m), size - sizeof(m));
		if (ret == -EINVAL)
			snprintf(err, errlen, "%s: uprobe-stat metadata is malformed", r->path);
		return ret;
	case PERF_RECORD_COMPRESSED:
		snprintf(err, errlen, "%s: compressed perf.data (perf record -z) is not supported",
			 r->path);
		return -EINVAL;
	case PERF_RECORD_AUXTRACE:
		snprintf(err, errlen, "%s: AUX area data is not supported", r->path);
		return -EINVAL;
	case PERF_RECORD_FINISHED_ROUND:
	case PERF_RECORD_FINISHED_INIT:
		break;
	default:
		if (type >= PERF_RECORD_USER_TYPE_START)
			return 0;	/* build ids, id index, stat...: not used */
		break;
	}
	if (size % 8) {
		snprintf(err, errlen, "%s: bad record size %zu at byte %llu", r->path, size,
			 (unsigned long long)(s->off - size));
		return -EINVAL;
	}
	return spool(s, s->rec, size) ? -EIO : 0;
}

static int read_records(struct ustat_reader *r, struct stream *s, char *err, size_t errlen)
{
	for (;;) {
		struct perf_event_header *eh = (struct perf_event_header *)s->rec;
		u64 at = s->off;
		ssize_t n = stream_read(s, eh, sizeof(*eh));
		int ret;

		if (!n)
			return 0;
		if (n > 0 && n < (ssize_t)sizeof(*eh))
			goto cut;
		if (n < 0)
			goto ioerr;
		if (eh->size < sizeof(*eh)) {
			snprintf(err, errlen, "%s: bad record size %u at byte %llu", r->path,
				 eh->size, (unsigned long long)at);
			return -EINVAL;
		}
		n = stream_read(s, s->rec + sizeof(*eh), eh->size - sizeof(*eh));
		if (n < 0)
			goto ioerr;
		if (n != (ssize_t)(eh->size - sizeof(*eh)))
			goto cut;
		ret = add_record(r, s, eh->type, eh->size, err, errlen);
		if (ret) {
			if (!err[0])
				snprintf(err, errlen, "%s: %s", r->path, strerror(-ret));
			return ret;
		}
		continue;
cut:
		snprintf(err, errlen, "%s: the stream ends inside the record at byte %llu (cut off?)",
			 r->path, (unsigned long long)at);
		return -EINVAL;
ioerr:
		snprintf(err, errlen, "%s: read error: %s", r->path, strerror((int)-n));
		return (int)n;
	}
}

/* What a finished stream has; what is missing says it was cut short. */
static int check_complete(struct ustat_reader *r, char *err, size_t errlen)
{
	if (!r->nr_evsels) {
		snprintf(err, errlen, "%s: no events in the stream (empty, or cut off at the start?)",
			 r->path);
		return -EINVAL;
	}
	/* uprobe-stat's own stream ends with its metadata: without it, it was cut. */
	if (r->version && !strncmp(r->version, "uprobe-stat", 11) && !r->session_meta) {
		snprintf(err, errlen, "%s: the stream ends before its last records (cut off?)",
			 r->path);
		return -EINVAL;
	}
	return 0;
}

int ustat_reader__read_stream(struct ustat_reader *r, char *err, size_t errlen)
{
	struct stream s = { .fd = r->fd, .spool = -1 };
	u64 hdr[2];
	ssize_t n;
	int ret = -ENOMEM;

	err[0] = '\0';
	s.in = malloc(STREAM_BUF);
	s.out = malloc(STREAM_BUF);
	s.rec = malloc(65536);
	if (!s.in || !s.out || !s.rec) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = -EINVAL;
	n = stream_read(&s, hdr, sizeof(hdr));
	if (n < (ssize_t)sizeof(hdr) || hdr[0] != PERF_MAGIC2) {
		snprintf(err, errlen, "%s: %s", r->path,
			 n < 0 ? strerror((int)-n) :
			 !n ? "empty: no perf.data stream" :
			 n >= 8 && hdr[0] == PERF_MAGIC2_SWAPPED ?
				"perf.data of the other byte order is not supported" :
			 "not a perf.data stream (bad magic)");
		goto out;
	}
	if (hdr[1] != PERF_PIPE_HEADER_SIZE) {
		snprintf(err, errlen, "%s: a perf.data file, not a stream: give it as a file (-i FILE)",
			 r->path);
		goto out;
	}
	s.spool = spool_open();
	if (s.spool < 0) {
		snprintf(err, errlen, "%s: no temporary file for the stream's data: %s", r->path,
			 strerror(errno));
		goto out;
	}
	ret = read_records(r, &s, err, errlen);
	if (!ret)
		ret = check_complete(r, err, errlen);
	if (!ret && spool_flush(&s)) {
		snprintf(err, errlen, "%s: cannot keep the stream's data: %s", r->path,
			 strerror(errno));
		ret = -EIO;
	}
	if (ret)
		goto out;
	/* From here on the spool is the file, its whole length the data section. */
	close(r->fd);
	r->fd = s.spool;
	s.spool = -1;
	r->file_size = s.spooled;
	r->hdr.magic = PERF_MAGIC2;
	r->hdr.size = sizeof(r->hdr);
	r->hdr.data.offset = 0;
	r->hdr.data.size = s.spooled;
	ret = ustat_reader__index_ids(r, s.total_ids, err, errlen);
out:
	if (s.spool >= 0)
		close(s.spool);
	free(s.in);
	free(s.out);
	free(s.rec);
	return ret;
}
