// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe-resolve.h"

/* perf probe's group for a binary: "probe_" + basename up to the first dot. */
static void group_name(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	base = base ? base + 1 : path;
	n = snprintf(buf, len, "probe_");
	for (; *base && *base != '.' && n + 1 < len; base++)
		buf[n++] = isalnum((unsigned char)*base) ? *base : '_';
	buf[n] = '\0';
}

static void event_name(struct ustat_probe *p)
{
	char group[128], func[160];
	size_t i;
	int n;

	group_name(p->path, group, sizeof(group));
	/* Event names are C identifiers: versioned or dotted symbols lose the rest. */
	snprintf(func, sizeof(func), "%s", p->spec.func);
	for (i = 0; func[i]; i++)
		if (!isalnum((unsigned char)func[i]) && func[i] != '_')
			func[i] = '_';
	/* An absurdly long symbol makes a cut name: harmless, names are for show. */
	if (p->spec.is_return)
		n = snprintf(p->event, sizeof(p->event), "%s:%s__return", group, func);
	else if (p->spec.has_offset)
		n = snprintf(p->event, sizeof(p->event), "%s:%s_%llu", group, func,
			     (unsigned long long)p->spec.offset);
	else
		n = snprintf(p->event, sizeof(p->event), "%s:%s", group, func);
	if (n >= (int)sizeof(p->event))
		p->event[sizeof(p->event) - 1] = '\0';
}

int ustat_probe__resolve(struct ustat_probe *p, const char *text,
			 const char *default_binary, char *err, size_t errlen)
{
	const char *binary;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = ustat_probe_spec__parse(&p->spec, text, err, errlen);
	if (ret)
		return ret;
	binary = p->spec.binary ? p->spec.binary : default_binary;
	if (!binary) {
		snprintf(err, errlen, "probe '%s': no binary to probe: give -x BINARY or BINARY:%s",
			 text, p->spec.func);
		ret = -EINVAL;
		goto fail;
	}
	ret = ustat_binary__resolve(binary, p->path, sizeof(p->path), err, errlen);
	if (ret)
		goto fail;
	ret = ustat_elf__resolve_func(p->path, p->spec.func, &p->sym, err, errlen);
	if (ret)
		goto fail;
	if (p->spec.has_offset && p->sym.size && p->spec.offset >= p->sym.size) {
		snprintf(err, errlen, "probe '%s': offset %#llx is past the end of %s (size %#llx)",
			 text, (unsigned long long)p->spec.offset, p->spec.func,
			 (unsigned long long)p->sym.size);
		ret = -EINVAL;
		goto fail;
	}
	p->offset = p->sym.file_offset + p->spec.offset;
	event_name(p);
	ustat_probe_spec__display(&p->spec, p->display, sizeof(p->display));
	return 0;
fail:
	ustat_probe_spec__exit(&p->spec);
	return ret;
}

void ustat_probe__exit(struct ustat_probe *p)
{
	ustat_probe_spec__exit(&p->spec);
}

void ustat_probes__uniq_names(struct ustat_probe *probes, int nr)
{
	int i, j, n;

	for (i = 1; i < nr; i++) {
		char base[256];

		snprintf(base, sizeof(base), "%s", probes[i].event);
		for (n = 1;; n++) {
			for (j = 0; j < i; j++)
				if (!strcmp(probes[j].event, probes[i].event))
					break;
			if (j == i)
				break;
			snprintf(probes[i].event, sizeof(probes[i].event), "%.240s_%d", base, n);
		}
	}
}
