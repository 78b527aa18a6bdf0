// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/compiler.h>

#include "out-file.h"
#include "perf-file.h"
#include "perf-writer.h"
#include "perf-writer-int.h"

#define WRITER_BUF_SIZE	(4 << 20)

#ifndef USTAT_VERSION
#define USTAT_VERSION "0"
#endif

/* OFF < 0: a pipe, written in order. */
int ustat_writer__write_all(int fd, const void *p, size_t len, off_t off)
{
	const char *c = p;

	while (len) {
		ssize_t n = off < 0 ? write(fd, c, len) : pwrite(fd, c, len, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		c += n;
		len -= n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

int ustat_writer__open(struct ustat_writer *w, const char *path, bool force,
		       char *err, size_t errlen)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->dfd = -1;
	ret = ustat_out_file__create(&w->out, path, force, err, errlen);
	if (ret)
		return ret;
	w->buf_size = WRITER_BUF_SIZE;
	/* Aligned, so that the data section can be written with O_DIRECT. */
	if (posix_memalign((void **)&w->buf, USTAT_DIO_ALIGN, w->buf_size))
		w->buf = NULL;
	if (!w->buf) {
		snprintf(err, errlen, "out of memory");
		ustat_writer__abort(w);
		return -ENOMEM;
	}
	w->file_pos = sizeof(struct perf_file_header);
	return 0;
}

int ustat_writer__flush(struct ustat_writer *w)
{
	int ret;

	if (!w->buf_used || w->error)
		return w->error;
	if (w->dfd >= 0)
		return ustat_writer__direct_flush(w);
	ret = ustat_writer__write_all(w->out.fd, w->buf, w->buf_used,
				      w->out.pipe ? -1 : (off_t)w->file_pos);
	if (ret) {
		w->error = ret;
		return ret;
	}
	w->file_pos += w->buf_used;
	w->buf_used = 0;
	return 0;
}

/*
 * Everything goes through one buffer: data while recording, then features.
 * A record larger than what is free goes in pieces, each flush making room:
 * a direct flush keeps its last partial block, which must stay first.
 */
int ustat_writer__put(struct ustat_writer *w, const void *data, size_t len)
{
	const char *p = data;

	while (len && !w->error) {
		size_t n = w->buf_size - w->buf_used;

		if (!n && ustat_writer__flush(w))
			break;
		n = w->buf_size - w->buf_used;
		if (n > len)
			n = len;
		memcpy(w->buf + w->buf_used, p, n);
		w->buf_used += n;
		p += n;
		len -= n;
	}
	return w->error;
}

int ustat_writer__write(struct ustat_writer *w, const void *data, size_t len)
{
	if (!ustat_writer__put(w, data, len))
		w->data_size += len;
	return w->error;
}

static u64 pos(struct ustat_writer *w)
{
	return w->file_pos + w->buf_used;
}

static void init_header(struct perf_file_header *hdr, const struct ustat_writer *w)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = PERF_MAGIC2;
	hdr->size = sizeof(*hdr);
	hdr->attr_size = w->attr_size + sizeof(struct perf_file_section);
	hdr->attrs = w->attrs;
	hdr->data.offset = w->data_offset;
}

/*
 * perf refuses attrs larger than the struct it was built with ("more
 * recent and unsupported ABI"), so write the oldest size that holds every
 * field in use: Debian's perf 6.1 knows PERF_ATTR_SIZE_VER7, and nothing
 * uprobe-stat sets lies beyond it.
 */
static u32 file_attr_size(const struct ustat_file_event *events, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		const char *a = (const char *)&events[i].attr;
		size_t b;

		for (b = PERF_ATTR_SIZE_VER7; b < sizeof(events[i].attr); b++)
			if (a[b])
				return sizeof(events[i].attr);
	}
	return PERF_ATTR_SIZE_VER7;
}

int ustat_writer__begin(struct ustat_writer *w, const struct ustat_file_event *events,
			int nr_events)
{
	struct perf_file_header hdr;
	u64 ids_at = pos(w);
	int i;

	w->attr_size = file_attr_size(events, nr_events);
	if (w->out.pipe)
		return ustat_writer_pipe__begin(w, events, nr_events);
	for (i = 0; i < nr_events; i++)
		if (ustat_writer__put(w, events[i].ids, events[i].nr_ids * sizeof(u64)))
			return w->error;
	w->attrs.offset = pos(w);
	w->attrs.size = nr_events * (u64)(w->attr_size + sizeof(struct perf_file_section));
	for (i = 0; i < nr_events; i++) {
		struct perf_event_attr attr = events[i].attr;
		struct perf_file_section ids;

		attr.size = w->attr_size;
		ids.offset = ids_at;
		ids.size = events[i].nr_ids * sizeof(u64);
		ids_at += ids.size;
		if (ustat_writer__put(w, &attr, w->attr_size) || ustat_writer__put(w, &ids, sizeof(ids)))
			return w->error;
	}
	w->data_offset = pos(w);
	init_header(&hdr, w);
	if (ustat_writer__flush(w))
		return w->error;
	w->error = ustat_writer__write_all(w->out.fd, &hdr, sizeof(hdr), 0);
	return w->error;
}

int ustat_writer__put_u32(struct ustat_writer *w, u32 v)
{
	return ustat_writer__put(w, &v, sizeof(v));
}

static int put_u64(struct ustat_writer *w, u64 v)
{
	return ustat_writer__put(w, &v, sizeof(v));
}

/* perf_header_string: u32 padded length, the text, NUL padding. */
int ustat_writer__put_string(struct ustat_writer *w, const char *s)
{
	static const char zeros[PERF_STRING_ALIGN];
	size_t len = strlen(s) + 1;
	size_t padded = (len + PERF_STRING_ALIGN - 1) & ~(size_t)(PERF_STRING_ALIGN - 1);

	if (ustat_writer__put_u32(w, padded) || ustat_writer__put(w, s, len - 1))
		return w->error;
	return ustat_writer__put(w, zeros, padded - len + 1);
}

static void set_feat(struct perf_file_header *hdr, int feat)
{
	hdr->features[feat / 64] |= 1ULL << (feat % 64);
}

static int feat_tracing_data(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	return ustat_writer__put(w, d->tracing_data, d->tracing_data_size);
}

static int feat_uname(struct ustat_writer *w, int which)
{
	struct utsname u;

	if (uname(&u))
		return ustat_writer__put_string(w, "unknown");
	return ustat_writer__put_string(w, which == PERF_FEAT_HOSTNAME ? u.nodename :
			     which == PERF_FEAT_OSRELEASE ? u.release : u.machine);
}

static int feat_hostname(struct ustat_writer *w, const struct ustat_file_desc *d __maybe_unused)
{
	return feat_uname(w, PERF_FEAT_HOSTNAME);
}

static int feat_osrelease(struct ustat_writer *w, const struct ustat_file_desc *d __maybe_unused)
{
	return feat_uname(w, PERF_FEAT_OSRELEASE);
}

static int feat_arch(struct ustat_writer *w, const struct ustat_file_desc *d __maybe_unused)
{
	return feat_uname(w, PERF_FEAT_ARCH);
}

static int feat_version(struct ustat_writer *w, const struct ustat_file_desc *d __maybe_unused)
{
	return ustat_writer__put_string(w, "uprobe-stat " USTAT_VERSION);
}

static int feat_nrcpus(struct ustat_writer *w, const struct ustat_file_desc *d __maybe_unused)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF), onln = sysconf(_SC_NPROCESSORS_ONLN);

	if (ustat_writer__put_u32(w, conf > 0 ? conf : 1))
		return w->error;
	return ustat_writer__put_u32(w, onln > 0 ? onln : 1);
}

static int feat_cmdline(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	int i;

	if (ustat_writer__put_u32(w, d->argc))
		return w->error;
	for (i = 0; i < d->argc; i++)
		if (ustat_writer__put_string(w, d->argv[i]))
			return w->error;
	return 0;
}

static int feat_event_desc(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	int i;

	if (ustat_writer__put_u32(w, d->nr_events) || ustat_writer__put_u32(w, w->attr_size))
		return w->error;
	for (i = 0; i < d->nr_events; i++) {
		const struct ustat_file_event *e = &d->events[i];
		struct perf_event_attr attr = e->attr;

		attr.size = w->attr_size;
		if (ustat_writer__put(w, &attr, w->attr_size) || ustat_writer__put_u32(w, e->nr_ids) ||
		    ustat_writer__put_string(w, e->name) || ustat_writer__put(w, e->ids, e->nr_ids * sizeof(u64)))
			return w->error;
	}
	return 0;
}

static int feat_pmu_mappings(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	int i;

	if (ustat_writer__put_u32(w, d->nr_pmus))
		return w->error;
	for (i = 0; i < d->nr_pmus; i++)
		if (ustat_writer__put_u32(w, d->pmus[i].type) || ustat_writer__put_string(w, d->pmus[i].name))
			return w->error;
	return 0;
}

static int feat_sample_time(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	if (put_u64(w, d->time_start))
		return w->error;
	return put_u64(w, d->time_end);
}

static int feat_clockid(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	return put_u64(w, d->clock_res_ns);
}

static int feat_clock_data(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	if (ustat_writer__put_u32(w, 1) || ustat_writer__put_u32(w, d->clockid) || put_u64(w, d->clock_wall_ns))
		return w->error;
	return put_u64(w, d->clock_ref_ns);
}

static int feat_ustat_meta(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	int i, nr = 0;

	for (i = 0; i < d->nr_events; i++)
		nr += d->events[i].meta != NULL;
	if (ustat_writer__put_u32(w, nr + 1 + d->nr_extra_meta) || ustat_writer__put_string(w, d->session_meta))
		return w->error;
	for (i = 0; i < d->nr_events; i++)
		if (d->events[i].meta && ustat_writer__put_string(w, d->events[i].meta))
			return w->error;
	for (i = 0; i < d->nr_extra_meta; i++)
		if (ustat_writer__put_string(w, d->extra_meta[i]))
			return w->error;
	return 0;
}

const struct ustat_feat_writer ustat_feat_writers[] = {
	{ PERF_FEAT_TRACING_DATA,	feat_tracing_data },
	{ PERF_FEAT_HOSTNAME,		feat_hostname },
	{ PERF_FEAT_OSRELEASE,		feat_osrelease },
	{ PERF_FEAT_VERSION,		feat_version },
	{ PERF_FEAT_ARCH,		feat_arch },
	{ PERF_FEAT_NRCPUS,		feat_nrcpus },
	{ PERF_FEAT_CMDLINE,		feat_cmdline },
	{ PERF_FEAT_EVENT_DESC,		feat_event_desc },
	{ PERF_FEAT_PMU_MAPPINGS,	feat_pmu_mappings },
	{ PERF_FEAT_SAMPLE_TIME,	feat_sample_time },
	{ PERF_FEAT_CLOCKID,		feat_clockid },
	{ PERF_FEAT_CLOCK_DATA,		feat_clock_data },
	{ PERF_FEAT_USTAT_META,		feat_ustat_meta },
	{ 0, NULL },
};

bool ustat_writer__feat_wanted(int feat, const struct ustat_file_desc *d)
{
	switch (feat) {
	case PERF_FEAT_TRACING_DATA:
		return d->tracing_data_size > 0;
	case PERF_FEAT_CLOCKID:
	case PERF_FEAT_CLOCK_DATA:
		return d->use_clockid;
	case PERF_FEAT_SAMPLE_TIME:
		return d->time_end >= d->time_start && d->time_end;
	case PERF_FEAT_USTAT_META:
		return d->session_meta != NULL;
	default:
		return true;
	}
}

int ustat_writer__finish(struct ustat_writer *w, const struct ustat_file_desc *d)
{
	struct perf_file_section secs[ARRAY_SIZE(ustat_feat_writers) - 1];
	struct perf_file_header hdr;
	size_t i, nr = 0;
	u64 table;
	int ret;

	if (w->out.pipe)
		return ustat_writer_pipe__finish(w, d);
	/* The last partial block, then the features, through the cache. */
	if (ustat_writer__direct_end(w) || ustat_writer__flush(w))
		goto fail;

	init_header(&hdr, w);
	hdr.data.size = w->data_size;

	/* perf finds the feature table right after the data section. */
	for (i = 0; i < ARRAY_SIZE(ustat_feat_writers) - 1; i++) {
		if (ustat_writer__feat_wanted(ustat_feat_writers[i].feat, d)) {
			set_feat(&hdr, ustat_feat_writers[i].feat);
			nr++;
		}
	}
	table = pos(w);
	memset(secs, 0, sizeof(secs));
	if (ustat_writer__put(w, secs, nr * sizeof(secs[0])))
		goto fail;
	nr = 0;
	for (i = 0; i < ARRAY_SIZE(ustat_feat_writers) - 1; i++) {
		if (!ustat_writer__feat_wanted(ustat_feat_writers[i].feat, d))
			continue;
		secs[nr].offset = pos(w);
		if (ustat_feat_writers[i].fn(w, d))
			goto fail;
		secs[nr].size = pos(w) - secs[nr].offset;
		nr++;
	}

	if (ustat_writer__flush(w))
		goto fail;
	ret = ustat_writer__write_all(w->out.fd, secs, nr * sizeof(secs[0]), table);
	if (!ret)
		ret = ustat_writer__write_all(w->out.fd, &hdr, sizeof(hdr), 0);
	if (ret) {
		w->error = ret;
		goto fail;
	}
	/* Some file systems report a full disk only here. */
	if (fsync(w->out.fd)) {
		w->error = -errno;
		goto fail;
	}
	ret = ustat_out_file__commit(&w->out, NULL, 0);
	if (!ret)
		ret = ustat_out_file__close(&w->out);
	if (ret) {
		w->error = ret;
		goto fail;
	}
	free(w->buf);
	w->buf = NULL;
	return 0;
fail:
	return w->error ? w->error : -EIO;
}

void ustat_writer__abort(struct ustat_writer *w)
{
	if (w->dfd >= 0)
		close(w->dfd);
	w->dfd = -1;
	ustat_out_file__abort(&w->out);
	free(w->buf);
	w->buf = NULL;
}
