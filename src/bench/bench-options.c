// SPDX-License-Identifier: GPL-2.0
/*
 * The values of bench's options.  Each error names the option and the
 * value at fault, in one line.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "bench.h"

/* The next comma-separated item of *S, NUL-terminated in place. */
static char *next_item(char **s)
{
	char *item = *s, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*s = comma + 1;
	} else {
		*s = NULL;
	}
	return item;
}

int bench_parse_kinds(const char *s, unsigned int *kinds, char *err, size_t errlen)
{
	char *copy = strdup(s), *rest = copy, *item;
	int ret = 0, k;

	if (!copy)
		return -ENOMEM;
	*kinds = 0;
	while (!ret && (item = next_item(&rest)) != NULL) {
		if (!*item) {
			snprintf(err, errlen, "--kind '%s': empty kind in the list", s);
			ret = -EINVAL;
			break;
		}
		if (!strcmp(item, "all")) {
			*kinds |= (1U << BENCH_NR_KINDS) - 1;
			continue;
		}
		for (k = 0; k < BENCH_NR_KINDS; k++)
			if (!strcmp(item, bench_kinds[k].name))
				break;
		if (k == BENCH_NR_KINDS) {
			snprintf(err, errlen,
				 "unknown --kind '%s' (known: base, nop5, int3, xol, ret, all)",
				 item);
			ret = -EINVAL;
		} else if (*kinds & (1U << k)) {
			snprintf(err, errlen, "--kind '%s': '%s' given twice", s, item);
			ret = -EINVAL;
		} else {
			*kinds |= 1U << k;
		}
	}
	free(copy);
	return ret;
}

int bench_parse_threads(const char *s, int **threads, int *nr, char *err, size_t errlen)
{
	char *copy = strdup(s), *rest = copy, *item;
	int *list = NULL, n = 0, cap = 0, ret = 0, i;

	if (!copy)
		return -ENOMEM;
	while (!ret && (item = next_item(&rest)) != NULL) {
		char *end;
		long v;

		errno = 0;
		v = strtol(item, &end, 10);
		if (!*item || *end || errno) {
			snprintf(err, errlen, "--threads '%s': '%s' is not a number of threads",
				 s, item);
			ret = -EINVAL;
			break;
		}
		if (v < 1 || v > BENCH_MAX_THREADS) {
			snprintf(err, errlen, "--threads '%s': %ld threads: give 1 to %d", s, v,
				 BENCH_MAX_THREADS);
			ret = -EINVAL;
			break;
		}
		for (i = 0; i < n; i++)
			if (list[i] == v)
				break;
		if (i < n) {
			snprintf(err, errlen, "--threads '%s': %ld given twice", s, v);
			ret = -EINVAL;
			break;
		}
		if (ustat_array_grow(list, cap, n + 1)) {
			ret = -ENOMEM;
			break;
		}
		list[n++] = v;
	}
	free(copy);
	if (ret) {
		free(list);
		return ret;
	}
	*threads = list;
	*nr = n;
	return 0;
}

int bench_parse_seconds(const char *opt, const char *s, bool zero_ok, double *secs,
			char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v)) {
		snprintf(err, errlen, "%s '%s': not a number of seconds", opt, s);
		return -EINVAL;
	}
	if (v < 0 || (!zero_ok && v < 0.001)) {
		snprintf(err, errlen, "%s %s: must be %s", opt, s,
			 zero_ok ? "0 or more seconds" : "at least 0.001 seconds");
		return -EINVAL;
	}
	if (v > BENCH_MAX_SECONDS) {
		snprintf(err, errlen, "%s %s: at most %.0f seconds", opt, s, BENCH_MAX_SECONDS);
		return -EINVAL;
	}
	*secs = v;
	return 0;
}

int bench_default_threads(int nr_cpus, int **threads, int *nr)
{
	int *list, n = 0, t;

	if (nr_cpus < 1)
		nr_cpus = 1;
	if (nr_cpus > BENCH_MAX_THREADS)
		nr_cpus = BENCH_MAX_THREADS;
	list = calloc(32, sizeof(*list));
	if (!list)
		return -ENOMEM;
	for (t = 1; t < nr_cpus; t *= 2)
		list[n++] = t;
	list[n++] = nr_cpus;
	*threads = list;
	*nr = n;
	return 0;
}
