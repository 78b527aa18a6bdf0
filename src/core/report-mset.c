// SPDX-License-Identifier: GPL-2.0
/*
 * The files of a diff or a merge and the rows of its main table
 * (report-multi.h): every count of every file, by probe, CPU and process,
 * projected on the --sort keys and added up per key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/util/debug.h"
#include "report-multi.h"

const char *const ustat_mkey_names[USTAT_MK_NR] = { "probe", "cpu", "comm", "host", "file" };

int ustat_mset__parse_keys(struct ustat_mset *ms, const char *sort, unsigned int allowed,
			   char *err, size_t errlen)
{
	char *copy = strdup(sort), *tok, *save = NULL, known[64] = "";
	int k, ret = 0;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (k = 0; k < USTAT_MK_NR; k++)
		if (allowed & (1U << k))
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 known[0] ? ", " : "", ustat_mkey_names[k]);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < USTAT_MK_NR; k++)
			if ((allowed & (1U << k)) && !strcmp(tok, ustat_mkey_names[k]))
				break;
		if (k == USTAT_MK_NR) {
			snprintf(err, errlen, "unknown --sort key '%s' (known: %s)", tok, known);
			ret = -EINVAL;
			break;
		}
		if (!ms->by[k])
			ms->keys[ms->nr_keys++] = k;
		ms->by[k] = true;
	}
	if (!ret && !ms->nr_keys) {
		snprintf(err, errlen, "empty --sort");
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

/* Hosts and process names across the files, and each probe's match. */
static int index_inputs(struct ustat_mset *ms)
{
	int i, j, h;

	for (i = 0; i < ms->nr_in; i++) {
		struct ustat_mfile *in = &ms->in[i];
		int nr = in->agg.infos->nr;

		for (h = 0; h < ms->nr_hosts; h++)
			if (!strcmp(ms->hosts[h], in->host))
				break;
		if (h == ms->nr_hosts)
			ms->hosts[ms->nr_hosts++] = in->host;
		ms->host_id[i] = h;

		in->match_of = malloc((nr ? nr : 1) * sizeof(*in->match_of));
		in->comm_of = malloc((in->procs.nr_names ? in->procs.nr_names : 1) *
				     sizeof(*in->comm_of));
		if (!in->match_of || !in->comm_of)
			return -ENOMEM;
		for (j = 0; j < nr; j++)
			in->match_of[j] = -1;
		for (j = 0; j < in->procs.nr_names; j++) {
			const char *name = in->procs.names[j];
			int c;

			for (c = 0; c < ms->nr_comms; c++)
				if (!strcmp(ms->comms[c], name))
					break;
			if (c == ms->nr_comms) {
				if (ustat_array_grow(ms->comms, ms->comms_cap, c + 1))
					return -ENOMEM;
				ms->comms[ms->nr_comms++] = name;
			}
			in->comm_of[j] = c;
		}
	}
	for (j = 0; j < ms->nr_m; j++)
		for (i = 0; i < ms->nr_in; i++)
			if (ms->m[j].idx[i] >= 0)
				ms->in[i].match_of[ms->m[j].idx[i]] = j;
	return 0;
}

int ustat_mset__load(struct ustat_mset *ms, const char *const *paths, int nr, char *err,
		     size_t errlen)
{
	int i;

	ms->in = calloc(nr, sizeof(*ms->in));
	if (!ms->in) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		ms->nr_in = i + 1;
		if (ustat_mfile__load(&ms->in[i], paths[i], err, errlen))
			return -1;
	}
	if (ustat_pmatch__build(ms->in, ms->nr_in, &ms->m, &ms->nr_m) || index_inputs(ms)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void ustat_mset__exit(struct ustat_mset *ms)
{
	int i;

	for (i = 0; i < ms->nr_in; i++)
		ustat_mfile__exit(&ms->in[i]);
	free(ms->in);
	ustat_pmatch__free(ms->m, ms->nr_m);
	free(ms->comms);
	ms->in = NULL;
	ms->m = NULL;
	ms->comms = NULL;
	ms->nr_in = ms->nr_m = ms->nr_comms = ms->comms_cap = 0;
}

struct atoms {
	struct ustat_mrow	*r;
	size_t			 n;
	size_t			 cap;
};

static int add_atom(struct atoms *a, const struct ustat_mset *ms, int i, int m, int cpu,
		    int comm, u64 hits)
{
	struct ustat_mrow *r;
	int side = ms->two_sided ? i : 0;

	if (!hits)
		return 0;
	if (ustat_array_grow(a->r, a->cap, a->n + 1))
		return -ENOMEM;
	r = &a->r[a->n++];
	memset(r, 0, sizeof(*r));
	r->k[USTAT_MK_PROBE] = ms->by[USTAT_MK_PROBE] ? m : -1;
	r->k[USTAT_MK_CPU] = ms->by[USTAT_MK_CPU] ? cpu : -1;
	r->k[USTAT_MK_COMM] = ms->by[USTAT_MK_COMM] ? comm : -1;
	r->k[USTAT_MK_HOST] = ms->by[USTAT_MK_HOST] ? ms->host_id[i] : -1;
	r->k[USTAT_MK_FILE] = ms->by[USTAT_MK_FILE] ? i : -1;
	r->hits[side] = hits;
	r->rate[side] = ustat_report__rate(&ms->in[i].rep, hits);
	return 0;
}

/* One file's counts: by process when comm is a key, else from the aggregation. */
static int file_atoms(struct atoms *a, const struct ustat_mset *ms, int i)
{
	const struct ustat_mfile *in = &ms->in[i];
	const struct ustat_agg *agg = &in->agg;
	bool by_cpu = ms->by[USTAT_MK_CPU];
	int m, ret = 0;
	size_t e;
	u32 c;

	if (ms->by[USTAT_MK_COMM]) {
		for (e = 0; e < in->procs.nr_ent && !ret; e++) {
			const struct ustat_proc_entry *pe = &in->procs.ent[e];

			ret = add_atom(a, ms, i, in->match_of[pe->idx], pe->cpu,
				       in->comm_of[pe->comm], pe->hits);
		}
		return ret;
	}
	if (!ms->by[USTAT_MK_PROBE]) {
		if (!by_cpu)
			return add_atom(a, ms, i, -1, -1, -1, agg->samples);
		for (c = 0; c < agg->nr_cpus && !ret; c++)
			ret = add_atom(a, ms, i, -1, c, -1, agg->cpu_hits[c]);
		return ret;
	}
	for (m = 0; m < ms->nr_m && !ret; m++) {
		const struct ustat_probe_agg *p = ustat_pmatch__probe(&ms->m[m], ms->in, i);

		if (!p)
			continue;
		if (!by_cpu)
			ret = add_atom(a, ms, i, m, -1, -1, p->hits);
		for (c = 0; by_cpu && c < agg->nr_cpus && !ret; c++)
			ret = add_atom(a, ms, i, m, c, -1, p->cpu_hits[c]);
	}
	return ret;
}

static int cmp_keys(const void *x, const void *y)
{
	const struct ustat_mrow *a = x, *b = y;
	int k;

	for (k = 0; k < USTAT_MK_NR; k++)
		if (a->k[k] != b->k[k])
			return a->k[k] - b->k[k];
	return 0;
}

static u64 row_max(const struct ustat_mrow *r)
{
	return r->hits[0] > r->hits[1] ? r->hits[0] : r->hits[1];
}

static int cmp_hits(const void *x, const void *y)
{
	u64 a = row_max(x), b = row_max(y);

	if (a != b)
		return a > b ? -1 : 1;
	return cmp_keys(x, y);
}

int ustat_mset__rows(const struct ustat_mset *ms, struct ustat_mrow **rows, size_t *nr)
{
	struct atoms a = { NULL, 0, 0 };
	size_t j, out = 0;
	int i;

	for (i = 0; i < ms->nr_in; i++) {
		if (file_atoms(&a, ms, i)) {
			free(a.r);
			return -ENOMEM;
		}
	}
	if (a.n)
		qsort(a.r, a.n, sizeof(*a.r), cmp_keys);
	for (j = 0; j < a.n; j++) {
		if (out && !cmp_keys(&a.r[out - 1], &a.r[j])) {
			for (i = 0; i < 2; i++) {
				a.r[out - 1].hits[i] += a.r[j].hits[i];
				a.r[out - 1].rate[i] += a.r[j].rate[i];
			}
		} else {
			a.r[out++] = a.r[j];
		}
	}
	if (out)
		qsort(a.r, out, sizeof(*a.r), cmp_hits);
	*rows = a.r;
	*nr = out;
	return 0;
}

const char *ustat_mset__key_str(const struct ustat_mset *ms, const struct ustat_mrow *row,
				enum ustat_mkey k, char *buf, size_t len)
{
	int v = row->k[k];

	switch (k) {
	case USTAT_MK_PROBE:
		return v >= 0 ? ms->m[v].label : "[no probe]";
	case USTAT_MK_CPU:
		snprintf(buf, len, "%d", v);
		return buf;
	case USTAT_MK_COMM:
		return ms->comms[v];
	case USTAT_MK_HOST:
		return ms->hosts[v];
	case USTAT_MK_FILE:
		return ms->in[v].path;
	case USTAT_MK_NR:
	default:
		return "";
	}
}

void ustat_mset__end_rows(struct ustat_mrow *rows, size_t nr, FILE *out)
{
	if (!nr)
		fputs("  (no samples)\n", out);
	fputs("#\n", out);
	free(rows);
}

int ustat_mset__flushed(int ret)
{
	if (fflush(stdout) || ret) {
		ustat_err("report: cannot write the output");
		return 1;
	}
	return 0;
}
