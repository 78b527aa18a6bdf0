// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "meta.h"

static int reserve(struct ustat_meta_buf *b, size_t more)
{
	return ustat_array_grow(b->s, b->cap, b->len + more + 1);
}

static int append(struct ustat_meta_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return -ENOMEM;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int ustat_meta__begin(struct ustat_meta_buf *b, const char *kind)
{
	b->len = 0;
	return append(b, kind, strlen(kind));
}

int ustat_meta__add(struct ustat_meta_buf *b, const char *key, const char *val)
{
	const char *p;

	if (append(b, "\t", 1) || append(b, key, strlen(key)) || append(b, "=", 1))
		return -ENOMEM;
	for (p = val ? val : ""; *p; p++) {
		char esc[4];

		if (*p == '%' || *p == '\t' || *p == '\n') {
			snprintf(esc, sizeof(esc), "%%%02x", (unsigned char)*p);
			if (append(b, esc, 3))
				return -ENOMEM;
		} else if (append(b, p, 1)) {
			return -ENOMEM;
		}
	}
	return 0;
}

int ustat_meta__add_u64(struct ustat_meta_buf *b, const char *key,
			unsigned long long val)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", val);
	return ustat_meta__add(b, key, num);
}

void ustat_meta__free(struct ustat_meta_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

int ustat_meta__is(const char *rec, const char *kind)
{
	size_t n = strlen(kind);

	return !strncmp(rec, kind, n) && (rec[n] == '\t' || rec[n] == '\0');
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ustat_meta__get(const char *rec, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key), n = 0;
	const char *p = rec;

	if (!len)
		return -1;
	while ((p = strchr(p, '\t')) != NULL) {
		p++;
		if (strncmp(p, key, klen) || p[klen] != '=')
			continue;
		for (p += klen + 1; *p && *p != '\t'; p++) {
			char c = *p;

			if (c == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				c = hexval(p[1]) * 16 + hexval(p[2]);
				p += 2;
			}
			if (n + 1 < len)
				buf[n++] = c;
		}
		buf[n] = '\0';
		return n;
	}
	return -1;
}

int ustat_meta__get_u64(const char *rec, const char *key, unsigned long long *val)
{
	char num[32], *end;

	if (ustat_meta__get(rec, key, num, sizeof(num)) <= 0)
		return -1;
	*val = strtoull(num, &end, 0);
	return *end ? -1 : 0;
}
