// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF consumer's counts read back from a file's metadata (the records
 * bpf-write.c makes), and what a probe's first instruction makes the
 * kernel do, which both sides need.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/core/aggregate.h"
#include "bpf-meta.h"
#include "util/uprobe-stat/core/histogram.h"
#include "util/uprobe-stat/core/meta.h"

const char * const ustat_calib_kind_names[USTAT_BPF_CALIB_NR] = {
	[USTAT_BPF_CALIB_NOP5] = "nop5",
	[USTAT_BPF_CALIB_INT3] = "int3",
	[USTAT_BPF_CALIB_XOL] = "xol",
};

/*
 * x86-64: the 5-byte nop; what the kernel emulates after the trap (nops,
 * push, jumps and calls); the rest is single-stepped out of line.  Other
 * architectures: all single-stepped, as far as this table knows.
 */
enum ustat_bpf_calib_kind ustat_bpf_calib__classify(const u8 *insn, size_t len)
{
#ifdef __x86_64__
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	u8 op;

	if (!len)
		return USTAT_BPF_CALIB_XOL;
	if (len >= sizeof(nop5) && !memcmp(insn, nop5, sizeof(nop5)))
		return USTAT_BPF_CALIB_NOP5;
	op = insn[0];
	if (op == 0x66 && len > 1)	/* operand-size prefix: nopw, xchg %ax,%ax */
		op = insn[1];
	if (op == 0x41 && len > 1 && insn[1] >= 0x50 && insn[1] <= 0x57)
		return USTAT_BPF_CALIB_INT3;	/* push %r8..%r15 */
	if (op == 0x90 || (op >= 0x50 && op <= 0x57) || op == 0xe8 || op == 0xe9 ||
	    op == 0xeb || (op >= 0x70 && op <= 0x7f))
		return USTAT_BPF_CALIB_INT3;
	if (op == 0x0f && len > 1 && (insn[1] == 0x1f || (insn[1] >= 0x80 && insn[1] <= 0x8f)))
		return USTAT_BPF_CALIB_INT3;
#endif
	return USTAT_BPF_CALIB_XOL;
}

static const char *find(char *const *meta, int nr, const char *kind)
{
	int i;

	for (i = 0; i < nr; i++)
		if (ustat_meta__is(meta[i], kind))
			return meta[i];
	return NULL;
}

bool ustat_bpf_meta__is_bpf(char *const *meta, int nr)
{
	return find(meta, nr, "bpf") != NULL;
}

u64 ustat_bpf_meta__u64(char *const *meta, int nr, const char *key)
{
	const char *rec = find(meta, nr, "bpf");
	unsigned long long v;

	return rec && !ustat_meta__get_u64(rec, key, &v) ? v : 0;
}

void ustat_bpf_meta__calib(char *const *meta, int nr, struct ustat_bpf_calib *c)
{
	const char *rec = find(meta, nr, "bpf");
	char key[32], val[96];
	unsigned long long p50, p10, p90;
	int k;

	memset(c, 0, sizeof(*c));
	if (!rec)
		return;
	if (ustat_meta__get(rec, "calib_source", c->source, sizeof(c->source)) < 0)
		snprintf(c->source, sizeof(c->source), "none");
	for (k = 0; k < USTAT_BPF_CALIB_NR; k++) {
		snprintf(key, sizeof(key), "calib_%s", ustat_calib_kind_names[k]);
		if (ustat_meta__get(rec, key, val, sizeof(val)) < 0 ||
		    sscanf(val, "%llu,%llu,%llu", &p50, &p10, &p90) != 3)
			continue;
		c->valid[k] = true;
		c->p50[k] = p50;
		c->p10[k] = p10;
		c->p90[k] = p90;
	}
}

int ustat_bpf_meta__kind(char *const *meta, int nr, int idx)
{
	unsigned long long v;
	char kind[16];
	int i, k;

	for (i = 0; i < nr; i++) {
		if (!ustat_meta__is(meta[i], "bpf_lat") ||
		    ustat_meta__get_u64(meta[i], "idx", &v) ||
		    v != (unsigned long long)idx ||
		    ustat_meta__get(meta[i], "kind", kind, sizeof(kind)) < 0)
			continue;
		for (k = 0; k < USTAT_BPF_CALIB_NR; k++)
			if (!strcmp(kind, ustat_calib_kind_names[k]))
				return k;
	}
	return -1;
}

static int apply_lat(struct ustat_agg *agg, const char *rec, struct ustat_hist *h, char *buf,
		     size_t len)
{
	unsigned long long idx, count, sum, min, max;

	if (ustat_meta__get_u64(rec, "idx", &idx) || ustat_meta__get_u64(rec, "count", &count) ||
	    ustat_meta__get_u64(rec, "sum", &sum) || ustat_meta__get_u64(rec, "min", &min) ||
	    ustat_meta__get_u64(rec, "max", &max) || idx >= (unsigned long long)agg->infos->nr ||
	    !agg->probes[idx].lat || ustat_meta__get(rec, "buckets", buf, len) < 0)
		return -EINVAL;
	ustat_hist__init(h);
	if (ustat_hist__add_buckets(h, buf))
		return -EINVAL;
	h->count = count;
	h->sum = sum;
	h->min = min;
	h->max = max;
	ustat_hist__merge(agg->probes[idx].lat, h);
	return 0;
}

int ustat_bpf_meta__apply(struct ustat_agg *agg, char *const *meta, int nr)
{
	const size_t len = 64 << 10;	/* 1920 buckets of "NNNN:count," fit */
	struct ustat_hist *h = malloc(sizeof(*h));
	char *buf = malloc(len);
	unsigned long long idx, cpu, hits;
	int i, ret = 0;

	if (!h || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr && ret != -ENOMEM; i++) {
		if (ustat_meta__is(meta[i], "bpf_lat")) {
			apply_lat(agg, meta[i], h, buf, len);
			continue;
		}
		if (!ustat_meta__is(meta[i], "bpf_hits") ||
		    ustat_meta__get_u64(meta[i], "idx", &idx) ||
		    ustat_meta__get_u64(meta[i], "cpu", &cpu) ||
		    ustat_meta__get_u64(meta[i], "hits", &hits) ||
		    idx >= (unsigned long long)agg->infos->nr || cpu >= USTAT_MAX_CPUS)
			continue;
		ret = ustat_agg__add_hits(agg, idx, cpu, hits);
		if (ret == -EINVAL)
			ret = 0;	/* not a probe: skipped */
	}
out:
	free(h);
	free(buf);
	return ret;
}
