// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report-cost.h"
#include "report-kevents.h"
#include "report-retries.h"
#include "util/uprobe-stat/util/str-escape.h"

/* RFC 4180: quote a field that holds a comma, a quote or a line break. */
static void csv_field(FILE *out, const char *name)
{
	char buf[1024];
	const char *p, *s = ustat_str__safe(name, buf, sizeof(buf));

	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/*
 * One row per combination of the --sort keys, like the stdio main table;
 * latency columns are filled on rows that name one paired entry probe.
 */
int ustat_report__print_csv(const struct ustat_report *rep, FILE *out)
{
	const struct ustat_agg *agg = rep->agg;
	bool have_retries = agg->sig.have[USTAT_KEV_FIND_RETRY] ||
			    agg->sig.have[USTAT_KEV_XOL_AREA_FAIL];
	struct ustat_report_row *rows;
	size_t nr, j;
	int i;

	if (ustat_report__rows(rep, &rows, &nr))
		return -ENOMEM;
	for (i = 0; i < rep->nr_keys; i++)
		fprintf(out, "%s,", ustat_report__key_name(rep->keys[i]));
	fputs("hits,hits_per_sec,share,lat_count,lat_min,lat_avg,lat_p50,lat_p90,lat_p99,lat_max",
	      out);
	ustat_report__kevents_csv_header(out);
	fputs(",sites", out);
	ustat_report__cost_csv_header(out);
	ustat_report__retries_csv_header(out);
	fputc('\n', out);
	for (j = 0; j < nr; j++) {
		const struct ustat_kev_stats *st = NULL;
		const struct ustat_hist *h = NULL;

		for (i = 0; i < rep->nr_keys; i++) {
			if (rep->keys[i] == USTAT_SORT_PROBE)
				csv_field(out, agg->infos->ev[rows[j].probe].display);
			else if (rep->keys[i] == USTAT_SORT_COMM)
				csv_field(out, rows[j].comm);
			else
				fprintf(out, "%d", rep->keys[i] == USTAT_SORT_CPU ? rows[j].cpu :
					rep->keys[i] == USTAT_SORT_PID ? rows[j].pid : rows[j].tid);
			fputc(',', out);
		}
		fprintf(out, "%llu,%.3f,%.4f", (unsigned long long)rows[j].hits,
			ustat_report__rate(rep, rows[j].hits),
			agg->samples ? (double)rows[j].hits / agg->samples : 0.0);
		/* Latency is per probe over all CPUs: only on probe-only rows. */
		if (rows[j].probe >= 0 && rows[j].cpu < 0 && !ustat_report__by_thread(rep))
			h = agg->probes[rows[j].probe].lat;
		if (h)
			ustat_hist__print(out, h, ",", 0);
		else
			fputs(",,,,,,,", out);
		/* Signals are counted per probe and per CPU, not per probe and CPU. */
		if (rows[j].probe >= 0 && rows[j].cpu < 0 && agg->sig.probe &&
		    !ustat_report__by_thread(rep))
			st = &agg->sig.probe[rows[j].probe];
		else if (rows[j].cpu >= 0 && rows[j].probe < 0 && !ustat_report__by_thread(rep) &&
			 rows[j].cpu < (int)agg->sig.nr_cpus)
			st = &agg->sig.cpu[rows[j].cpu];
		ustat_report__kevents_csv_row(st, out);
		/* The uprobes a probe is made of; last, as columns are only added. */
		if (rows[j].probe >= 0)
			fprintf(out, ",%d",
				ustat_event_info__sites(&agg->infos->ev[rows[j].probe]));
		else
			fputs(",", out);
		/* Per probe, per CPU or both; a thread's row has none. */
		if (ustat_report__by_thread(rep))
			ustat_report__cost_csv_row(rep, -1, -1, out);
		else
			ustat_report__cost_csv_row(rep, rows[j].probe, rows[j].cpu, out);
		/* Empty where the file has neither event, as for the other signals. */
		ustat_report__retries_csv_row(have_retries ? st : NULL, rows[j].probe < 0, out);
		fputc('\n', out);
	}
	free(rows);
	return ferror(out) ? -EIO : 0;
}
