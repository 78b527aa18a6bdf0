// SPDX-License-Identifier: GPL-2.0
/* A recursive-descent JSON reader (RFC 8259) into a tree: json-parse.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "json-parse.h"

struct jp {
	const char	*s;
	const char	*start;
	char		*err;
	size_t		 errlen;
	int		 depth;
};

static int jp_fail(struct jp *p, const char *what)
{
	const char *c;
	int line = 1;

	for (c = p->start; c < p->s; c++)
		line += *c == '\n';
	snprintf(p->err, p->errlen, "line %d: %s", line, what);
	return -EINVAL;
}

static void skip_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int hex4(const char *s, unsigned int *cp)
{
	int i;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*cp |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*cp |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

/* A code point as UTF-8; surrogates are passed through as they are. */
static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	o[0] = 0xe0 | (cp >> 12);
	o[1] = 0x80 | ((cp >> 6) & 0x3f);
	o[2] = 0x80 | (cp & 0x3f);
	return 3;
}

static char unescape(char c)
{
	return c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\t';
}

static int parse_string(struct jp *p, char **out)
{
	const char *s = ++p->s;	/* past the quote */
	size_t n = 0;
	char *o;

	/* The decoded string is never longer than its source. */
	while (*s && *s != '"') {
		if (*s == '\\' && s[1])
			s++;
		s++;
	}
	if (!*s)
		return jp_fail(p, "unterminated string");
	o = malloc(s - p->s + 1);
	if (!o)
		return -ENOMEM;
	while (*p->s != '"') {
		unsigned char c = *p->s++;
		unsigned int cp;

		if (c < 0x20) {
			free(o);
			return jp_fail(p, "control character in a string");
		}
		if (c != '\\') {
			o[n++] = c;
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			o[n++] = c;
			break;
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			o[n++] = unescape(c);
			break;
		case 'u':
			if (hex4(p->s, &cp)) {
				free(o);
				return jp_fail(p, "bad \\u escape");
			}
			p->s += 4;
			n += put_utf8(o + n, cp);
			break;
		default:
			free(o);
			return jp_fail(p, "bad escape in a string");
		}
	}
	p->s++;
	o[n] = '\0';
	*out = o;
	return 0;
}

static int parse_value(struct jp *p, struct ustat_jv *v);

static int add_item(struct ustat_jv *v, struct ustat_jv *item, char *key)
{
	if (ustat_array_grow(v->items, v->cap_items, v->nr + 1))
		return -ENOMEM;
	if (v->type == USTAT_JV_OBJECT) {
		if (ustat_array_grow(v->keys, v->cap_keys, v->nr + 1))
			return -ENOMEM;
		v->keys[v->nr] = key;
	}
	v->items[v->nr++] = *item;
	return 0;
}

/* An array or an object: items separated by commas up to CLOSE. */
static int parse_container(struct jp *p, struct ustat_jv *v, char close)
{
	int ret;

	if (++p->depth > USTAT_JSON_MAX_DEPTH)
		return jp_fail(p, "nested too deep");
	p->s++;
	skip_ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return 0;
	}
	for (;;) {
		struct ustat_jv item;
		char *key = NULL;

		skip_ws(p);
		if (close == '}') {
			if (*p->s != '"')
				return jp_fail(p, "expected a key in quotes");
			ret = parse_string(p, &key);
			if (ret)
				return ret;
			skip_ws(p);
			if (*p->s != ':') {
				free(key);
				return jp_fail(p, "expected ':' after a key");
			}
			p->s++;
		}
		ret = parse_value(p, &item);
		if (!ret) {
			ret = add_item(v, &item, key);
			if (ret)
				ustat_jv__free(&item);
		}
		if (ret) {
			free(key);
			return ret;
		}
		skip_ws(p);
		if (*p->s == close)
			break;
		if (*p->s != ',')
			return jp_fail(p, close == '}' ? "expected ',' or '}'" :
					  "expected ',' or ']'");
		p->s++;
	}
	p->s++;
	p->depth--;
	return 0;
}

static int parse_word(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(p->s, word, n))
		return jp_fail(p, "not a JSON value");
	p->s += n;
	return 0;
}

static int parse_value(struct jp *p, struct ustat_jv *v)
{
	char *end;

	memset(v, 0, sizeof(*v));
	skip_ws(p);
	switch (*p->s) {
	case '{':
		v->type = USTAT_JV_OBJECT;
		break;
	case '[':
		v->type = USTAT_JV_ARRAY;
		break;
	case '"':
		v->type = USTAT_JV_STRING;
		return parse_string(p, &v->string);
	case 't':
		v->type = USTAT_JV_BOOL;
		v->boolean = true;
		return parse_word(p, "true");
	case 'f':
		v->type = USTAT_JV_BOOL;
		return parse_word(p, "false");
	case 'n':
		return parse_word(p, "null");
	default:
		if (*p->s != '-' && (*p->s < '0' || *p->s > '9'))
			return jp_fail(p, *p->s ? "not a JSON value" : "unexpected end of input");
		v->type = USTAT_JV_NUMBER;
		v->number = strtod(p->s, &end);
		if (end == p->s)
			return jp_fail(p, "bad number");
		p->s = end;
		return 0;
	}
	{
		int ret = parse_container(p, v, v->type == USTAT_JV_OBJECT ? '}' : ']');

		if (ret)
			ustat_jv__free(v);
		return ret;
	}
}

int ustat_json__parse(const char *text, struct ustat_jv *root, char *err, size_t errlen)
{
	struct jp p = { .s = text, .start = text, .err = err, .errlen = errlen };
	int ret = parse_value(&p, root);

	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		return ret;
	skip_ws(&p);
	if (*p.s) {
		ustat_jv__free(root);
		return jp_fail(&p, "text after the JSON value");
	}
	return 0;
}

void ustat_jv__free(struct ustat_jv *v)
{
	int i;

	for (i = 0; i < v->nr; i++) {
		ustat_jv__free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
	memset(v, 0, sizeof(*v));
}

const struct ustat_jv *ustat_jv__get(const struct ustat_jv *v, const char *key)
{
	int i;

	if (!v || v->type != USTAT_JV_OBJECT)
		return NULL;
	for (i = 0; i < v->nr; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

bool ustat_jv__number(const struct ustat_jv *v, const char *key, double *out)
{
	const struct ustat_jv *m = ustat_jv__get(v, key);

	if (!m || m->type != USTAT_JV_NUMBER)
		return false;
	*out = m->number;
	return true;
}

const char *ustat_jv__string(const struct ustat_jv *v, const char *key)
{
	const struct ustat_jv *m = ustat_jv__get(v, key);

	return m && m->type == USTAT_JV_STRING ? m->string : NULL;
}
