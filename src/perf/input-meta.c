// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-stat's own metadata: the "session" record, one "event" record per
 * probe event and the others (kernel events, cost...), kept as strings in
 * a feature section of its own, bit 250 of the header's feature bitmap
 * (standalone/perf-file.h).  perf's header code processes features only up
 * to HEADER_LAST_FEATURE and offers no hook for others, so the section is
 * found the way perf finds its own -- its entry in the table at
 * header.feat_offset, one entry per set bit -- and read with pread().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <byteswap.h>
#include <linux/bitmap.h>

#include "util/data.h"
#include "util/debug.h"
#include "util/header.h"
#include "util/session.h"
#include "util/uprobe-stat/core/meta.h"
#include "perf-input.h"

#define USTAT_FEAT_META		250
#define USTAT_META_MAX		(64 << 20)
#define USTAT_META_MAX_RECS	(1 << 16)

static int read_at(int fd, void *buf, size_t size, u64 off)
{
	ssize_t n = pread(fd, buf, size, off);

	return n == (ssize_t)size ? 0 : -EINVAL;
}

static u32 file_u32(const struct perf_header *h, const char *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return h->needs_swap ? bswap_32(v) : v;
}

/* The section's strings: a u32 count, then each a u32 length and its bytes. */
static int parse_strings(const struct perf_header *h, const char *p, const char *end,
			 char ***recs, int *nr)
{
	u32 n, i;

	*recs = NULL;
	*nr = 0;
	if (end - p < 4)
		return -EINVAL;
	n = file_u32(h, p);
	p += 4;
	if (n > USTAT_META_MAX_RECS)
		return -EINVAL;
	*recs = calloc(n + 1, sizeof(char *));
	if (!*recs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		u32 len;

		if (end - p < 4)
			return -EINVAL;
		len = file_u32(h, p);
		p += 4;
		if ((u64)(end - p) < len)
			return -EINVAL;
		(*recs)[i] = strndup(p, len);
		if (!(*recs)[i])
			return -ENOMEM;
		p += len;
		(*nr)++;
	}
	return 0;
}

int ustat_input__read_meta(struct ustat_input *in, char *err, size_t errlen)
{
	struct perf_header *h = &in->session->header;
	int fd = perf_data__fd(&in->data);
	struct perf_file_section sec;
	char **recs = NULL;
	char *buf;
	int idx, nr = 0, ret;

	if (!test_bit(USTAT_FEAT_META, h->adds_features))
		return 0;	/* stock perf's file: names say what the events are */
	idx = bitmap_weight(h->adds_features, USTAT_FEAT_META);
	if (read_at(fd, &sec, sizeof(sec), h->feat_offset + idx * sizeof(sec)))
		goto bad;
	if (h->needs_swap) {
		sec.offset = bswap_64(sec.offset);
		sec.size = bswap_64(sec.size);
	}
	if (sec.size > USTAT_META_MAX)
		goto bad;
	buf = malloc(sec.size + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (read_at(fd, buf, sec.size, sec.offset)) {
		free(buf);
		goto bad;
	}
	ret = parse_strings(h, buf, buf + sec.size, &recs, &nr);
	free(buf);
	if (ret) {
		while (nr--)
			free(recs[nr]);
		free(recs);
		if (ret == -ENOMEM) {
			snprintf(err, errlen, "out of memory");
			return ret;
		}
		goto bad;
	}
	ret = ustat_input__assign_meta(in, recs, nr);
	free(recs);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
bad:
	snprintf(err, errlen, "%s: uprobe-stat's metadata section is damaged", in->rec.path);
	return -EINVAL;
}

/*
 * Sort records out as the standalone reader does: the first "session"
 * record, the first "event" record of each event, the rest in order.
 * Takes the strings over.
 */
int ustat_input__assign_meta(struct ustat_input *in, char **recs, int nr)
{
	int i;

	in->meta = calloc(nr + 1, sizeof(char *));
	if (!in->meta) {
		for (i = 0; i < nr; i++)
			free(recs[i]);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		unsigned long long idx;
		char *rec = recs[i];

		if (ustat_meta__is(rec, "session") && !in->session_meta) {
			in->session_meta = rec;
			continue;
		}
		if (ustat_meta__is(rec, "event") && !ustat_meta__get_u64(rec, "idx", &idx) &&
		    idx < (u64)in->nr_events && !in->events[idx].meta) {
			in->events[idx].meta = rec;
			continue;
		}
		in->meta[in->rec.nr_meta++] = rec;
	}
	in->rec.session_meta = in->session_meta;
	in->rec.meta = in->meta;
	return 0;
}
