// SPDX-License-Identifier: GPL-2.0
/*
 * record -b: what the BPF maps hold, as metadata records of the file
 * (bpf-meta.c reads them back; the format is in bpf-record.h's words):
 *
 *	bpf	consumer=bpf	cpus=2	too_deep=0	calib_int3=812,790,851 ...
 *	bpf_hits	idx=0	cpu=1	hits=100000
 *	bpf_lat	idx=0	cpu=1	count=..	sum=..	kind=int3	buckets=37:5,38:9
 *	bpf_proc	pid=123	idx=0	hits=100000	comm=demo
 */
#ifdef HAVE_UPROBE_STAT_BPF
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "util/uprobe-stat/util/array.h"
#include "bpf-int.h"
#include "util/uprobe-stat/core/meta.h"
#include "util/uprobe-stat/standalone/record.h"

struct recs {
	char	**v;
	int	  nr;
	int	  cap;
};

/* Take M's record into R (M is left empty for the next one). */
static int push(struct recs *r, struct ustat_meta_buf *m)
{
	if (ustat_array_grow(r->v, r->cap, r->nr + 1))
		return -ENOMEM;
	r->v[r->nr++] = m->s;
	memset(m, 0, sizeof(*m));
	return 0;
}

static u64 misc_sum(const struct ustat_bpf *b, enum ustat_bpf_misc what)
{
	u64 sum = 0;
	u32 cpu;

	for (cpu = 0; cpu < b->nr_cpus; cpu++)
		sum += b->misc[cpu * USTAT_BPF_MISC_SLOTS + what];
	return sum;
}

static int head_meta(const struct ustat_bpf *b, struct ustat_meta_buf *m)
{
	int k;

	if (ustat_meta__begin(m, "bpf") || ustat_meta__add(m, "consumer", "bpf") ||
	    ustat_meta__add_u64(m, "cpus", b->nr_cpus) ||
	    ustat_meta__add_u64(m, "too_deep", misc_sum(b, USTAT_BPF_TOO_DEEP)) ||
	    ustat_meta__add_u64(m, "unmatched", misc_sum(b, USTAT_BPF_UNMATCHED)) ||
	    ustat_meta__add_u64(m, "no_proc", misc_sum(b, USTAT_BPF_NO_PROC)) ||
	    ustat_meta__add_u64(m, "no_thread", misc_sum(b, USTAT_BPF_NO_THREAD)) ||
	    ustat_meta__add_u64(m, "per_proc", b->per_proc))
		return -ENOMEM;
	if (!b->nr_pairs)
		return 0;
	if (ustat_meta__add(m, "calib_source", b->calib.source))
		return -ENOMEM;
	for (k = 0; k < USTAT_BPF_CALIB_NR; k++) {
		char key[32], val[96];

		if (!b->calib.valid[k])
			continue;
		snprintf(key, sizeof(key), "calib_%s", ustat_calib_kind_names[k]);
		snprintf(val, sizeof(val), "%llu,%llu,%llu", (unsigned long long)b->calib.p50[k],
			 (unsigned long long)b->calib.p10[k], (unsigned long long)b->calib.p90[k]);
		if (ustat_meta__add(m, key, val))
			return -ENOMEM;
	}
	return 0;
}

char *ustat_bpf__buckets_str(const struct ustat_bpf_hrec *h)
{
	size_t len = 0, cap = 256;
	char *s = malloc(cap);
	int i;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < USTAT_BPF_BUCKETS; i++) {
		char one[48];
		int n;

		if (!h->buckets[i])
			continue;
		n = snprintf(one, sizeof(one), "%s%d:%llu", len ? "," : "", i,
			     (unsigned long long)h->buckets[i]);
		if (ustat_array_grow(s, cap, len + n + 1)) {
			free(s);
			return NULL;
		}
		memcpy(s + len, one, n + 1);
		len += n;
	}
	return s;
}

static int lat_meta(const struct ustat_bpf *b, int pair, u32 cpu, struct ustat_meta_buf *m)
{
	const struct ustat_bpf_hrec *h = &b->lat[(size_t)cpu * b->skel->rodata->nr_pairs + pair];
	char *buckets;
	int ret;

	if (!h->count)
		return 1;
	buckets = ustat_bpf__buckets_str(h);
	if (!buckets)
		return -ENOMEM;
	ret = ustat_meta__begin(m, "bpf_lat") ||
	      ustat_meta__add_u64(m, "idx", b->pair_entry[pair]) ||
	      ustat_meta__add_u64(m, "cpu", cpu) ||
	      ustat_meta__add_u64(m, "count", h->count) ||
	      ustat_meta__add_u64(m, "sum", h->sum) ||
	      ustat_meta__add_u64(m, "min", h->min) ||
	      ustat_meta__add_u64(m, "max", h->max) ||
	      ustat_meta__add(m, "kind", ustat_calib_kind_names[b->pair_kind[pair]]) ||
	      ustat_meta__add(m, "buckets", buckets);
	free(buckets);
	return ret ? -ENOMEM : 0;
}

static int proc_metas(const struct ustat_bpf *b, struct recs *r, struct ustat_meta_buf *m)
{
	int fd = bpf_map__fd(b->skel->maps.procs);
	struct ustat_bpf_proc_key key, next;
	struct ustat_bpf_proc_val v;
	void *prev = NULL;
	char comm[sizeof(v.comm) + 1];

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v) || !v.hits)
			continue;
		memcpy(comm, v.comm, sizeof(v.comm));
		comm[sizeof(v.comm)] = '\0';
		if (ustat_meta__begin(m, "bpf_proc") || ustat_meta__add_u64(m, "pid", key.pid) ||
		    ustat_meta__add_u64(m, "idx", key.site) ||
		    ustat_meta__add_u64(m, "hits", v.hits) ||
		    ustat_meta__add(m, "comm", comm[0] ? comm : "?") || push(r, m))
			return -ENOMEM;
	}
	return 0;
}

int record__bpf_meta(struct record *rec, char ***out, int *nr)
{
	struct ustat_bpf *b = rec->bpf;
	struct ustat_meta_buf m = { 0 };
	struct recs r = { 0 };
	u32 cpu;
	int i, ret;

	*out = NULL;
	*nr = 0;
	if (!b)
		return 0;
	if (head_meta(b, &m) || push(&r, &m))
		goto nomem;
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		for (i = 0; i < b->nr_sites; i++) {
			u64 hits = b->hits[(size_t)cpu * b->stride + i];

			if (!hits)
				continue;
			if (ustat_meta__begin(&m, "bpf_hits") ||
			    ustat_meta__add_u64(&m, "idx", i) ||
			    ustat_meta__add_u64(&m, "cpu", cpu) ||
			    ustat_meta__add_u64(&m, "hits", hits) || push(&r, &m))
				goto nomem;
		}
		for (i = 0; i < b->nr_pairs; i++) {
			ret = lat_meta(b, i, cpu, &m);
			if (ret < 0 || (!ret && push(&r, &m)))
				goto nomem;
		}
	}
	if (b->per_proc && proc_metas(b, &r, &m))
		goto nomem;
	*out = r.v;
	*nr = r.nr;
	return 0;
nomem:
	ustat_meta__free(&m);
	while (r.nr--)
		free(r.v[r.nr]);
	free(r.v);
	return -ENOMEM;
}
#endif /* HAVE_UPROBE_STAT_BPF */
