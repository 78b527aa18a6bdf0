// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

unsigned int ustat_hist__bucket(u64 v)
{
	unsigned int e;

	if (v < USTAT_HIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v);	/* v in [2^e, 2^(e+1)) */
	return (e - USTAT_HIST_SUB_BITS + 1) * USTAT_HIST_SUB +
	       ((v >> (e - USTAT_HIST_SUB_BITS)) & (USTAT_HIST_SUB - 1));
}

u64 ustat_hist__bucket_high(unsigned int b)
{
	unsigned int e, sub;
	u64 low, width;

	if (b < USTAT_HIST_SUB)
		return b;
	e = b / USTAT_HIST_SUB + USTAT_HIST_SUB_BITS - 1;
	sub = b % USTAT_HIST_SUB;
	width = 1ULL << (e - USTAT_HIST_SUB_BITS);
	low = (1ULL << e) + sub * width;
	return low + (width - 1);
}

void ustat_hist__init(struct ustat_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void ustat_hist__add(struct ustat_hist *h, u64 v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->buckets[ustat_hist__bucket(v)]++;
}

void ustat_hist__merge(struct ustat_hist *dst, const struct ustat_hist *src)
{
	unsigned int i;

	if (!src->count)
		return;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (i = 0; i < USTAT_HIST_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
}

u64 ustat_hist__percentile(const struct ustat_hist *h, double pct)
{
	u64 rank, seen = 0, v;
	unsigned int i;

	if (!h->count)
		return 0;
	if (pct <= 0)
		return h->min;
	if (pct >= 100)
		return h->max;
	/* rank = ceil(pct/100 * count), at least 1 */
	rank = (u64)(pct / 100.0 * h->count);
	if ((double)rank < pct / 100.0 * h->count)
		rank++;
	if (!rank)
		rank = 1;
	for (i = 0; i < USTAT_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	v = ustat_hist__bucket_high(i < USTAT_HIST_BUCKETS ? i : USTAT_HIST_BUCKETS - 1);
	if (v > h->max)
		v = h->max;
	if (v < h->min)
		v = h->min;
	return v;
}

u64 ustat_hist__mean(const struct ustat_hist *h)
{
	return h->count ? h->sum / h->count : 0;
}

const char *const ustat_hist_summary_names[USTAT_HIST_SUMMARY] = {
	"count", "min", "avg", "p50", "p90", "p99", "max",
};

void ustat_hist__summary(const struct ustat_hist *h, u64 v[USTAT_HIST_SUMMARY])
{
	v[0] = h->count;
	v[1] = h->min;
	v[2] = ustat_hist__mean(h);
	v[3] = ustat_hist__percentile(h, 50);
	v[4] = ustat_hist__percentile(h, 90);
	v[5] = ustat_hist__percentile(h, 99);
	v[6] = h->max;
}

void ustat_hist__print(FILE *out, const struct ustat_hist *h, const char *sep, int width)
{
	u64 v[USTAT_HIST_SUMMARY];
	int i;

	ustat_hist__summary(h, v);
	for (i = 0; i < USTAT_HIST_SUMMARY; i++)
		fprintf(out, "%s%*llu", sep, width, (unsigned long long)v[i]);
}

int ustat_hist__add_buckets(struct ustat_hist *h, const char *s)
{
	while (*s) {
		char *end;
		unsigned long b = strtoul(s, &end, 10);
		unsigned long long n;

		if (end == s || *end != ':' || b >= USTAT_HIST_BUCKETS)
			return -EINVAL;
		s = end + 1;
		n = strtoull(s, &end, 10);
		if (end == s || (*end && *end != ','))
			return -EINVAL;
		h->buckets[b] += n;
		s = *end ? end + 1 : end;
	}
	return 0;
}
