// SPDX-License-Identifier: GPL-2.0
/*
 * report --folded: the stacks as flamegraph.pl reads them
 * (Brendan Gregg's "folded" format, as stackcollapse-perf.pl writes it):
 *
 *	main;caller_a;hot_func;hot_func 300
 *
 * the root first, the probed code's function, then the probe as the
 * leaf, and the hits.  Stacks that differ only where the names do not
 * (two call sites in one caller) fold into one line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callchain.h"

struct folded {
	char	*line;
	u64	 count;
};

/* What stackcollapse-perf.pl prints for a frame without a symbol: its file. */
static void frame_label(struct ustat_callchains *cc, const struct ustat_cc_frame *f, int i,
			char *buf, size_t len)
{
	const struct ustat_frame_name *n = ustat_callchains__name(cc, f, i);
	const char *dso, *base;
	char *p;

	if (n && n->sym[0]) {
		snprintf(buf, len, "%s", n->sym);
	} else {
		dso = ustat_callchains__dso(cc, f);
		base = strrchr(dso, '/');
		snprintf(buf, len, base ? "[%s]" : "%s", base ? base + 1 : dso);
	}
	/* ';' separates frames and a newline ends the stack: never inside one. */
	for (p = buf; *p; p++)
		if (*p == ';' || *p == '\n')
			*p = ':';
}

static int append(char **s, size_t *len, size_t *cap, const char *add)
{
	size_t n = strlen(add);

	if (*len + n + 1 > *cap) {
		size_t c = (*len + n + 1) * 2;
		char *p = realloc(*s, c);

		if (!p)
			return -ENOMEM;
		*s = p;
		*cap = c;
	}
	memcpy(*s + *len, add, n + 1);
	*len += n;
	return 0;
}

static char *fold_stack(struct ustat_callchains *cc, const struct ustat_cc_stack *st)
{
	const char *probe = cc->infos->ev[st->probe].display;
	size_t len = 0, cap = 0;
	char *s = NULL, label[600];
	int i;

	for (i = (int)st->nr - 1; i >= 0; i--) {
		frame_label(cc, &st->frames[i], i, label, sizeof(label));
		if (append(&s, &len, &cap, label) || append(&s, &len, &cap, ";"))
			goto nomem;
	}
	snprintf(label, sizeof(label), "%s", probe ? probe : "?");
	for (i = 0; label[i]; i++)
		if (label[i] == ';' || label[i] == '\n')
			label[i] = ':';
	if (append(&s, &len, &cap, label))
		goto nomem;
	return s;
nomem:
	free(s);
	return NULL;
}

static int by_line(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->line, ((const struct folded *)b)->line);
}

int ustat_callchains__print_folded(struct ustat_callchains *cc, FILE *out)
{
	struct ustat_cc_stack **v;
	struct folded *f;
	size_t nr, i, j;
	int ret = 0;

	if (ustat_callchains__sorted(cc, -1, &v, &nr))
		return -ENOMEM;
	f = calloc(nr ? nr : 1, sizeof(*f));
	if (!f) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		f[i].line = fold_stack(cc, v[i]);
		f[i].count = v[i]->count;
		if (!f[i].line) {
			ret = -ENOMEM;
			goto out;
		}
	}
	qsort(f, nr, sizeof(*f), by_line);
	for (i = 0; i < nr; i = j) {
		u64 count = 0;

		for (j = i; j < nr && !strcmp(f[j].line, f[i].line); j++)
			count += f[j].count;
		fprintf(out, "%s %llu\n", f[i].line, (unsigned long long)count);
	}
out:
	for (i = 0; i < nr; i++)
		free(f[i].line);
	free(f);
	free(v);
	return ret ? ret : (ferror(out) ? -EIO : 0);
}
