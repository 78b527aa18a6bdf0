/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_META_H
#define __USTAT_META_H

#include <stddef.h>

/*
 * uprobe-stat's metadata in perf.data (feature PERF_FEAT_USTAT_META): a
 * list of records, each one line of tab-separated key=value pairs whose
 * first word says what it describes, e.g.
 *
 *	event	idx=1	spec=work%return	binary=/usr/bin/x	return=1
 *
 * Text keeps the feature readable with strings(1) and lets later versions
 * add keys without breaking older readers, which ignore keys they do not
 * know.  Values escape '%', tab and newline as %25, %09 and %0a.
 */
struct ustat_meta_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

int ustat_meta__begin(struct ustat_meta_buf *b, const char *kind);
int ustat_meta__add(struct ustat_meta_buf *b, const char *key, const char *val);
int ustat_meta__add_u64(struct ustat_meta_buf *b, const char *key,
			unsigned long long val);
void ustat_meta__free(struct ustat_meta_buf *b);

/* The record's kind (first word) is KIND? */
int ustat_meta__is(const char *rec, const char *kind);
/*
 * Copy the unescaped value of KEY in REC into BUF (cut to fit); returns
 * the length copied, or -1 when the key is absent.
 */
int ustat_meta__get(const char *rec, const char *key, char *buf, size_t len);
int ustat_meta__get_u64(const char *rec, const char *key, unsigned long long *val);

#endif /* __USTAT_META_H */
