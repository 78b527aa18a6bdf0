// SPDX-License-Identifier: GPL-2.0
/* top --stdio and --stdio -j: the live numbers as lines (see top-stdio.h). */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "util/uprobe-stat/util/json-writer.h"
#include "util/uprobe-stat/core/view.h"
#include "top-stdio.h"

/* Between two drains: the TUI's key timeout, as short as the buffers want. */
#define STDIO_WAIT_NS	50000000L
/* ... and when the source stopped at its budget with more to read. */
#define STDIO_BEHIND_NS	5000000L

static u64 wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void print_header(const struct ustat_tui_opts *opts, FILE *out)
{
	fprintf(out, "# consumer: %s\n", opts->consumer ? opts->consumer : "samples");
	fprintf(out, "#%15s  %-32s %14s %14s %12s %12s %12s %12s\n", "time", "probe", "hits",
		"hits/s", "lat p50 ns", "lat p99 ns", "treeretries", "xolareafail");
}

/* A count of the patched kernel's, or "-" where the kernel lacks the event. */
static void print_count(bool have, u64 n, FILE *out)
{
	if (have)
		fprintf(out, " %12llu", (unsigned long long)n);
	else
		fprintf(out, " %12s", "-");
}

static void print_text(const struct ustat_view *v, double t, FILE *out)
{
	int i;

	for (i = 0; i < v->nr_rows; i++) {
		const struct ustat_view_row *r = &v->rows[i];

		fprintf(out, "%16.9f  %-32s %14llu %14.1f", t, r->name,
			(unsigned long long)r->hits, r->rate);
		if (r->lat_count)
			fprintf(out, " %12llu %12llu", (unsigned long long)r->lat_p50,
				(unsigned long long)r->lat_p99);
		else
			fprintf(out, " %12s %12s", "-", "-");
		print_count(v->have_retries, r->tree_retries, out);
		print_count(v->have_area_fails, r->xol_area_fails, out);
		fputc('\n', out);
	}
	/* what the kernel dropped, top behind: a flood is not a quiet target */
	fprintf(out, "%16.9f  %-32s %14llu\n", t, "(dropped)", (unsigned long long)v->lost);
}

/* The cost of a hit in parts (view.c has them from report-cost.c); null: unknown. */
static void print_json_cost(const struct ustat_view_row *r, FILE *out)
{
	int p;

	if (!r->cost.valid) {
		fputs(", \"cost-total-ns\" : null", out);
		return;
	}
	fputs(", \"hit-path\" : ", out);
	ustat_json__string(out, r->hit_path);
	fprintf(out, ", \"cost-total-ns\" : %.1f", r->cost.total_ns);
	for (p = 0; p < USTAT_PART_NR; p++)
		fprintf(out, ", \"cost-%s-ns\" : %.1f", ustat_cost_part_names[p],
			r->cost.part_ns[p]);
}

/*
 * perf stat -j's habits: "key" : value, dashes in keys, one object a line.
 * "dropped" is "lost" under the name the other views show.
 */
static void print_json(const struct ustat_view *v, const char *consumer, double t, FILE *out)
{
	int i;

	for (i = 0; i < v->nr_rows; i++) {
		const struct ustat_view_row *r = &v->rows[i];

		fprintf(out, "{\"interval\" : %.9f, \"consumer\" : \"%s\", \"probe\" : ", t,
			consumer ? consumer : "samples");
		ustat_json__string(out, r->name);
		fprintf(out, ", \"hits\" : %llu, \"hits-per-sec\" : %.3f",
			(unsigned long long)r->hits, r->rate);
		if (r->lat_count)
			fprintf(out,
				", \"latency-count\" : %llu, \"latency-p50-ns\" : %llu, \"latency-p99-ns\" : %llu",
				(unsigned long long)r->lat_count, (unsigned long long)r->lat_p50,
				(unsigned long long)r->lat_p99);
		fprintf(out, ", \"lookups\" : %llu, \"fallbacks\" : %llu",
			(unsigned long long)r->lookups, (unsigned long long)r->fallbacks);
		/* Only where the kernel has the event: absent is not zero. */
		if (v->have_retries)
			fprintf(out, ", \"tree-retries\" : %llu",
				(unsigned long long)r->tree_retries);
		if (v->have_area_fails)
			fprintf(out, ", \"xol-area-fails\" : %llu",
				(unsigned long long)r->xol_area_fails);
		fprintf(out, ", \"lost\" : %llu, \"dropped\" : %llu", (unsigned long long)v->lost,
			(unsigned long long)v->lost);
		print_json_cost(r, out);
		fputs("}\n", out);
	}
}

static int interval(struct ustat_view *v, struct ustat_agg *agg, struct ustat_tui_source *src,
		    const struct ustat_tui_opts *opts, bool json, FILE *out)
{
	u64 now = wall_ns();

	if (ustat_view__tick(v, agg, src->start, now))
		return -ENOMEM;
	if (json)
		print_json(v, opts->consumer, (now - src->start) / 1e9, out);
	else
		print_text(v, (now - src->start) / 1e9, out);
	/* The reader went away (top --stdio | head): nothing more to show. */
	if (fflush(out) || ferror(out))
		return -EPIPE;
	return 0;
}

int ustat_top_stdio__run(struct ustat_tui_source *src, struct ustat_agg *agg,
			 const struct ustat_tui_opts *opts, bool json, FILE *out,
			 char *err, size_t errlen)
{
	u64 every = opts->interval * 1e9, next = wall_ns() + every;
	struct timespec wait = { 0, STDIO_WAIT_NS };
	struct ustat_view v;
	bool ended = false;
	int ret = 0;

	/* A closed pipe is an end like any other, not a death with probes set. */
	signal(SIGPIPE, SIG_IGN);
	ustat_view__init(&v, opts->target);
	v.rec = opts->rec;
	v.events = opts->events;
	v.sort = USTAT_SORT_BY_NAME;
	if (!json)
		print_header(opts, out);
	while (!ended) {
		ret = src->advance(src->ctx, wall_ns(), &ended, err, errlen);
		if (ret)
			break;
		if (ended || (src->stopped && src->stopped(src->ctx)))
			break;
		if (src->idle)
			src->idle(src->ctx);
		if (wall_ns() >= next) {
			ret = interval(&v, agg, src, opts, json, out);
			if (ret)
				break;
			/* a late block is not followed by the ones it missed at once */
			while (next <= wall_ns())
				next += every;
		}
		/* A signal cuts the wait short: it ends the loop at once. */
		wait.tv_nsec = src->behind ? STDIO_BEHIND_NS : STDIO_WAIT_NS;
		nanosleep(&wait, NULL);
	}
	/* What came since the last block, up to the end. */
	if (!ret)
		ret = interval(&v, agg, src, opts, json, out);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret == -EPIPE)
		ret = 0;
	ustat_view__exit(&v);
	return ret;
}
