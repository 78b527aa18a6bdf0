// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/meta.h"
#include "perf-reader.h"
#include "sample-parse.h"

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

static int read_at(struct ustat_reader *r, void *buf, u64 size, u64 off)
{
	char *p = buf;

	if (off > r->file_size || size > r->file_size - off)
		return -EINVAL;
	while (size) {
		ssize_t n = pread(r->fd, p, size, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		size -= n;
		off += n;
	}
	return 0;
}

static bool section_ok(const struct ustat_reader *r, const struct perf_file_section *s)
{
	return s->offset <= r->file_size && s->size <= r->file_size - s->offset;
}

bool ustat_reader__has_feat(const struct ustat_reader *r, int feat)
{
	return r->hdr.features[feat / 64] & (1ULL << (feat % 64));
}

static bool ustat_reader__any_feat(const struct ustat_reader *r)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(r->hdr.features); i++)
		if (r->hdr.features[i])
			return true;
	return false;
}

/* A feature's payload, read whole and walked with bounds checks. */
struct feat_buf {
	const char	*p;
	const char	*end;
};

static int fb_u32(struct feat_buf *b, u32 *v)
{
	if (b->end - b->p < 4)
		return -EINVAL;
	memcpy(v, b->p, 4);
	b->p += 4;
	return 0;
}

static int fb_u64(struct feat_buf *b, u64 *v)
{
	if (b->end - b->p < 8)
		return -EINVAL;
	memcpy(v, b->p, 8);
	b->p += 8;
	return 0;
}

static int fb_skip(struct feat_buf *b, u64 n)
{
	if ((u64)(b->end - b->p) < n)
		return -EINVAL;
	b->p += n;
	return 0;
}

static int fb_string(struct feat_buf *b, char **out)
{
	u32 len;

	if (fb_u32(b, &len) || (u64)(b->end - b->p) < len)
		return -EINVAL;
	*out = strndup(b->p, len);
	b->p += len;
	return *out ? 0 : -ENOMEM;
}

static int parse_event_desc(struct ustat_reader *r, struct feat_buf *b)
{
	u32 nr, attr_size, i, j;

	if (fb_u32(b, &nr) || fb_u32(b, &attr_size) || nr > MAX_ATTRS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		struct ustat_evsel *evsel = NULL;
		u32 nr_ids;
		u64 id0 = 0;
		char *name;

		if (fb_skip(b, attr_size) || fb_u32(b, &nr_ids) || fb_string(b, &name))
			return -EINVAL;
		if ((u64)nr_ids * 8 > (u64)(b->end - b->p)) {
			free(name);
			return -EINVAL;
		}
		if (nr_ids)
			memcpy(&id0, b->p, 8);
		b->p += (u64)nr_ids * 8;
		/* perf ties names to evsels through the ids; without ids, by position. */
		for (j = 0; nr_ids && j < (u32)r->nr_evsels && !evsel; j++) {
			u32 k;

			for (k = 0; k < r->evsels[j].nr_ids; k++)
				if (r->evsels[j].ids[k] == id0)
					evsel = &r->evsels[j];
		}
		if (!evsel && !nr_ids && i < (u32)r->nr_evsels)
			evsel = &r->evsels[i];
		if (evsel && !evsel->name)
			evsel->name = name;
		else
			free(name);
	}
	return 0;
}

static int parse_meta(struct ustat_reader *r, struct feat_buf *b)
{
	u32 nr, i;

	if (fb_u32(b, &nr) || nr > MAX_STRINGS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		unsigned long long idx;
		char *rec, **n;

		if (fb_string(b, &rec))
			return -EINVAL;
		if (ustat_meta__is(rec, "session") && !r->session_meta) {
			r->session_meta = rec;
			continue;
		}
		if (ustat_meta__is(rec, "event") && !ustat_meta__get_u64(rec, "idx", &idx) &&
		    idx < (u64)r->nr_evsels && !r->evsels[idx].meta) {
			r->evsels[idx].meta = rec;
			continue;
		}
		/* Kept for whoever knows the kind; unknown kinds are ignored there. */
		n = realloc(r->meta, (r->nr_meta + 1) * sizeof(*n));
		if (!n) {
			free(rec);
			return -ENOMEM;
		}
		r->meta = n;
		r->meta[r->nr_meta++] = rec;
	}
	return 0;
}

static int parse_cmdline(struct ustat_reader *r, struct feat_buf *b)
{
	u32 nr, i;

	if (fb_u32(b, &nr) || nr > MAX_STRINGS)
		return -EINVAL;
	r->cmdline = calloc(nr + 1, sizeof(char *));
	if (!r->cmdline)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (fb_string(b, &r->cmdline[i]))
			return -EINVAL;
		r->cmdline_nr++;
	}
	return 0;
}

static int parse_feature(struct ustat_reader *r, int feat, struct feat_buf *b)
{
	switch (feat) {
	case PERF_FEAT_TRACING_DATA:
		r->tracing_data_size = b->end - b->p;
		r->tracing_data = malloc(r->tracing_data_size ? r->tracing_data_size : 1);
		if (!r->tracing_data)
			return -ENOMEM;
		memcpy(r->tracing_data, b->p, r->tracing_data_size);
		return 0;
	case PERF_FEAT_HOSTNAME:
		return fb_string(b, &r->hostname);
	case PERF_FEAT_OSRELEASE:
		return fb_string(b, &r->osrelease);
	case PERF_FEAT_VERSION:
		return fb_string(b, &r->version);
	case PERF_FEAT_ARCH:
		return fb_string(b, &r->arch);
	case PERF_FEAT_NRCPUS:
		if (fb_u32(b, &r->nr_cpus_avail) || fb_u32(b, &r->nr_cpus_online))
			return -EINVAL;
		return 0;
	case PERF_FEAT_CMDLINE:
		return parse_cmdline(r, b);
	case PERF_FEAT_EVENT_DESC:
		return parse_event_desc(r, b);
	case PERF_FEAT_SAMPLE_TIME:
		if (fb_u64(b, &r->time_start) || fb_u64(b, &r->time_end))
			return -EINVAL;
		r->has_sample_time = true;
		return 0;
	case PERF_FEAT_CLOCKID:
		r->has_clockid = true;
		return fb_u64(b, &r->clockid_res_ns);
	case PERF_FEAT_USTAT_META:
		return parse_meta(r, b);
	default:
		return 0;	/* features uprobe-stat does not use */
	}
}

static int read_features(struct ustat_reader *r, char *err, size_t errlen)
{
	struct perf_file_section *secs;
	u64 table = r->hdr.data.offset + r->hdr.data.size;
	int nr = 0, feat, i = 0, ret = 0;

	for (feat = 0; feat < PERF_FEAT_BITS; feat++)
		nr += ustat_reader__has_feat(r, feat);
	if (!nr)
		return 0;
	secs = calloc(nr, sizeof(*secs));
	if (!secs)
		return -ENOMEM;
	if (read_at(r, secs, (u64)nr * sizeof(*secs), table)) {
		snprintf(err, errlen, "%s: feature table is cut off (file truncated?)", r->path);
		ret = -EINVAL;
		goto out;
	}
	for (feat = 0; feat < PERF_FEAT_BITS; feat++) {
		struct feat_buf b;
		char *buf;

		if (!ustat_reader__has_feat(r, feat))
			continue;
		if (!section_ok(r, &secs[i]) || secs[i].size > MAX_FEATURE_SIZE) {
			snprintf(err, errlen, "%s: feature %d section is out of the file's bounds",
				 r->path, feat);
			ret = -EINVAL;
			goto out;
		}
		buf = malloc(secs[i].size ? secs[i].size : 1);
		if (!buf) {
			ret = -ENOMEM;
			goto out;
		}
		if (read_at(r, buf, secs[i].size, secs[i].offset)) {
			free(buf);
			snprintf(err, errlen, "%s: cannot read feature %d", r->path, feat);
			ret = -EIO;
			goto out;
		}
		b.p = buf;
		b.end = buf + secs[i].size;
		ret = parse_feature(r, feat, &b);
		free(buf);
		if (ret) {
			snprintf(err, errlen, "%s: feature %d is malformed", r->path, feat);
			goto out;
		}
		i++;
	}
out:
	free(secs);
	return ret;
}

static int cmp_id(const void *a, const void *b)
{
	const struct ustat_id_map *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The id -> evsel map, and where samples keep their id. */
static int index_ids(struct ustat_reader *r, u64 total_ids, char *err, size_t errlen)
{
	int j, k, n;

	r->ids = calloc(total_ids ? total_ids : 1, sizeof(*r->ids));
	if (!r->ids)
		return -ENOMEM;
	for (j = 0, n = 0; j < r->nr_evsels; j++)
		for (k = 0; k < (int)r->evsels[j].nr_ids; k++) {
			r->ids[n].id = r->evsels[j].ids[k];
			r->ids[n++].idx = j;
		}
	r->nr_ids = n;
	qsort(r->ids, n, sizeof(*r->ids), cmp_id);

	/* Without PERF_SAMPLE_IDENTIFIER every event must put its id in one place. */
	r->id_pos = ustat_sample__id_pos(r->evsels[0].attr.sample_type);
	r->id_pos_trailer = ustat_sample__id_pos_trailer(r->evsels[0].attr.sample_type);
	for (j = 1; j < r->nr_evsels; j++) {
		u64 st = r->evsels[j].attr.sample_type;

		if (ustat_sample__id_pos(st) != r->id_pos ||
		    ustat_sample__id_pos_trailer(st) != r->id_pos_trailer) {
			snprintf(err, errlen,
				 "%s: events have different sample layouts and no PERF_SAMPLE_IDENTIFIER",
				 r->path);
			return -EINVAL;
		}
	}
	if (r->nr_evsels > 1 && r->id_pos < 0) {
		snprintf(err, errlen, "%s: %d events but samples carry no event id", r->path,
			 r->nr_evsels);
		return -EINVAL;
	}
	return 0;
}

static int read_attrs(struct ustat_reader *r, char *err, size_t errlen)
{
	u64 attr_part = r->hdr.attr_size - sizeof(struct perf_file_section);
	u64 nr = r->hdr.attrs.size / r->hdr.attr_size, i, total_ids = 0;
	char *buf;

	if (!nr || nr > MAX_ATTRS || r->hdr.attrs.size % r->hdr.attr_size) {
		snprintf(err, errlen, "%s: bad attrs section (%llu bytes for %llu-byte entries)",
			 r->path, (unsigned long long)r->hdr.attrs.size,
			 (unsigned long long)r->hdr.attr_size);
		return -EINVAL;
	}
	r->evsels = calloc(nr, sizeof(*r->evsels));
	buf = malloc(r->hdr.attr_size);
	if (!r->evsels || !buf) {
		free(buf);
		return -ENOMEM;
	}
	r->nr_evsels = nr;
	for (i = 0; i < nr; i++) {
		struct ustat_evsel *evsel = &r->evsels[i];
		struct perf_file_section ids;

		evsel->idx = i;
		if (read_at(r, buf, r->hdr.attr_size, r->hdr.attrs.offset + i * r->hdr.attr_size))
			goto bad;
		memcpy(&evsel->attr, buf,
		       attr_part < sizeof(evsel->attr) ? attr_part : sizeof(evsel->attr));
		memcpy(&ids, buf + attr_part, sizeof(ids));
		if (!section_ok(r, &ids) || ids.size % 8 || ids.size / 8 > MAX_IDS)
			goto bad;
		evsel->nr_ids = ids.size / 8;
		evsel->ids = calloc(evsel->nr_ids ? evsel->nr_ids : 1, 8);
		if (!evsel->ids) {
			free(buf);
			return -ENOMEM;
		}
		if (read_at(r, evsel->ids, ids.size, ids.offset))
			goto bad;
		total_ids += evsel->nr_ids;
	}
	free(buf);

	return index_ids(r, total_ids, err, errlen);
bad:
	free(buf);
	snprintf(err, errlen, "%s: attr %llu or its ids lie outside the file", r->path,
		 (unsigned long long)i);
	return -EINVAL;
}

static void name_unnamed(struct ustat_reader *r)
{
	int i;

	for (i = 0; i < r->nr_evsels; i++) {
		struct ustat_evsel *e = &r->evsels[i];
		char buf[64];

		if (e->name)
			continue;
		snprintf(buf, sizeof(buf), "event%d:type%u/config%#llx", i, e->attr.type,
			 (unsigned long long)e->attr.config);
		e->name = strdup(buf);
	}
}

int ustat_reader__open(struct ustat_reader *r, const char *path,
		       char *err, size_t errlen)
{
	struct stat st;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!strcmp(path, "-")) {
		snprintf(err, errlen,
			 "reading perf.data from standard input (pipe mode) is not supported: give a file");
		r->fd = -1;
		return -EINVAL;
	}
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (refused below). */
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (r->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return ret;
	}
	r->path = strdup(path);
	if (!r->path || fstat(r->fd, &st)) {
		snprintf(err, errlen, "cannot stat '%s'", path);
		ret = -EIO;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		ret = -EINVAL;
		goto fail;
	}
	r->file_size = st.st_size;
	if (r->file_size < 8 || read_at(r, &r->hdr.magic, 8, 0)) {
		snprintf(err, errlen, "%s: not a perf.data file (too short)", path);
		ret = -EINVAL;
		goto fail;
	}
	ret = -EINVAL;
	if (r->hdr.magic == PERF_MAGIC2_SWAPPED) {
		snprintf(err, errlen, "%s: perf.data of the other byte order is not supported",
			 path);
		goto fail;
	}
	if (r->hdr.magic == PERF_MAGIC1) {
		snprintf(err, errlen, "%s: version 1 perf.data (PERFFILE) is not supported", path);
		goto fail;
	}
	if (r->hdr.magic != PERF_MAGIC2) {
		snprintf(err, errlen, "%s: not a perf.data file (bad magic)", path);
		goto fail;
	}
	if (r->file_size >= 16 && !read_at(r, &r->hdr.size, 8, 8) &&
	    r->hdr.size == PERF_PIPE_HEADER_SIZE) {
		snprintf(err, errlen, "%s: pipe-mode perf.data is not supported (record to a file)",
			 path);
		goto fail;
	}
	if (read_at(r, &r->hdr, sizeof(r->hdr), 0)) {
		snprintf(err, errlen, "%s: header is cut off (file truncated?)", path);
		goto fail;
	}
	if (r->hdr.size != sizeof(r->hdr)) {
		snprintf(err, errlen, "%s: unexpected header size %llu", path,
			 (unsigned long long)r->hdr.size);
		goto fail;
	}
	if (r->hdr.attr_size < PERF_ATTR_SIZE_VER0 + sizeof(struct perf_file_section) ||
	    r->hdr.attr_size > 4096) {
		snprintf(err, errlen, "%s: unexpected attr size %llu", path,
			 (unsigned long long)r->hdr.attr_size);
		goto fail;
	}
	if (!section_ok(r, &r->hdr.attrs) || r->hdr.data.offset > r->file_size) {
		snprintf(err, errlen, "%s: header points outside the file (truncated?)", path);
		goto fail;
	}
	if (!r->hdr.data.size && !ustat_reader__any_feat(r)) {
		/*
		 * The writer fills in the data size and the features last; a
		 * recorder that was killed leaves neither.  Salvage what is
		 * there, as perf does.  (A finished empty recording has
		 * features.)
		 */
		r->hdr.data.size = r->file_size - r->hdr.data.offset;
		r->salvaged = true;
		ustat_warn("%s: data size is 0, the recording did not finish: reading to the end of the file",
			   path);
	}
	if (!section_ok(r, &r->hdr.data)) {
		snprintf(err, errlen, "%s: data section runs past the end of the file (truncated?)",
			 path);
		goto fail;
	}
	if (ustat_reader__has_feat(r, 27)) {	/* HEADER_COMPRESSED */
		snprintf(err, errlen, "%s: compressed perf.data (perf record -z) is not supported",
			 path);
		goto fail;
	}
	if (ustat_reader__has_feat(r, 24)) {	/* HEADER_DIR_FORMAT */
		snprintf(err, errlen, "%s: directory-format perf.data is not supported", path);
		goto fail;
	}
	ret = read_attrs(r, err, errlen);
	if (ret)
		goto fail;
	ret = read_features(r, err, errlen);
	if (ret)
		goto fail;
	name_unnamed(r);
	return 0;
fail:
	ustat_reader__close(r);
	return ret;
}

void ustat_reader__close(struct ustat_reader *r)
{
	int i;

	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->nr_evsels; i++) {
		free(r->evsels[i].ids);
		free(r->evsels[i].name);
		free(r->evsels[i].meta);
	}
	for (i = 0; r->cmdline && i < (int)r->cmdline_nr; i++)
		free(r->cmdline[i]);
	free(r->cmdline);
	free(r->evsels);
	free(r->ids);
	free(r->path);
	free(r->hostname);
	free(r->osrelease);
	free(r->arch);
	free(r->version);
	free(r->session_meta);
	for (i = 0; i < r->nr_meta; i++)
		free(r->meta[i]);
	free(r->meta);
	free(r->tracing_data);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

static struct ustat_evsel *evsel_by_id(struct ustat_reader *r, u64 id)
{
	struct ustat_id_hot *hot = &r->id_hot[id % USTAT_ID_HOT];
	int lo = 0, hi = r->nr_ids - 1;

	/* Each record is looked up twice (to queue it, to deliver it). */
	if (hot->evsel && hot->id == id)
		return hot->evsel;
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

struct ustat_evsel *ustat_reader__evsel_of(struct ustat_reader *r,
					   const union perf_event *ev)
{
	u64 words = (ev->header.size - sizeof(ev->header)) / 8;
	const u64 *p = (const u64 *)(&ev->header + 1);

	if (r->nr_evsels == 1)
		return &r->evsels[0];
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		if (r->id_pos < 0 || (u64)r->id_pos >= words)
			return NULL;
		return evsel_by_id(r, p[r->id_pos]);
	}
	if (!r->evsels[0].attr.sample_id_all || r->id_pos_trailer < 0 ||
	    (u64)r->id_pos_trailer > words)
		return NULL;
	return evsel_by_id(r, p[words - r->id_pos_trailer]);
}

int ustat_reader__cursor_init(struct ustat_reader *r, struct ustat_cursor *c)
{
	memset(c, 0, sizeof(*c));
	c->off = r->hdr.data.offset;
	c->end = r->hdr.data.offset + r->hdr.data.size;
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

int ustat_reader__next(struct ustat_reader *r, struct ustat_cursor *c,
		       union perf_event **evp, u64 *file_offset, char *err, size_t errlen)
{
	union perf_event *ev;
	u64 want;
	u16 size;

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
		if (read_at(r, c->win + c->have, want, c->off)) {
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
	while ((ret = ustat_reader__next(r, &c, &ev, &off, err, errlen)) > 0) {
		ret = fn(ctx, ev, off);
		if (ret)
			break;
	}
	ustat_cursor__exit(&c);
	return ret;
}

int ustat_reader__init_mem(struct ustat_reader *r, const struct ustat_file_event *events,
			   int nr, const char *session_meta, char *const *meta, int nr_meta,
			   const void *tracing_data, size_t tracing_data_size,
			   char *err, size_t errlen)
{
	u64 total_ids = 0;
	int i;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->path = strdup("(live)");
	r->evsels = calloc(nr ? nr : 1, sizeof(*r->evsels));
	r->meta = calloc(nr_meta ? nr_meta : 1, sizeof(*r->meta));
	if (!r->path || !r->evsels || !r->meta)
		goto nomem;
	r->nr_evsels = nr;
	for (i = 0; i < nr; i++) {
		struct ustat_evsel *e = &r->evsels[i];

		e->idx = i;
		e->attr = events[i].attr;
		e->nr_ids = events[i].nr_ids;
		e->ids = calloc(e->nr_ids ? e->nr_ids : 1, sizeof(u64));
		e->name = strdup(events[i].name);
		e->meta = events[i].meta ? strdup(events[i].meta) : NULL;
		if (!e->ids || !e->name || (events[i].meta && !e->meta))
			goto nomem;
		if (e->nr_ids)	/* -b opens no event: no ids, and no array */
			memcpy(e->ids, events[i].ids, e->nr_ids * sizeof(u64));
		total_ids += e->nr_ids;
	}
	for (i = 0; i < nr_meta; i++) {
		r->meta[i] = strdup(meta[i]);
		if (!r->meta[i])
			goto nomem;
		r->nr_meta++;
	}
	if (session_meta) {
		r->session_meta = strdup(session_meta);
		if (!r->session_meta)
			goto nomem;
	}
	if (tracing_data_size) {
		r->tracing_data = malloc(tracing_data_size);
		if (!r->tracing_data)
			goto nomem;
		memcpy(r->tracing_data, tracing_data, tracing_data_size);
		r->tracing_data_size = tracing_data_size;
	}
	if (index_ids(r, total_ids, err, errlen)) {
		ustat_reader__close(r);
		return -EINVAL;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	ustat_reader__close(r);
	return -ENOMEM;
}
