// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <subcmd/parse-options.h>

#include "uprobe-stat.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/sample-filter.h"
#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/core/callchain.h"
#include "util/uprobe-stat/core/event-info.h"
#include "util/uprobe-stat/util/str-escape.h"

/*
 * One line per event with fixed, space-free fields, so that awk and cut
 * can rely on them, and the thread's name last (perf script's comm; it may
 * hold spaces, so it is the rest of the line):
 *
 *	time cpu pid tid event probe ip comm
 *
 * Lines starting with '#' carry everything else (the field list, lost
 * events) and are for people.
 */
struct script_ctx {
	const struct ustat_event_infos	*infos;
	const struct ustat_event_desc	*events;
	FILE				*out;
	struct ustat_sample_filter	 filter;	/* also knows the threads' names */
	struct ustat_callchains		 cc;		/* the mappings, the frames' names */
};

static void print_time(FILE *out, u64 t)
{
	fprintf(out, "%llu.%09llu", (unsigned long long)(t / 1000000000ULL),
		(unsigned long long)(t % 1000000000ULL));
}

/* A C++ signature's blanks ("f(int, char)") would split the field. */
static void print_unblank(FILE *out, const char *s)
{
	char buf[1024];

	for (s = ustat_str__safe(s, buf, sizeof(buf)); *s; s++)
		if (*s != ' ')
			fputc(*s, out);
}

/* The thread's name, else its process's, else perf's ":PID". */
static void print_comm(struct script_ctx *sc, const struct ustat_sample *s)
{
	const char *name = ustat_sample_filter__name(&sc->filter, s->pid, s->tid);

	if (name) {
		fputc(' ', sc->out);
		ustat_str__fput(sc->out, name);
		fputc('\n', sc->out);
	} else
		fprintf(sc->out, " :%d\n", (int)s->pid);
}

/*
 * record -g: the callchain under its event as perf script prints it, one
 * indented "addr sym+off (dso)" line a frame, innermost first, and an
 * empty line after it.
 */
static void print_callchain(struct script_ctx *sc, const struct ustat_sample *s)
{
	struct ustat_cc_frame frames[USTAT_CC_MAX_FRAMES];
	int i, n = ustat_callchains__frames(&sc->cc, s, frames);

	for (i = 0; i < n; i++) {
		const struct ustat_frame_name *name;

		name = ustat_callchains__name(&sc->cc, &frames[i], i);

		fprintf(sc->out, "\t%16llx ", (unsigned long long)frames[i].addr);
		if (name && name->sym[0])
			fprintf(sc->out, "%s+0x%llx", name->sym, (unsigned long long)name->sym_off);
		else
			fputs("[unknown]", sc->out);
		fputs(" (", sc->out);
		ustat_str__fput(sc->out, ustat_callchains__dso(&sc->cc, &frames[i]));
		fputs(")\n", sc->out);
	}
	fputc('\n', sc->out);
}

static int script_mmap(void *ctx, u32 pid, u64 start, u64 len, u64 pgoff, const char *name)
{
	struct script_ctx *sc = ctx;

	return ustat_callchains__mmap(&sc->cc, pid, start, len, pgoff, name);
}

static int script_fork(void *ctx, u32 pid, u32 ppid)
{
	struct script_ctx *sc = ctx;

	return ustat_callchains__fork(&sc->cc, pid, ppid);
}

static int script_sample(void *ctx, int idx, const struct ustat_sample *s)
{
	struct script_ctx *sc = ctx;
	const struct ustat_event_info *info = &sc->infos->ev[idx];

	print_time(sc->out, s->time);
	fprintf(sc->out, " %d %d %d ", (int)s->cpu, (int)s->pid, (int)s->tid);
	/* Names come from the file: escaped, one event stays one line. */
	ustat_str__fput(sc->out, sc->events[idx].name);
	fputc(' ', sc->out);
	print_unblank(sc->out, info->display);
	fprintf(sc->out, " %#llx", (unsigned long long)s->ip);
	print_comm(sc, s);
	if (info->kind != USTAT_EVENT_KERNEL && ustat_callchains__has(s))
		print_callchain(sc, s);
	return ferror(sc->out) ? -1 : 0;
}

static int script_lost(void *ctx, u32 cpu, u64 nr, u64 time)
{
	struct script_ctx *sc = ctx;

	fprintf(sc->out, "# ");
	print_time(sc->out, time);
	fprintf(sc->out, " cpu %d: %llu events lost\n", (int)cpu, (unsigned long long)nr);
	return 0;
}

static const struct ustat_input_ops script_ops = {
	.sample	= script_sample,
	.lost	= script_lost,
	.mmap	= script_mmap,
	.fork	= script_fork,
};

/*
 * A probe placed at several sites has one event per site; lines carry the
 * event that fired and the probe's name, so summing by probe counts them
 * all.  The header says which events make up which probe.
 */
static void print_sites(const struct script_ctx *sc, FILE *out)
{
	const struct ustat_event_infos *infos = sc->infos;
	int i, j, n;

	for (i = 0; i < infos->nr; i++) {
		n = ustat_event_info__sites(&infos->ev[i]);
		if (n == 1 || infos->ev[i].site || infos->ev[i].kind == USTAT_EVENT_KERNEL)
			continue;
		fputs("# probe ", out);
		ustat_str__fput(out, infos->ev[i].display);
		fprintf(out, ": %d sites:", n);
		for (j = i; j < i + n && j < infos->nr; j++) {
			fputc(' ', out);
			ustat_str__fput(out, sc->events[j].name);
		}
		fputc('\n', out);
	}
}

static const char * const script_usage[] = {
	"perf uprobe-stat script [<options>]",
	NULL
};

int ustat_cmd_script(int argc, const char **argv)
{
	const char *input = NULL;
	struct script_ctx sc = { 0 };
	bool no_header = false;
	const struct option options[] = {
		OPT_STRING('i', "input", &input, "file",
			   "input file name (default: perf.data, or - when stdin is a pipe)"),
		OPT_BOOLEAN(0, "no-header", &no_header, "do not print the field list"),
		OPT_INCR('v', "verbose", &ustat_verbose, "be more verbose"),
		OPT_PARENT(ustat_sample_filter_options)
	};
	struct ustat_input *in;
	char err[512] = "";
	int ret, nr;

	argc = parse_options(argc, argv, options, script_usage, 0);
	if (!input)
		input = ustat_default_input();
	if (argc) {
		ustat_err("script: unexpected argument '%s'", argv[0]);
		return 1;
	}
	if (ustat_sample_filter__init(&sc.filter, err, sizeof(err))) {
		ustat_err("script: %s", err);
		ustat_sample_filter__exit(&sc.filter);
		return 1;
	}
	if (ustat_input__open(&in, input, err, sizeof(err))) {
		ustat_err("%s", err);
		ustat_sample_filter__exit(&sc.filter);
		return 1;
	}
	ustat_input__set_filter(in, &sc.filter);
	sc.infos = ustat_input__infos(in);
	ustat_callchains__init(&sc.cc, sc.infos);
	sc.events = ustat_input__events(in, &nr);
	sc.out = stdout;
	if (!no_header) {
		fprintf(stdout, "# time cpu pid tid event probe ip comm\n");
		print_sites(&sc, stdout);
	}
	ret = ustat_input__process(in, &script_ops, &sc, err, sizeof(err));
	/* A write error is said once, by ustat_check_stdout(). */
	if (ret && (err[0] || !ferror(stdout)))
		ustat_err("%s", err[0] ? err : "script: cannot print the events");
	ustat_callchains__exit(&sc.cc);
	ustat_sample_filter__exit(&sc.filter);
	ustat_input__close(in);
	return ret ? 1 : 0;
}
