// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "str-escape.h"

/*
 * How many bytes of S form one character that prints as it is: 1 for
 * printable ASCII and tab, 2-4 for a valid, shortest-form UTF-8 sequence of a code
 * point from U+00A0 on (not a C1 control, not a surrogate); 0 otherwise.
 */
static size_t printable_len(const unsigned char *s)
{
	unsigned int cp;
	size_t n, i;

	/* A tab moves the cursor and no more: source lines keep theirs. */
	if ((*s >= 0x20 && *s < 0x7f) || *s == '\t')
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf) {
		n = 2;
		cp = *s & 0x1f;
	} else if (*s >= 0xe0 && *s <= 0xef) {
		n = 3;
		cp = *s & 0x0f;
	} else if (*s >= 0xf0 && *s <= 0xf4) {
		n = 4;
		cp = *s & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool ustat_str__clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p) {
		n = printable_len(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

const char *ustat_str__safe(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;

	if (!s || ustat_str__clean(s))
		return s ? s : "";
	if (!len)
		return "";
	while (*p) {
		n = printable_len(p);
		if (n) {
			if (o + n >= len)
				break;
			memcpy(buf + o, p, n);
			o += n;
			p += n;
			continue;
		}
		if (o + 4 >= len)
			break;
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[*p >> 4];
		buf[o++] = hex[*p & 15];
		p++;
	}
	buf[o] = '\0';
	return buf;
}

void ustat_str__fput(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	while (*p) {
		n = printable_len(p);
		if (n) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			fprintf(out, "\\x%02x", *p++);
		}
	}
}

void ustat_str__json(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	while (*p) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', out);
			fputc(*p++, out);
			continue;
		}
		if (*p == '\n' || *p == '\t') {
			fputs(*p++ == '\n' ? "\\n" : "\\t", out);
			continue;
		}
		n = printable_len(p);
		if (n) {
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		/*
		 * A control character, or a byte of broken UTF-8: JSON has no
		 * raw bytes, so \u00NN (the byte's Latin-1 reading) keeps the
		 * document valid and the byte visible.  A valid C1 control
		 * (U+0080-U+009F, two bytes) is that one code point.
		 */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(out, "\\u%04x", p[1]);
			p += 2;
			continue;
		}
		fprintf(out, "\\u%04x", *p++);
	}
}
