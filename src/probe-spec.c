// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe-spec.h"

/* Characters that may appear in an ELF symbol name we accept on the command line. */
static bool is_sym_char(char c, bool first)
{
	if (isalpha((unsigned char)c) || c == '_' || c == '.' || c == '$')
		return true;
	return !first && (isdigit((unsigned char)c) || c == '@');
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

int ustat_probe_spec__parse(struct ustat_probe_spec *spec, const char *text,
			    char *err, size_t errlen)
{
	char *buf, *func, *pct, *plus, *colon;
	const char *p;

	memset(spec, 0, sizeof(*spec));
	if (!text || !*text) {
		snprintf(err, errlen, "empty probe spec");
		return -EINVAL;
	}
	buf = strdup(text);
	spec->text = strdup(text);
	if (!buf || !spec->text)
		goto nomem;

	func = buf;
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (!*buf) {
			snprintf(err, errlen, "probe '%s': empty binary before ':'", text);
			goto inval;
		}
		spec->binary = strdup(buf);
		if (!spec->binary)
			goto nomem;
		func = colon + 1;
	}

	pct = strchr(func, '%');
	if (pct) {
		*pct = '\0';
		if (strcmp(pct + 1, "return")) {
			snprintf(err, errlen, "probe '%s': unknown modifier '%%%s' (only %%return)",
				 text, pct + 1);
			goto inval;
		}
		spec->is_return = true;
	}

	plus = strchr(func, '+');
	if (plus) {
		*plus = '\0';
		if (parse_offset(plus + 1, &spec->offset)) {
			snprintf(err, errlen, "probe '%s': bad offset '%s'", text, plus + 1);
			goto inval;
		}
		spec->has_offset = true;
		if (spec->is_return) {
			snprintf(err, errlen,
				 "probe '%s': a %%return probe must be on the function entry, not at an offset",
				 text);
			goto inval;
		}
	}

	if (!*func) {
		snprintf(err, errlen, "probe '%s': no function name", text);
		goto inval;
	}
	for (p = func; *p; p++) {
		if (!is_sym_char(*p, p == func)) {
			snprintf(err, errlen, "probe '%s': invalid character '%c' in function name",
				 text, *p);
			goto inval;
		}
	}
	spec->func = strdup(func);
	if (!spec->func)
		goto nomem;
	free(buf);
	return 0;

nomem:
	snprintf(err, errlen, "out of memory");
	free(buf);
	ustat_probe_spec__exit(spec);
	return -ENOMEM;
inval:
	free(buf);
	ustat_probe_spec__exit(spec);
	return -EINVAL;
}

void ustat_probe_spec__exit(struct ustat_probe_spec *spec)
{
	free(spec->text);
	free(spec->binary);
	free(spec->func);
	memset(spec, 0, sizeof(*spec));
}

int ustat_probe_spec__display(const struct ustat_probe_spec *spec,
			      char *buf, size_t len)
{
	char off[32] = "";

	if (spec->has_offset)
		snprintf(off, sizeof(off), "+%#llx", (unsigned long long)spec->offset);
	return snprintf(buf, len, "%s%s%s%s%s",
			spec->binary ? spec->binary : "", spec->binary ? ":" : "",
			spec->func, off, spec->is_return ? "%return" : "");
}
