// SPDX-License-Identifier: GPL-2.0
/* The feature sections of a perf.data file: hostname, cmdline, events, metadata... */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/core/meta.h"
#include "perf-reader.h"
#include "perf-reader-int.h"

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
		/* (a stream sends them in several records: desc_next counts) */
		if (!evsel && !nr_ids && r->desc_next + i < (u32)r->nr_evsels)
			evsel = &r->evsels[r->desc_next + i];
		if (evsel && !evsel->name)
			evsel->name = name;
		else
			free(name);
	}
	r->desc_next += nr;
	return 0;
}

static int parse_meta(struct ustat_reader *r, struct feat_buf *b)
{
	u32 nr, i;

	if (fb_u32(b, &nr) || nr > MAX_STRINGS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		unsigned long long idx;
		char *rec;

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
		if (ustat_array_grow(r->meta, r->cap_meta, r->nr_meta + 1)) {
			free(rec);
			return -ENOMEM;
		}
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
	/* A stream may say a thing twice: the first is kept, as for tracing data. */
	switch (feat) {
	case PERF_FEAT_TRACING_DATA:
		if (r->tracing_data)
			return 0;
		r->tracing_data_size = b->end - b->p;
		r->tracing_data = malloc(r->tracing_data_size ? r->tracing_data_size : 1);
		if (!r->tracing_data)
			return -ENOMEM;
		memcpy(r->tracing_data, b->p, r->tracing_data_size);
		return 0;
	case PERF_FEAT_HOSTNAME:
		return r->hostname ? 0 : fb_string(b, &r->hostname);
	case PERF_FEAT_OSRELEASE:
		return r->osrelease ? 0 : fb_string(b, &r->osrelease);
	case PERF_FEAT_VERSION:
		return r->version ? 0 : fb_string(b, &r->version);
	case PERF_FEAT_ARCH:
		return r->arch ? 0 : fb_string(b, &r->arch);
	case PERF_FEAT_NRCPUS:
		if (fb_u32(b, &r->nr_cpus_avail) || fb_u32(b, &r->nr_cpus_online))
			return -EINVAL;
		return 0;
	case PERF_FEAT_CMDLINE:
		return r->cmdline ? 0 : parse_cmdline(r, b);
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

int ustat_reader__parse_feature(struct ustat_reader *r, int feat, const void *p, size_t len)
{
	struct feat_buf b = { .p = p, .end = (const char *)p + len };

	return parse_feature(r, feat, &b);
}

int ustat_reader__parse_meta(struct ustat_reader *r, const void *p, size_t len)
{
	struct feat_buf b = { .p = p, .end = (const char *)p + len };

	return parse_meta(r, &b);
}

int ustat_reader__read_features(struct ustat_reader *r, char *err, size_t errlen)
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
	if (ustat_reader__read_at(r, secs, (u64)nr * sizeof(*secs), table)) {
		snprintf(err, errlen, "%s: feature table is cut off (file truncated?)", r->path);
		ret = -EINVAL;
		goto out;
	}
	for (feat = 0; feat < PERF_FEAT_BITS; feat++) {
		struct feat_buf b;
		char *buf;

		if (!ustat_reader__has_feat(r, feat))
			continue;
		if (!ustat_reader__section_ok(r, &secs[i]) || secs[i].size > MAX_FEATURE_SIZE) {
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
		if (ustat_reader__read_at(r, buf, secs[i].size, secs[i].offset)) {
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
