// SPDX-License-Identifier: GPL-2.0
/*
 * Who called the probes: the top call paths of each probe in the table
 * report, all of them in its JSON (report-callchains.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "util/uprobe-stat/util/json-writer.h"
#include "report-callchains.h"

/* How many call paths of a probe the table shows. */
#define STDIO_TOP	5

static void print_frame_stdio(struct ustat_callchains *cc, const struct ustat_cc_frame *f,
			      int i, FILE *out)
{
	const struct ustat_frame_name *n = ustat_callchains__name(cc, f, i);

	if (n && n->sym[0])
		fprintf(out, "        %s+0x%llx", n->sym, (unsigned long long)n->sym_off);
	else
		fprintf(out, "        %#llx", (unsigned long long)f->addr);
	fprintf(out, " (%s)", ustat_callchains__dso(cc, f));
	if (n && n->srcline[0])
		fprintf(out, " %s", n->srcline);
	fputc('\n', out);
}

int ustat_report__callchains_stdio(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	struct ustat_callchains *cc = rep->cc;
	struct ustat_cc_stack **v;
	size_t nr, j;
	int i;
	u32 k;

	if (!cc || !cc->samples)
		return 0;
	fprintf(out,
		"# Who called: the top %d call paths of each probe (%llu hits with a callchain%s)\n",
		STDIO_TOP, (unsigned long long)cc->samples,
		cc->dwarf ? ", unwound with DWARF" : "");
	for (i = 0; i < agg->infos->nr; i++) {
		u64 hits = 0;

		if (!ustat_report__is_probe(rep, i))
			continue;
		if (ustat_callchains__sorted(cc, i, &v, &nr))
			return -ENOMEM;
		for (j = 0; j < nr; j++)
			hits += v[j]->count;
		if (nr)
			fprintf(out, "  %s: %llu hits, %zu call paths\n", agg->infos->ev[i].display,
				(unsigned long long)hits, nr);
		for (j = 0; j < nr && j < STDIO_TOP; j++) {
			fprintf(out, "    %12llu %7.2f%%\n", (unsigned long long)v[j]->count,
				100.0 * v[j]->count / hits);
			for (k = 0; k < v[j]->nr; k++)
				print_frame_stdio(cc, &v[j]->frames[k], k, out);
			if (!v[j]->nr)
				fputs("        (no frame could be had)\n", out);
		}
		free(v);
	}
	fputc('\n', out);
	return 0;
}

int ustat_report__callchains_json(const struct ustat_report *rep, int idx, FILE *out)
{
	struct ustat_callchains *cc = rep->cc;
	struct ustat_cc_stack **v;
	size_t nr, j;
	u32 k;

	fputs(",\n     \"callchains\": ", out);
	if (!cc || !cc->samples) {
		fputs("null", out);
		return 0;
	}
	if (ustat_callchains__sorted(cc, idx, &v, &nr))
		return -ENOMEM;
	fputc('[', out);
	for (j = 0; j < nr; j++) {
		fprintf(out, "%s\n      {\"count\": %llu, \"frames\": [", j ? "," : "",
			(unsigned long long)v[j]->count);
		for (k = 0; k < v[j]->nr; k++) {
			const struct ustat_cc_frame *f = &v[j]->frames[k];
			const struct ustat_frame_name *n = ustat_callchains__name(cc, f, k);

			fputs(k ? ", {\"sym\": " : "{\"sym\": ", out);
			ustat_json__string_or_null(out, n && n->sym[0] ? n->sym : NULL);
			fprintf(out, ", \"offset\": %llu, \"addr\": %llu, \"dso\": ",
				(unsigned long long)(n ? n->sym_off : 0),
				(unsigned long long)f->addr);
			ustat_json__string(out, ustat_callchains__dso(cc, f));
			fputs(", \"srcline\": ", out);
			ustat_json__string_or_null(out, n && n->srcline[0] ? n->srcline : NULL);
			fputc('}', out);
		}
		fputs("]}", out);
	}
	fputs(nr ? "\n     ]" : "]", out);
	free(v);
	return 0;
}
