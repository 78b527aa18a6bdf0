// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel prints an event format as
 *
 *	name: NAME
 *	ID: N
 *	format:
 *	\tfield:TYPE NAME[DIM];\toffset:N;\tsize:N;\tsigned:N;
 *	(one empty line between the common fields and the others)
 *
 *	print fmt: ...
 *
 * and header_page the same field lines with "field: " (a space).  Only the
 * part before "print fmt:" is checked: the caller never gives libtraceevent
 * the print format.
 */
#include <ctype.h>
#include <string.h>

#include "format-check.h"

struct line {
	const char	*p;
	const char	*end;
};

static bool eat(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(l->end - l->p) < n || memcmp(l->p, s, n))
		return false;
	l->p += n;
	return true;
}

static bool eat_number(struct line *l)
{
	const char *start = l->p;

	if (l->p < l->end && *l->p == '-')
		l->p++;
	while (l->p < l->end && isdigit((unsigned char)*l->p))
		l->p++;
	return l->p > start && isdigit((unsigned char)l->p[-1]);
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/*
 * "TYPE NAME" or "TYPE NAME[DIM]": printable, no ';', a type of at least
 * one word and a name that is an identifier.
 */
static bool declaration_ok(const char *s, const char *e)
{
	const char *name_end = e, *name;

	if (s >= e)
		return false;
	for (const char *c = s; c < e; c++)
		if (!isprint((unsigned char)*c) || *c == ';')
			return false;
	if (e[-1] == ']') {
		const char *open = memrchr(s, '[', e - s);

		if (!open)
			return false;
		for (const char *c = open + 1; c < e - 1; c++)
			if (!ident_char(*c) && *c != ' ')
				return false;
		name_end = open;
	}
	name = name_end;
	while (name > s && ident_char(name[-1]))
		name--;
	if (name == name_end || isdigit((unsigned char)*name))
		return false;
	/* the type: something other than blanks before the name */
	for (const char *c = s; c < name; c++)
		if (*c != ' ')
			return name[-1] == ' ' || name[-1] == '*' || name[-1] == ']';
	return false;
}

static bool field_line_ok(struct line l, const char *prefix)
{
	const char *semi;

	if (!eat(&l, prefix))
		return false;
	semi = memchr(l.p, ';', l.end - l.p);
	if (!semi || !declaration_ok(l.p, semi))
		return false;
	l.p = semi;
	return eat(&l, ";\toffset:") && eat_number(&l) &&
	       eat(&l, ";\tsize:") && eat_number(&l) &&
	       eat(&l, ";\tsigned:") && eat_number(&l) && eat(&l, ";") &&
	       l.p == l.end;
}

/* Every line of TEXT[0..LEN) is a field line or one of MAX_BLANK empty ones. */
static bool lines_ok(const char *text, size_t len, const char *prefix,
		     unsigned int max_blank)
{
	const char *p = text, *end = text + len;
	unsigned int fields = 0, blank = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		struct line l = { p, nl ? nl : end };

		if (l.p == l.end) {
			if (++blank > max_blank)
				return false;
		} else if (field_line_ok(l, prefix)) {
			fields++;
		} else {
			return false;
		}
		p = nl ? nl + 1 : end;
	}
	return fields > 0;
}

bool ustat_format__header_page_ok(const char *text, size_t len)
{
	return lines_ok(text, len, "\tfield: ", 0);
}

bool ustat_format__event_ok(const char *text, size_t len)
{
	const char *cut = memmem(text, len, "\nprint fmt:", 11);
	struct line l = { text, cut ? cut + 1 : text + len };
	const char *nl;

	if (!eat(&l, "name: "))
		return false;
	nl = memchr(l.p, '\n', l.end - l.p);
	if (!nl || nl == l.p)
		return false;
	for (const char *c = l.p; c < nl; c++)
		if (!ident_char(*c))
			return false;
	l.p = nl + 1;
	if (!eat(&l, "ID: ") || !eat_number(&l) || !eat(&l, "\nformat:\n"))
		return false;
	/* the common fields, a blank line, the event's own, a blank line */
	return lines_ok(l.p, l.end - l.p, "\tfield:", 2);
}
