// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <traceevent/event-parse.h>

#include "util/uprobe-stat/util/array.h"
#include "format-check.h"
#include "tracing-data.h"

static const char magic[10] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
#define TDATA_VERSION	"0.6"

static int put(struct ustat_tdata *td, const void *p, size_t n)
{
	if (ustat_array_grow(td->buf, td->cap, td->len + n))
		return -ENOMEM;
	memcpy(td->buf + td->len, p, n);
	td->len += n;
	return 0;
}

static int put_u32(struct ustat_tdata *td, u32 v)
{
	return put(td, &v, 4);
}

static int put_u64(struct ustat_tdata *td, u64 v)
{
	return put(td, &v, 8);
}

static int put_file(struct ustat_tdata *td, const char *name, const char *text, size_t len)
{
	if (name && put(td, name, strlen(name) + 1))
		return -ENOMEM;
	if (put_u64(td, len))
		return -ENOMEM;
	return put(td, text, len);
}

int ustat_tdata__build(struct ustat_tdata *td, const char *header_page, size_t hp_len,
		       const char *header_event, size_t he_len,
		       const struct ustat_tdata_event *events, int nr)
{
	u8 endian = 0, long_size = sizeof(long);
	u32 page = sysconf(_SC_PAGESIZE);
	int i, j, nsys = 0;

	memset(td, 0, sizeof(*td));
	if (put(td, magic, sizeof(magic)) || put(td, TDATA_VERSION, sizeof(TDATA_VERSION)) ||
	    put(td, &endian, 1) || put(td, &long_size, 1) || put_u32(td, page) ||
	    put_file(td, "header_page", header_page, hp_len) ||
	    put_file(td, "header_event", header_event, he_len) || put_u32(td, 0))
		return -ENOMEM;

	/* Events are grouped by system, in the order the systems first appear. */
	for (i = 0; i < nr; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(events[j].system, events[i].system))
				break;
		nsys += j == i;
	}
	if (put_u32(td, nsys))
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		u32 count = 0;

		for (j = 0; j < i; j++)
			if (!strcmp(events[j].system, events[i].system))
				break;
		if (j < i)
			continue;	/* system already written */
		for (j = i; j < nr; j++)
			count += !strcmp(events[j].system, events[i].system);
		if (put(td, events[i].system, strlen(events[i].system) + 1) || put_u32(td, count))
			return -ENOMEM;
		for (j = i; j < nr; j++)
			if (!strcmp(events[j].system, events[i].system) &&
			    put_file(td, NULL, events[j].format, events[j].format_len))
				return -ENOMEM;
	}
	/* No kallsyms, printk formats or saved cmdlines: not needed for our fields. */
	if (put_u32(td, 0) || put_u32(td, 0) || put_u64(td, 0))
		return -ENOMEM;
	return 0;
}

void ustat_tdata__free(struct ustat_tdata *td)
{
	free(td->buf);
	memset(td, 0, sizeof(*td));
}

/* A bounds-checked cursor over the blob. */
struct rd {
	const char	*p;
	const char	*end;
};

static int rd_bytes(struct rd *r, size_t n, const char **out)
{
	if ((size_t)(r->end - r->p) < n)
		return -EINVAL;
	*out = r->p;
	r->p += n;
	return 0;
}

static int rd_u32(struct rd *r, u32 *v)
{
	const char *p;

	if (rd_bytes(r, 4, &p))
		return -EINVAL;
	memcpy(v, p, 4);
	return 0;
}

static int rd_u64(struct rd *r, u64 *v)
{
	const char *p;

	if (rd_bytes(r, 8, &p))
		return -EINVAL;
	memcpy(v, p, 8);
	return 0;
}

static int rd_str(struct rd *r, const char **s)
{
	const char *nul = memchr(r->p, '\0', r->end - r->p);

	if (!nul)
		return -EINVAL;
	*s = r->p;
	r->p = nul + 1;
	return 0;
}

/*
 * Hand libtraceevent a format with its print format replaced by "": only
 * the fields are used here, and the print format is a C expression whose
 * parser a malformed file can crash (fuzzing found that in 1.7.1).
 */
static int parse_fields_only(struct tep_handle *tep, const char *text, u64 size,
			     const char *sys)
{
	static const char print[] = "\nprint fmt: \"\"\n";
	const char *cut = memmem(text, size, "\nprint fmt:", 11);
	size_t keep = cut ? (size_t)(cut - text) : size;
	char *buf;
	int ret;

	/* and the fields' parser too: see format-check.c */
	if (!ustat_format__event_ok(text, size))
		return -EINVAL;
	buf = malloc(keep + sizeof(print));
	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, keep);
	memcpy(buf + keep, print, sizeof(print));
	ret = tep_parse_event(tep, buf, keep + sizeof(print) - 1, sys);
	free(buf);
	return ret;
}

/* "name\0" u64 size, then the text; NAME must match. */
static int rd_file(struct rd *r, const char *name, const char **text, u64 *len)
{
	const char *n;

	if (rd_str(r, &n) || strcmp(n, name) || rd_u64(r, len) ||
	    *len > (u64)(r->end - r->p))
		return -EINVAL;
	return rd_bytes(r, *len, text);
}

struct tep_handle *ustat_tdata__parse(const void *buf, size_t len, char *err, size_t errlen)
{
	struct rd r = { buf, (const char *)buf + len };
	const char *p, *version, *text;
	struct tep_handle *tep;
	u32 page, nftrace, nsys, i, j;
	u8 endian, long_size;
	u64 size;

	if (rd_bytes(&r, sizeof(magic), &p) || memcmp(p, magic, sizeof(magic))) {
		snprintf(err, errlen, "tracing data: bad magic");
		return NULL;
	}
	if (rd_str(&r, &version) || rd_bytes(&r, 1, &p)) {
		snprintf(err, errlen, "tracing data: truncated header");
		return NULL;
	}
	endian = p[0];
	if (rd_bytes(&r, 1, &p) || rd_u32(&r, &page)) {
		snprintf(err, errlen, "tracing data: truncated header");
		return NULL;
	}
	long_size = p[0];
	if (endian != 0 || (long_size != 4 && long_size != 8)) {
		snprintf(err, errlen, "tracing data: big-endian or %u-byte longs are not supported",
			 long_size);
		return NULL;
	}
	tep = tep_alloc();
	if (!tep) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tep_set_long_size(tep, long_size);
	tep_set_page_size(tep, page);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	if (rd_file(&r, "header_page", &text, &size) ||
	    !ustat_format__header_page_ok(text, size))
		goto bad;
	/* libtraceevent takes a char * but only reads it */
	tep_parse_header_page(tep, (char *)text, size, long_size);
	if (rd_file(&r, "header_event", &text, &size))
		goto bad;
	if (rd_u32(&r, &nftrace))
		goto bad;
	for (i = 0; i < nftrace; i++)
		if (rd_u64(&r, &size) || rd_bytes(&r, size, &text))
			goto bad;
	if (rd_u32(&r, &nsys) || nsys > 4096)
		goto bad;
	for (i = 0; i < nsys; i++) {
		const char *sys;
		u32 count;

		if (rd_str(&r, &sys) || rd_u32(&r, &count) || count > 65536)
			goto bad;
		for (j = 0; j < count; j++) {
			if (rd_u64(&r, &size) || size > (u64)(r.end - r.p) ||
			    rd_bytes(&r, size, &text))
				goto bad;
			if (parse_fields_only(tep, text, size, sys)) {
				snprintf(err, errlen, "tracing data: cannot parse a format of %s",
					 sys);
				tep_free(tep);
				return NULL;
			}
		}
	}
	/* kallsyms, printk formats and saved cmdlines follow: not needed. */
	return tep;
bad:
	snprintf(err, errlen, "tracing data: malformed or truncated");
	tep_free(tep);
	return NULL;
}
