/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_JSON_PARSE_H
#define __USTAT_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A small JSON reader for what uprobe-stat itself wrote (bench --json, read
 * back by bench --compare): the whole text into a tree.  None of the
 * libraries perf's tree may use parses JSON.  Bad input is an error naming
 * the line, never a crash; nesting is bounded.
 */
enum ustat_jv_type {
	USTAT_JV_NULL,
	USTAT_JV_BOOL,
	USTAT_JV_NUMBER,
	USTAT_JV_STRING,
	USTAT_JV_ARRAY,
	USTAT_JV_OBJECT,
};

struct ustat_jv {
	enum ustat_jv_type	 type;
	bool			 boolean;
	double			 number;
	char			*string;
	int			 nr;		/* array items, object members */
	struct ustat_jv		*items;
	char			**keys;		/* objects: keys[i] names items[i] */
	unsigned int		 cap_items;
	unsigned int		 cap_keys;
};

#define USTAT_JSON_MAX_DEPTH	64

int ustat_json__parse(const char *text, struct ustat_jv *root, char *err, size_t errlen);
void ustat_jv__free(struct ustat_jv *v);

/* Member KEY of object V, or NULL (V not an object, or no such key). */
const struct ustat_jv *ustat_jv__get(const struct ustat_jv *v, const char *key);
/* Member KEY as a number / string, or false / NULL when it is not one. */
bool ustat_jv__number(const struct ustat_jv *v, const char *key, double *out);
const char *ustat_jv__string(const struct ustat_jv *v, const char *key);

#endif /* __USTAT_JSON_PARSE_H */
