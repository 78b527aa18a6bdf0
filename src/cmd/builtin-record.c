// SPDX-License-Identifier: GPL-2.0
/*
 * perf uprobe-stat record: a recording (core/backend.h) written to a
 * perf.data file that stock perf reads.
 */
#include <errno.h>
#include <stdio.h>
#include <subcmd/parse-options.h>

#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/core/cmd-end.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/explain/dry-run.h"
#include "util/uprobe-stat/util/str-escape.h"
#include "record-options.h"
#include "uprobe-stat.h"

static const char * const record_usage[] = {
	"perf uprobe-stat record [<options>] PROBE... [-p PID | -a | -- CMD [ARGS]]",
	"",
	"  PROBE: func, func+0xOFF, func%return, file.c:LINE, func:LINE, sdt:provider:name,",
	"         each with an optional BINARY: in front",
	NULL
};

static void print_summary(struct ustat_rec *r, const char *output)
{
	struct ustat_rec_stats st;

	ustat_rec__stats(r, &st);
	fprintf(stderr, "[ uprobe-stat record: Woken up %llu times to write data ]\n",
		(unsigned long long)st.wakeups);
	fprintf(stderr,
		"[ uprobe-stat record: Captured and wrote %.3f MB %s (%llu samples, %llu lost) ]\n",
		st.bytes_written / 1048576.0, output, (unsigned long long)st.samples,
		(unsigned long long)st.lost);
	if (st.counted)
		fprintf(stderr, "[ uprobe-stat record: counted %llu hits (consumer: counting) ]\n",
			(unsigned long long)st.counted);
	if (st.lost)
		ustat_warn("%llu samples lost: the ring buffer overflowed; record with a larger -m",
			   (unsigned long long)st.lost);
	if (st.cmd_ended) {
		char how[128];

		ustat_cmd_end__describe(st.cmd_end, st.cmd_code, how, sizeof(how));
		fputs("[ uprobe-stat record: '", stderr);
		ustat_str__fput(stderr, st.cmd);
		fprintf(stderr, "' %s ]\n", how);
	}
}

int ustat_cmd_record(int argc, const char **argv)
{
	struct ustat_record_opts *o = &ustat_record_opts;
	const struct option options[] = {
		OPT_STRING('o', "output", &o->output, "file",
			   "output file name (default: perf.data)"),
		OPT_BOOLEAN('f', "force", &o->force,
			    "overwrite the output instead of keeping FILE.old"),
		OPT_BOOLEAN(0, "count", &o->count_all,
			    "count hits per probe and CPU, no samples (as perf stat record)"),
		OPT_PARENT(ustat_record_options)
	};
	struct ustat_rec *r = NULL;
	struct ustat_rec_stats st;
	int cmd_at, made, ret = 1;
	char err[1024] = "";

	/*
	 * Signals first: from here on SIGINT, SIGTERM and SIGHUP end the
	 * recording with a complete file, whenever they come.
	 */
	ustat_rec__catch_stop();
	o->output = "perf.data";
	o->argc = ustat_cmdline_argc;
	o->argv = ustat_cmdline_argv;
	argc = ustat_record_options__parse(argc, argv, options, record_usage, "record",
					    &cmd_at);
	if (ustat_dry_run_opts.on || ustat_dry_run_opts.json || ustat_dry_run_opts.rate)
		return ustat_rec__dry_run(o, argc, argv, cmd_at);
	made = ustat_rec__new(&r, o, USTAT_REC_FILE);
	if (made == -EINVAL)
		return 1;	/* a bad option, said: nothing is attached */
	if (made) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (ustat_rec__setup(r, argc, argv, cmd_at, err, sizeof(err)) ||
	    ustat_rec__start(r, err, sizeof(err)))
		goto fail;
	while (!ustat_rec__stopped() && ustat_rec__step(r, 100) > 0)
		;
	if (ustat_rec__stop(r, err, sizeof(err)))
		goto fail;
	print_summary(r, o->output);
	ustat_rec__stats(r, &st);
	/* As perf record: CMD's exit status, 128 + the signal that killed it. */
	ret = st.cmd_ended ? ustat_cmd_end__exit_code(st.cmd_end, st.cmd_code) : 0;
	goto out;
fail:
	ustat_err("%s", err);
out:
	ustat_rec__exit(r);
	return ret;
}
