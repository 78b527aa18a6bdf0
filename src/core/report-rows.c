// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-end.h"
#include "meta.h"
#include "report.h"

bool ustat_report__is_probe(const struct ustat_report *rep, int idx)
{
	const struct ustat_event_info *info = &rep->agg->infos->ev[idx];

	/* A probe's other sites are counted in its first. */
	return info->kind != USTAT_EVENT_KERNEL && !info->site;
}

int ustat_report__parse_sort(struct ustat_report *rep, const char *str,
			     char *err, size_t errlen)
{
	char *copy = strdup(str), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	rep->nr_keys = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum ustat_sort_key key;
		int i;

		for (key = USTAT_SORT_PROBE; key <= USTAT_SORT_COMM; key++)
			if (!strcmp(tok, ustat_report__key_name(key)))
				break;
		if (key > USTAT_SORT_COMM) {
			snprintf(err, errlen,
				 "unknown --sort key '%s' (known: probe, cpu, pid, tid, comm)",
				 tok);
			ret = -EINVAL;
			break;
		}
		for (i = 0; i < rep->nr_keys; i++)
			if (rep->keys[i] == key)
				break;
		/* perf drops a repeated key silently; a typo is likelier: refuse it. */
		if (i < rep->nr_keys) {
			snprintf(err, errlen, "--sort key '%s' given twice", tok);
			ret = -EINVAL;
			break;
		}
		rep->keys[rep->nr_keys++] = key;
	}
	if (!ret && !rep->nr_keys) {
		snprintf(err, errlen, "empty --sort");
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

const char *ustat_report__key_name(enum ustat_sort_key key)
{
	switch (key) {
	case USTAT_SORT_CPU:
		return "cpu";
	case USTAT_SORT_PID:
		return "pid";
	case USTAT_SORT_TID:
		return "tid";
	case USTAT_SORT_COMM:
		return "comm";
	case USTAT_SORT_PROBE:
	default:
		return "probe";
	}
}

static bool has_key(const struct ustat_report *rep, enum ustat_sort_key key)
{
	int i;

	for (i = 0; i < rep->nr_keys; i++)
		if (rep->keys[i] == key)
			return true;
	return false;
}

bool ustat_report__by_thread(const struct ustat_report *rep)
{
	return has_key(rep, USTAT_SORT_PID) || has_key(rep, USTAT_SORT_TID) ||
	       has_key(rep, USTAT_SORT_COMM);
}

/* Same keys: one row.  NULL comms (not a key) compare equal. */
static int cmp_keys(const struct ustat_report_row *x, const struct ustat_report_row *y)
{
	if (x->probe != y->probe)
		return x->probe - y->probe;
	if (x->cpu != y->cpu)
		return x->cpu - y->cpu;
	if (x->pid != y->pid)
		return x->pid - y->pid;
	if (x->tid != y->tid)
		return x->tid - y->tid;
	if (x->comm && y->comm)
		return strcmp(x->comm, y->comm);
	return 0;
}

static int cmp_key_rows(const void *a, const void *b)
{
	return cmp_keys(a, b);
}

static int cmp_rows(const void *a, const void *b)
{
	const struct ustat_report_row *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits > y->hits ? -1 : 1;
	return cmp_keys(x, y);
}

/* --sort with pid, tid or comm: the per-thread counts, grouped by the keys. */
static int thread_rows(const struct ustat_report *rep, struct ustat_report_row **rows,
		       size_t *nr)
{
	const struct ustat_thread_hits *t = rep->threads;
	bool by_probe = has_key(rep, USTAT_SORT_PROBE), by_cpu = has_key(rep, USTAT_SORT_CPU);
	bool by_pid = has_key(rep, USTAT_SORT_PID), by_tid = has_key(rep, USTAT_SORT_TID);
	bool by_comm = has_key(rep, USTAT_SORT_COMM);
	struct ustat_report_row *r;
	size_t n = 0, i, k = 0;

	r = calloc(t && t->nr ? t->nr : 1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; t && i < (size_t)t->nr; i++) {
		const struct ustat_thread_hit *h = &t->v[i];

		r[n].probe = by_probe ? h->probe : -1;
		r[n].cpu = by_cpu ? h->cpu : -1;
		r[n].pid = by_pid ? (int)h->pid : -1;
		r[n].tid = by_tid ? (int)h->tid : -1;
		r[n].comm = by_comm ? h->comm : NULL;
		r[n].hits = h->hits;
		n++;
	}
	qsort(r, n, sizeof(*r), cmp_key_rows);
	for (i = 0; i < n; i++) {
		if (k && !cmp_keys(&r[k - 1], &r[i]))
			r[k - 1].hits += r[i].hits;
		else
			r[k++] = r[i];
	}
	qsort(r, k, sizeof(*r), cmp_rows);
	*rows = r;
	*nr = k;
	return 0;
}

int ustat_report__rows(const struct ustat_report *rep, struct ustat_report_row **rows,
		       size_t *nr)
{
	const struct ustat_agg *agg = rep->agg;
	bool by_probe = has_key(rep, USTAT_SORT_PROBE), by_cpu = has_key(rep, USTAT_SORT_CPU);
	int nprobes = by_probe ? agg->infos->nr : 1;
	int ncpus = by_cpu ? (int)agg->nr_cpus : 1;
	struct ustat_report_row *r;
	int p, c;
	size_t n = 0;

	if (ustat_report__by_thread(rep))
		return thread_rows(rep, rows, nr);

	r = calloc((size_t)nprobes * (ncpus ? ncpus : 1), sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (p = 0; p < nprobes; p++) {
		if (by_probe && !ustat_report__is_probe(rep, p))
			continue;
		for (c = 0; c < ncpus; c++) {
			u64 hits;

			if (by_probe && by_cpu)
				hits = agg->probes[p].cpu_hits ? agg->probes[p].cpu_hits[c] : 0;
			else if (by_probe)
				hits = agg->probes[p].hits;
			else
				hits = agg->cpu_hits ? agg->cpu_hits[c] : 0;
			/* A CPU that saw nothing is noise in a per-CPU row list. */
			if (by_cpu && !hits)
				continue;
			r[n].probe = by_probe ? p : -1;
			r[n].cpu = by_cpu ? c : -1;
			r[n].pid = -1;
			r[n].tid = -1;
			r[n].hits = hits;
			n++;
		}
	}
	qsort(r, n, sizeof(*r), cmp_rows);
	*rows = r;
	*nr = n;
	return 0;
}

double ustat_report__rate(const struct ustat_report *rep, u64 hits)
{
	if (!rep->duration_ns)
		return 0;
	return hits * 1e9 / rep->duration_ns;
}

const char *ustat_report__attach(const struct ustat_report *rep, char *buf, size_t len,
				 char *how, size_t howlen)
{
	const char *meta = rep->rec->session_meta;

	how[0] = '\0';
	if (!meta || ustat_meta__get(meta, "attach", buf, len) <= 0)
		return NULL;
	if (ustat_meta__get(meta, "attach_how", how, howlen) <= 0)
		how[0] = '\0';
	return buf;
}

const char *ustat_report__target(const struct ustat_report *rep, char *buf, size_t len)
{
	const struct ustat_recording *r = rep->rec;
	const char *meta = r->session_meta;
	size_t used = 0;
	u32 i;

	if (meta && ustat_meta__get(meta, "target", buf, len) > 0)
		return buf;
	/* A stock perf file: its command line says what was recorded. */
	buf[0] = '\0';
	for (i = 0; i < r->cmdline_nr && used + 1 < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "", r->cmdline[i]);
	return buf[0] ? buf : "unknown";
}

int ustat_report__cmd_end(const struct ustat_report *rep, int *end, int *code)
{
	const char *meta = rep->rec->session_meta;
	unsigned long long c;
	enum ustat_cmd_end e;
	char how[32];

	if (!meta || ustat_meta__get(meta, "cmd_end", how, sizeof(how)) <= 0 ||
	    ustat_cmd_end__parse(how, &e) || ustat_meta__get_u64(meta, "cmd_code", &c) ||
	    c > 255)
		return -1;
	*end = e;
	*code = c;
	return 0;
}
