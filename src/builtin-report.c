// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "aggregate.h"
#include "uprobe-stat.h"
#include "debug.h"
#include "report.h"
#include "session.h"

struct report_ctx {
	struct ustat_agg	*agg;
	int			 err;
};

static int report_sample(void *ctx, struct ustat_evsel *evsel,
			 const struct ustat_sample *s, const union perf_event *ev __maybe_unused)
{
	struct report_ctx *rc = ctx;

	return ustat_agg__add(rc->agg, evsel->idx, s);
}

static int report_lost(void *ctx, u32 cpu, u64 nr, u64 time __maybe_unused)
{
	struct report_ctx *rc = ctx;

	ustat_agg__lost(rc->agg, cpu, nr);
	return 0;
}

static const struct ustat_session_ops report_ops = {
	.sample	= report_sample,
	.lost	= report_lost,
};

static const char * const report_usage[] = {
	"perf uprobe-stat report [<options>]",
	NULL
};

int ustat_cmd_report(int argc, const char **argv)
{
	const char *input = "perf.data", *sort = "probe";
	bool stdio = false, json = false, csv = false;
	const struct option options[] = {
		OPT_STRING('i', "input", &input, "file", "input file name (default: perf.data)"),
		OPT_BOOLEAN(0, "stdio", &stdio, "print tables (the default)"),
		OPT_BOOLEAN(0, "json", &json, "print JSON (schema in the man page)"),
		OPT_BOOLEAN(0, "csv", &csv, "print CSV, one row per --sort key combination"),
		OPT_STRING('s', "sort", &sort, "key[,key]",
			   "rows of the main table: probe, cpu, or both (default: probe)"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_END()
	};
	struct ustat_session session;
	struct ustat_report rep;
	struct report_ctx rc;
	struct ustat_agg agg;
	char err[512] = "";
	int ret;

	argc = parse_options(argc, argv, options, report_usage, 0);
	if (argc) {
		ustat_err("report: unexpected argument '%s'", argv[0]);
		return 1;
	}
	if (stdio + json + csv > 1) {
		ustat_err("report: --stdio, --json and --csv exclude each other");
		return 1;
	}
	memset(&rep, 0, sizeof(rep));
	if (ustat_report__parse_sort(&rep, sort, err, sizeof(err))) {
		ustat_err("report: %s", err);
		return 1;
	}
	if (ustat_session__open(&session, input, err, sizeof(err))) {
		ustat_err("%s", err);
		return 1;
	}
	ret = ustat_agg__init(&agg, &session.infos);
	if (ret) {
		ustat_err("out of memory");
		goto out;
	}
	ustat_agg__init_signals(&agg, &session.reader, session.tep);
	rc.agg = &agg;
	ret = ustat_session__process(&session, &report_ops, &rc, err, sizeof(err));
	if (ret) {
		ustat_err("%s", err[0] ? err : "processing failed");
		goto out_agg;
	}
	ustat_agg__finish(&agg);

	rep.input = input;
	rep.session = &session;
	rep.agg = &agg;
	if (session.reader.has_sample_time && session.reader.time_end > session.reader.time_start)
		rep.duration_ns = session.reader.time_end - session.reader.time_start;
	else
		rep.duration_ns = agg.last_time - agg.first_time;

	if (json)
		ret = ustat_report__print_json(&rep, stdout);
	else if (csv)
		ret = ustat_report__print_csv(&rep, stdout);
	else
		ret = ustat_report__print_stdio(&rep, stdout);
	if (fflush(stdout) || ret) {
		ustat_err("report: cannot write the output");
		ret = -1;
	}
out_agg:
	ustat_agg__exit(&agg);
out:
	ustat_session__close(&session);
	return ret ? 1 : 0;
}
