/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORD_OPTS_H
#define __USTAT_RECORD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* -g, --call-graph: how the probes' hits say who called them. */
enum ustat_callgraph {
	USTAT_CALLGRAPH_NONE,
	USTAT_CALLGRAPH_FP,	/* the kernel walks the frame pointers */
	USTAT_CALLGRAPH_DWARF,	/* registers + a stack copy, unwound by report */
};

/* perf's default stack copy for --call-graph dwarf, and the most a sample holds. */
#define USTAT_CALLGRAPH_STACK_DEFAULT	8192
#define USTAT_CALLGRAPH_STACK_MAX	65528

/*
 * What record and top are told on their command line about a recording,
 * in the core's terms: the commands fill it (cmd/record-options.c), the
 * backend turns it into its own recorder (core/backend.h, "Recording").
 */
struct ustat_record_opts {
	const char	*output;	/* record: the perf.data to write */
	const char	*exec;		/* -x: the binary of PROBEs without BINARY: */
	const char	*pids;		/* -p */
	const char	*tids;		/* -t */
	const char	*cpu_list;	/* -C */
	const char	*attach;	/* --attach, as given */
	const char	*mmap_pages;	/* -m, as given */
	const char	*cmd_output;	/* top: where CMD's stdout and stderr go */
	bool		 system_wide;	/* -a */
	bool		 force;		/* -f */
	bool		 no_kernel_events; /* --no-signals */
	bool		 use_bpf;	/* -b */
	/*
	 * The counting consumer: probes whose view needs no sample are
	 * counted (top by default); COUNT_ALL: every probe (record --count).
	 */
	bool		 counting;
	bool		 count_all;
	const char	*bpf_signals;	/* --bpf-signals: auto (NULL), off, also, only */
	enum ustat_callgraph callgraph;	/* -g, --call-graph (until checked: fp) */
	const char	*call_graph;	/* --call-graph, as given */
	/* the recording's own command line, for the file (HEADER_CMDLINE) */
	int		 argc;
	const char	**argv;
};

/*
 * --call-graph ARG, as perf record takes it: "fp" or "dwarf[,SIZE]", SIZE
 * the bytes of stack copied per hit, rounded up to 8, at most what a
 * sample holds (lbr means nothing for a uprobe).  0, or -EINVAL with ERR
 * saying why in one line.
 */
int ustat_callgraph__parse(const char *arg, enum ustat_callgraph *mode, u32 *stack_size,
			   char *err, size_t errlen);

#endif /* __USTAT_RECORD_OPTS_H */
