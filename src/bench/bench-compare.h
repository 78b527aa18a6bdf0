/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_COMPARE_H
#define __USTAT_BENCH_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "bench.h"
#include "util/uprobe-stat/util/welch.h"

/*
 * bench --compare A.json B.json: two bench --json runs side by side, per
 * kind and thread count, with Welch's t-test on the repeats' hits/s to say
 * whether a difference is beyond the runs' noise.
 */
struct bench_cmp_side {
	bool			 have;		/* this kind and thread count ran */
	const char		*skipped;	/* ...or why not; NULL: absent */
	struct bench_stat	 rate;		/* hits/s over the repeats */
	double			 ns_per_hit;
};

struct bench_cmp_row {
	const char		*kind;
	const char		*label;
	int			 threads;
	struct bench_cmp_side	 a, b;
	bool			 tested;
	struct ustat_welch	 w;
	double			 ratio;		/* b.mean / a.mean */
	const char		*verdict;
};

struct bench_cmp_run;

struct bench_cmp {
	const char		*path[2];
	struct bench_cmp_run	*run[2];
	struct bench_cmp_row	*rows;
	int			 nr_rows;
};

int bench_cmp__load(struct bench_cmp *c, const char *a, const char *b, char *err, size_t errlen);
/* The same from the files' text (named A and B in errors). */
int bench_cmp__load_texts(struct bench_cmp *c, const char *a, const char *text_a,
			  const char *b, const char *text_b, char *err, size_t errlen);
void bench_cmp__exit(struct bench_cmp *c);
void bench_cmp__print_table(const struct bench_cmp *c, FILE *out);
void bench_cmp__print_json(const struct bench_cmp *c, FILE *out);

/* What builtin-bench.c calls for --compare: ARGV holds the two files. */
int bench_compare_main(int argc, const char **argv, bool json);

#endif /* __USTAT_BENCH_COMPARE_H */
