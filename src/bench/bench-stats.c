// SPDX-License-Identifier: GPL-2.0
/*
 * From the counts of each repeat to the numbers bench prints: hits per
 * second in total and per thread, mean and standard deviation over the
 * repeats (as selftests/bpf's bench reports them), and what one hit costs
 * a thread beyond the unprobed call.
 */
#include <math.h>
#include <stdlib.h>

#include "bench.h"

void bench_stat__compute(struct bench_stat *st, const double *v, unsigned int n)
{
	double sum = 0, sq = 0;
	unsigned int i;

	st->n = n;
	st->mean = 0;
	st->stddev = 0;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		sum += v[i];
	st->mean = sum / n;
	if (n < 2)
		return;
	/* Two passes: no cancellation when the values are close, as here. */
	for (i = 0; i < n; i++)
		sq += (v[i] - st->mean) * (v[i] - st->mean);
	st->stddev = sqrt(sq / (n - 1));
}

static double per_sec(u64 count, u64 ns)
{
	return ns ? (double)count * 1e9 / (double)ns : 0;
}

void bench_result__summarise(struct bench_result *r, const struct bench_result *base)
{
	unsigned int i;
	double *rates;
	int t;

	if (!r->ran || !r->nr_repeats)
		return;
	rates = calloc(r->nr_repeats, sizeof(*rates));
	r->thread_rate = calloc(r->nr_threads, sizeof(*r->thread_rate));
	if (!rates || !r->thread_rate) {
		free(rates);
		return;
	}
	for (i = 0; i < r->nr_repeats; i++) {
		const struct bench_repeat *rep = &r->repeats[i];

		rates[i] = per_sec(rep->timed, rep->window_ns);
		for (t = 0; t < r->nr_threads; t++)
			r->thread_rate[t] += per_sec(rep->threads[t].timed, rep->window_ns) /
					     r->nr_repeats;
	}
	bench_stat__compute(&r->rate, rates, r->nr_repeats);
	free(rates);
	/*
	 * What a hit costs the thread that takes it: each of the N threads
	 * makes rate/N calls a second, so one call takes N/rate seconds.
	 */
	r->ns_per_hit = r->rate.mean > 0 ? r->nr_threads * 1e9 / r->rate.mean : 0;
	if (base && base != r && base->ran && base->ns_per_hit > 0) {
		r->ns_above_base = r->ns_per_hit - base->ns_per_hit;
		r->have_base = true;
	}
}

const struct bench_result *bench__find(const struct bench *b, enum bench_kind kind,
				       int nr_threads)
{
	int i;

	for (i = 0; i < b->nr_results; i++)
		if (b->results[i].kind == kind && b->results[i].nr_threads == nr_threads)
			return &b->results[i];
	return NULL;
}
