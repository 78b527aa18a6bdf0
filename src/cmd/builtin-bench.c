// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat bench: the uprobe scalability benchmark, without BPF.
 *
 * selftests/bpf's 'bench trig-uprobe-*' judged the uprobe scalability
 * work; it needs BPF and a kernel tree.  This measures the same thing --
 * hits per second on one probe as threads are added -- with the uprobe PMU
 * events record uses, on functions of this binary whose first instruction
 * picks the kernel path (bench-workload.c), and checks every count.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/bench/bench.h"
#include "util/uprobe-stat/bench/bench-compare.h"
#include "util/uprobe-stat/explain/observer.h"
#include "util/uprobe-stat/util/debug.h"
#include "uprobe-stat.h"

#define BENCH_DEFAULT_DURATION	"1"
#define BENCH_DEFAULT_WARMUP	"0.2"
#define BENCH_DEFAULT_REPEAT	"3"
#define BENCH_DEFAULT_PAGES	256

static const char * const bench_usage[] = {
	"perf uprobe-stat bench [--kind base,nop5,int3,xol,ret] [--threads 1,2,4,...] [--duration S] [--repeat R] [--json]",
	"perf uprobe-stat bench --compare A.json B.json [--json]",
	"perf uprobe-stat bench --observer [--duration S] [--repeat R]",
	NULL
};

struct bench_args {
	const char	*kinds;
	const char	*threads;
	const char	*duration;
	const char	*warmup;
	const char	*repeat;
};

static int check_options(struct bench *b, const struct bench_args *a, char *err, size_t errlen)
{
	struct bench_opts *o = &b->opts;
	char *end;
	long v;

	if (bench_parse_kinds(a->kinds, &o->kinds, err, errlen) ||
	    bench_parse_seconds("--duration", a->duration, false, &o->duration, err, errlen) ||
	    bench_parse_seconds("--warmup", a->warmup, true, &o->warmup, err, errlen))
		return -1;
	v = strtol(a->repeat, &end, 10);
	if (!*a->repeat || *end || v < 1 || v > BENCH_MAX_REPEAT) {
		snprintf(err, errlen, "--repeat '%s': give a number of repeats from 1 to %d",
			 a->repeat, BENCH_MAX_REPEAT);
		return -1;
	}
	o->repeat = v;
	if (o->mmap_pages < 1 || (o->mmap_pages & (o->mmap_pages - 1))) {
		snprintf(err, errlen, "-m %u: the ring buffer size must be a power of two pages",
			 o->mmap_pages);
		return -1;
	}
	if (o->record && o->no_attach) {
		snprintf(err, errlen,
			 "--record samples the probes bench attaches: it cannot go with --no-attach");
		return -1;
	}
	if (a->threads)
		return bench_parse_threads(a->threads, &o->threads, &o->nr_threads, err, errlen);
	return 0;
}

/*
 * Kind-major, thread counts in the order given.  base comes first and is
 * always there: every other kind's cost is counted from it.
 */
static int plan(struct bench *b)
{
	unsigned int kinds = b->opts.kinds | (1U << BENCH_BASE);
	int k, t, n = 0;

	b->results = calloc(BENCH_NR_KINDS * b->opts.nr_threads, sizeof(*b->results));
	if (!b->results)
		return -1;
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		if (!(kinds & (1U << k)))
			continue;
		for (t = 0; t < b->opts.nr_threads; t++) {
			b->results[n].kind = k;
			b->results[n].nr_threads = b->opts.threads[t];
			n++;
		}
	}
	b->nr_results = n;
	return 0;
}

static void progress(const struct bench_result *r, bool tty)
{
	if (tty)
		fprintf(stderr, "\r[ bench: %s, %d thread%s ... ]\033[K",
			bench_kinds[r->kind].label, r->nr_threads, r->nr_threads > 1 ? "s" : "");
	ustat_debug("bench: %s with %d threads", bench_kinds[r->kind].label, r->nr_threads);
}

static void stop_handler(int sig)
{
	atomic_store(&bench_stop, sig);
}

/*
 * Ctrl-C, SIGTERM and SIGHUP (the terminal gone) end the run in hand the
 * way its end would: events closed, the uprobe_events definition removed.
 */
static void catch_stop_signals(bool on)
{
	struct sigaction sa = { .sa_handler = on ? stop_handler : SIG_DFL };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int run_all(struct bench *b, char *err, size_t errlen)
{
	bool tty = isatty(STDERR_FILENO) && !ustat_verbose;
	int i, ret = 0;

	catch_stop_signals(true);
	for (i = 0; i < b->nr_results && !ret && !atomic_load(&bench_stop); i++) {
		progress(&b->results[i], tty);
		ret = bench_run(b, &b->results[i], err, errlen);
	}
	catch_stop_signals(false);
	if (atomic_load(&bench_stop)) {
		int sig = atomic_load(&bench_stop);

		snprintf(err, errlen, "stopped by signal %d (%s) before the end: nothing measured",
			 sig, strsignal(sig));
		ret = -EINTR;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	for (i = 0; i < b->nr_results; i++) {
		struct bench_result *r = &b->results[i];

		bench_result__summarise(r, bench__find(b, BENCH_BASE, r->nr_threads));
	}
	bench_judge_paths(b);
	return ret;
}

/*
 * --observer: measure the shift, show it, and cache it for this boot,
 * where record finds it.
 */
static int observer(struct bench *b, char *err, size_t errlen)
{
	struct ustat_observer o;
	int ret;

	if (isatty(STDERR_FILENO))
		fprintf(stderr, "[ bench: the shift recording makes, %u x %.2f s each way ... ]\n",
			b->opts.repeat, b->opts.duration);
	catch_stop_signals(true);
	ret = bench_observer__measure(b, &o, err, errlen);
	catch_stop_signals(false);
	if (ret)
		return -1;
	ustat_observer__save(&o);
	bench_observer__print(&o, stdout);
	fflush(stdout);
	return 0;
}

static void bench_exit(struct bench *b)
{
	int i;

	for (i = 0; b->results && i < b->nr_results; i++)
		bench_result__exit(&b->results[i]);
	free(b->results);
	free(b->opts.threads);
	bench_env__exit(&b->env);
}

int ustat_cmd_bench(int argc, const char **argv)
{
	bool compare = false, obs = false;
	struct bench b = {
		.opts = { .mmap_pages = BENCH_DEFAULT_PAGES },
	};
	struct bench_args a = {
		.kinds = "all",
		.duration = BENCH_DEFAULT_DURATION,
		.warmup = BENCH_DEFAULT_WARMUP,
		.repeat = BENCH_DEFAULT_REPEAT,
	};
	const struct option options[] = {
		OPT_STRING('k', "kind", &a.kinds, "kind[,kind]",
			   "base, nop5, int3, xol, ret or all (default: all)"),
		OPT_STRING('t', "threads", &a.threads, "n[,n]",
			   "thread counts (default: 1, 2, 4, ... and the number of CPUs)"),
		OPT_STRING('d', "duration", &a.duration, "seconds",
			   "timed window of each repeat (default: " BENCH_DEFAULT_DURATION ")"),
		OPT_STRING('w', "warmup", &a.warmup, "seconds",
			   "calls before each window (default: " BENCH_DEFAULT_WARMUP ")"),
		OPT_STRING('r', "repeat", &a.repeat, "n",
			   "repeats of each run, for mean and stddev (default: "
			   BENCH_DEFAULT_REPEAT ")"),
		OPT_BOOLEAN(0, "record", &b.opts.record,
			    "sample every hit into ring buffers, drained as record does"),
		OPT_BOOLEAN(0, "no-attach", &b.opts.no_attach,
			    "attach nothing: calls only, for perf stat -e (say) to probe"),
		OPT_UINTEGER('m', "mmap-pages", &b.opts.mmap_pages,
			     "--record: ring buffer pages per CPU (power of two)"),
		OPT_BOOLEAN(0, "json", &b.opts.json, "print JSON instead of the table"),
		OPT_BOOLEAN(0, "compare", &compare,
			    "compare two bench --json files, A.json B.json, with a t-test"),
		OPT_BOOLEAN(0, "observer", &obs,
			    "how much recording shifts the kernel signals (patched kernel)"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_END()
	};
	char err[1024] = "";
	int ret = 1, i;

	argc = parse_options(argc, argv, options, bench_usage, 0);
	if (compare) {
		ret = bench_compare_main(argc, argv, b.opts.json);
		goto out;
	}
	if (argc) {
		snprintf(err, sizeof(err), "bench takes no arguments, only options: '%s'", argv[0]);
		goto fail;
	}
	if (check_options(&b, &a, err, sizeof(err)) ||
	    bench_env__discover(&b.env, err, sizeof(err)))
		goto fail;
	if (obs) {
		if (observer(&b, err, sizeof(err)))
			goto fail;
		ret = 0;
		goto out;
	}
	if (!b.opts.threads &&
	    bench_default_threads(b.env.nr_allowed, &b.opts.threads, &b.opts.nr_threads))
		goto nomem;
	if (plan(&b))
		goto nomem;
	if (run_all(&b, err, sizeof(err))) {
		/* As a shell reports a command a signal ended: 128 + its number. */
		if (atomic_load(&bench_stop))
			ret = 128 + atomic_load(&bench_stop);
		goto fail;
	}

	if (b.opts.json)
		bench__print_json(&b, stdout);
	else
		bench__print_table(&b, stdout);
	fflush(stdout);
	ret = 0;
	for (i = 0; i < b.nr_results; i++) {
		const struct bench_result *r = &b.results[i];

		if (r->ran && bench__attaches(&b, r->kind) && !r->counts_ok) {
			ustat_err("%s (%d threads): %s", bench_kinds[r->kind].label, r->nr_threads,
				  r->mismatch);
			ret = 1;
		}
	}
	goto out;
nomem:
	snprintf(err, sizeof(err), "out of memory");
fail:
	ustat_err("%s", err);
out:
	bench_exit(&b);
	return ret;
}
