/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_HISTOGRAM_H
#define __USTAT_HISTOGRAM_H

#include <stdio.h>
#include <linux/types.h>

/*
 * A log-linear histogram of u64 values (nanoseconds): values below 2^SUB
 * are counted exactly; above, each power of two is split into 2^SUB equal
 * buckets, so a reported percentile is within 1/2^SUB (3.1 %) of the true
 * value.  Its size is fixed (about 15 KiB) whatever it counts, which keeps
 * aggregation memory independent of the number of events.  min, max, sum
 * and count are exact.
 */
#define USTAT_HIST_SUB_BITS	5
#define USTAT_HIST_SUB		(1 << USTAT_HIST_SUB_BITS)
#define USTAT_HIST_BUCKETS	((64 - USTAT_HIST_SUB_BITS + 1) * USTAT_HIST_SUB)

struct ustat_hist {
	u64	count;
	u64	sum;
	u64	min;
	u64	max;
	u64	buckets[USTAT_HIST_BUCKETS];
};

void ustat_hist__init(struct ustat_hist *h);
void ustat_hist__add(struct ustat_hist *h, u64 value);
void ustat_hist__merge(struct ustat_hist *dst, const struct ustat_hist *src);
/* Add a "bucket:count,..." list (as BPF records write them) to H; -EINVAL if it does not parse. */
int ustat_hist__add_buckets(struct ustat_hist *h, const char *s);

/*
 * The smallest value v such that at least PCT percent of the counted
 * values are <= v, to the histogram's precision: the top of the bucket
 * holding that rank, clamped to [min, max].  0 when empty.
 */
u64 ustat_hist__percentile(const struct ustat_hist *h, double pct);
u64 ustat_hist__mean(const struct ustat_hist *h);

/*
 * What every printer shows of a histogram, in this order: count, min,
 * avg, p50, p90, p99, max (the names are the JSON keys).
 */
#define USTAT_HIST_SUMMARY	7
extern const char *const ustat_hist_summary_names[USTAT_HIST_SUMMARY];
void ustat_hist__summary(const struct ustat_hist *h, u64 v[USTAT_HIST_SUMMARY]);
/* The summary's numbers, each after SEP and right-aligned in WIDTH columns. */
void ustat_hist__print(FILE *out, const struct ustat_hist *h, const char *sep, int width);

/* Bucket arithmetic, exposed for tests. */
unsigned int ustat_hist__bucket(u64 value);
u64 ustat_hist__bucket_high(unsigned int bucket);

#endif /* __USTAT_HISTOGRAM_H */
