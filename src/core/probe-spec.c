// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe-spec.h"

#define MAX_FIELDS	3

/*
 * Characters that may appear in a function name we accept on the command
 * line: an ELF symbol, a C++ name as demangled ("ns::C::f(int) const",
 * "twice<int>") or a pattern ("str*", "*alloc", "f[0-9]").  Patterns and
 * C++ names are resolved by probe-expand.c.
 */
static bool is_sym_char(char c, bool first)
{
	if (isalpha((unsigned char)c) || c == '_' || c == '.' || c == '$')
		return true;
	if (c && strchr("*?[]~:<>()&", c))
		return true;
	return !first && (isdigit((unsigned char)c) || c == '@');
}

/* Blanks and commas only in a C++ signature or template: "f(int, char)". */
static bool is_cxx_char(const char *func, char c)
{
	return (c == ' ' || c == ',' || c == '-') && strpbrk(func, "(<");
}

/* The next ':' that separates fields: "::" belongs to a C++ name, but not in "sdt::". */
static char *next_colon(char *p)
{
	if (!strncmp(p, "sdt::", 5))
		return p + 3;
	for (; *p; p++) {
		if (*p != ':')
			continue;
		/* "ns::f", "C::~C", "ns::*": a scope, when a name follows. */
		if (p[1] == ':' &&
		    (isalpha((unsigned char)p[2]) || (p[2] && strchr("_~*?", p[2])))) {
			p++;
			continue;
		}
		return p;
	}
	return NULL;
}

/* USDT providers and names are C identifiers: sys/sdt.h pastes them into symbols. */
static bool is_sdt_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int parse_offset(const char *s, u64 *off)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*off = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int check_func_name(const char *text, const char *func, char *err, size_t errlen)
{
	const char *p;

	if (!*func) {
		snprintf(err, errlen, "probe '%s': no function name", text);
		return -EINVAL;
	}
	for (p = func; *p; p++) {
		if (!is_sym_char(*p, p == func) && !is_cxx_char(func, *p)) {
			snprintf(err, errlen, "probe '%s': invalid character '%c' in function name",
				 text, *p);
			return -EINVAL;
		}
	}
	return 0;
}

/* func, func+OFF, func%return: FIELD is modified in place. */
static int parse_func(struct ustat_probe_spec *spec, const char *text, char *field,
		      char *err, size_t errlen)
{
	char *pct, *plus;
	int ret;

	spec->kind = USTAT_SPEC_FUNC;
	pct = strchr(field, '%');
	if (pct) {
		*pct = '\0';
		if (strcmp(pct + 1, "return")) {
			snprintf(err, errlen, "probe '%s': unknown modifier '%%%s' (only %%return)",
				 text, pct + 1);
			return -EINVAL;
		}
		spec->is_return = true;
	}
	plus = strchr(field, '+');
	if (plus) {
		*plus = '\0';
		if (parse_offset(plus + 1, &spec->offset)) {
			snprintf(err, errlen, "probe '%s': bad offset '%s'", text, plus + 1);
			return -EINVAL;
		}
		spec->has_offset = true;
		if (spec->is_return) {
			snprintf(err, errlen,
				 "probe '%s': a %%return probe must be on the function entry, not at an offset",
				 text);
			return -EINVAL;
		}
	}
	ret = check_func_name(text, field, err, errlen);
	if (ret)
		return ret;
	spec->func = strdup(field);
	return spec->func ? 0 : -ENOMEM;
}

/* file.c:LINE or func:LINE: WHERE is the field before the line. */
static int parse_line(struct ustat_probe_spec *spec, const char *text, const char *where,
		      const char *line, char *err, size_t errlen)
{
	unsigned long n;
	char *end;
	int ret;

	if (strpbrk(line, "+%")) {
		snprintf(err, errlen, "probe '%s': a line probe takes no +OFF or %%return", text);
		return -EINVAL;
	}
	errno = 0;
	n = strtoul(line, &end, 10);
	if (errno || *end || n > INT_MAX) {
		snprintf(err, errlen, "probe '%s': bad line number '%s'", text, line);
		return -EINVAL;
	}
	spec->line = n;
	if (!*where) {
		snprintf(err, errlen, "probe '%s': no file or function before ':%s'", text, line);
		return -EINVAL;
	}
	/* perf probe's rule: a dot or a slash makes it a file name. */
	if (strpbrk(where, "./")) {
		if (!n) {
			snprintf(err, errlen, "probe '%s': source lines start at 1", text);
			return -EINVAL;
		}
		spec->kind = USTAT_SPEC_LINE;
		spec->file = strdup(where);
		return spec->file ? 0 : -ENOMEM;
	}
	spec->kind = USTAT_SPEC_FUNC_LINE;
	ret = check_func_name(text, where, err, errlen);
	if (ret)
		return ret;
	spec->func = strdup(where);
	return spec->func ? 0 : -ENOMEM;
}

static int check_sdt_word(const char *text, const char *what, const char *s,
			  char *err, size_t errlen)
{
	const char *p;

	if (!*s) {
		snprintf(err, errlen, "probe '%s': empty USDT %s", text, what);
		return -EINVAL;
	}
	if (strpbrk(s, "+%")) {
		snprintf(err, errlen, "probe '%s': a USDT probe takes no +OFF or %%return", text);
		return -EINVAL;
	}
	for (p = s; *p; p++) {
		if (!is_sdt_char(*p)) {
			snprintf(err, errlen, "probe '%s': invalid character '%c' in USDT %s",
				 text, *p, what);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_sdt(struct ustat_probe_spec *spec, const char *text, const char *provider,
		     const char *name, char *err, size_t errlen)
{
	int ret;

	spec->kind = USTAT_SPEC_SDT;
	ret = check_sdt_word(text, "provider", provider, err, errlen);
	if (!ret)
		ret = check_sdt_word(text, "name", name, err, errlen);
	if (ret)
		return ret;
	spec->provider = strdup(provider);
	spec->name = strdup(name);
	return spec->provider && spec->name ? 0 : -ENOMEM;
}

int ustat_probe_spec__parse(struct ustat_probe_spec *spec, const char *text,
			    char *err, size_t errlen)
{
	char *buf, *field[MAX_FIELDS], *p;
	const char *last;
	int nr = 0, ret;

	memset(spec, 0, sizeof(*spec));
	if (!text || !*text) {
		snprintf(err, errlen, "empty probe spec");
		return -EINVAL;
	}
	for (last = text; *last; last++) {
		if ((unsigned char)*last < 0x20 || *last == 0x7f) {
			snprintf(err, errlen, "probe '%s': control character %#x in the spec",
				 text, (unsigned char)*last);
			return -EINVAL;
		}
	}
	buf = strdup(text);
	spec->text = strdup(text);
	if (!buf || !spec->text) {
		ret = -ENOMEM;
		goto out;
	}
	for (p = buf; p; nr++) {
		if (nr == MAX_FIELDS) {
			snprintf(err, errlen,
				 "probe '%s': too many ':' (forms: func, BINARY:func, file.c:LINE, func:LINE, BINARY:file.c:LINE, sdt:provider:name, BINARY:provider:name)",
				 text);
			ret = -EINVAL;
			goto out;
		}
		field[nr] = p;
		p = next_colon(p);
		if (p)
			*p++ = '\0';
	}
	if (nr > 1 && !*field[0]) {
		snprintf(err, errlen, "probe '%s': empty binary before ':'", text);
		ret = -EINVAL;
		goto out;
	}

	last = field[nr - 1];
	/* BINARY is the first of three fields, unless it says "sdt" (a USDT probe). */
	ret = 0;
	if ((nr == 3 && strcmp(field[0], "sdt")) ||
	    (nr == 2 && !isdigit((unsigned char)*last))) {
		spec->binary = strdup(field[0]);
		if (!spec->binary)
			ret = -ENOMEM;
	}
	if (ret)
		goto out;
	if (nr > 1 && isdigit((unsigned char)*last)) {
		if (nr == 3 && !spec->binary) {
			snprintf(err, errlen, "probe '%s': 'sdt:' takes provider:name, not a line",
				 text);
			ret = -EINVAL;
		} else {
			ret = parse_line(spec, text, field[nr - 2], last, err, errlen);
		}
	} else if (nr == 3) {
		ret = parse_sdt(spec, text, field[1], field[2], err, errlen);
	} else {
		ret = parse_func(spec, text, field[nr - 1], err, errlen);
	}
out:
	free(buf);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		ustat_probe_spec__exit(spec);
	return ret;
}

void ustat_probe_spec__exit(struct ustat_probe_spec *spec)
{
	free(spec->text);
	free(spec->binary);
	free(spec->func);
	free(spec->file);
	free(spec->provider);
	free(spec->name);
	memset(spec, 0, sizeof(*spec));
}

int ustat_probe_spec__display(const struct ustat_probe_spec *spec,
			      char *buf, size_t len)
{
	const char *bin = spec->binary ? spec->binary : "", *sep = spec->binary ? ":" : "";
	char off[32] = "";

	switch (spec->kind) {
	case USTAT_SPEC_LINE:
		return snprintf(buf, len, "%s%s%s:%u", bin, sep, spec->file, spec->line);
	case USTAT_SPEC_FUNC_LINE:
		return snprintf(buf, len, "%s%s%s:%u", bin, sep, spec->func, spec->line);
	case USTAT_SPEC_SDT:
		return snprintf(buf, len, "%s:%s:%s", spec->binary ? spec->binary : "sdt",
				spec->provider, spec->name);
	case USTAT_SPEC_FUNC:
	default:
		break;
	}
	if (spec->has_offset)
		snprintf(off, sizeof(off), "+%#llx", (unsigned long long)spec->offset);
	return snprintf(buf, len, "%s%s%s%s%s", bin, sep, spec->func, off,
			spec->is_return ? "%return" : "");
}
