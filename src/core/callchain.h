/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_CALLCHAIN_H
#define __USTAT_CALLCHAIN_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "event-info.h"
#include "sample.h"
#include "util/uprobe-stat/util/u64-map.h"
#include "util/uprobe-stat/resolve/frame-sym.h"

/*
 * Who called the probes (record -g, --call-graph): each hit's user
 * callchain -- the kernel's frame-pointer walk, or the registers and
 * stack copy of --call-graph dwarf unwound here -- turned into frames
 * that mean something outside the process (file + offset, through the
 * process's mappings from the MMAP records), and counted per probe and
 * distinct stack.  Memory grows with distinct stacks, not with hits.
 * Frames are named once each, at the end (resolve/frame-sym.h).
 */

#define USTAT_CC_MAX_FRAMES	127	/* perf's default kernel.perf_event_max_stack */
#define USTAT_CC_NO_DSO		((u32)-1)

/* A frame: OFF into dso DSO, or, with no mapping known, the address itself. */
struct ustat_cc_frame {
	u32	dso;
	u64	off;
	u64	addr;	/* as the process had it (script prints it) */
};

struct ustat_cc_stack {
	u64			 hash;
	u64			 count;
	int			 probe;		/* the probe's first site */
	u32			 nr;
	struct ustat_cc_frame	*frames;	/* innermost (the probed code) first */
	struct ustat_cc_stack	*next;		/* same hash */
};

struct ustat_cc_dso {
	char			*path;
	struct ustat_frame_dso	*elf;		/* opened on first naming */
	bool			 tried;
	struct ustat_map	 names;		/* off * 2 + caller -> struct ustat_frame_name * */
};

struct ustat_callchains {
	const struct ustat_event_infos	*infos;
	struct ustat_map		 procs;		/* pid -> struct ustat_cc_proc * */
	struct ustat_cc_dso		*dsos;
	u32				 nr_dsos;
	u32				 cap_dsos;
	struct ustat_map		 stacks;	/* hash -> struct ustat_cc_stack * */
	u64				 nr_stacks;
	u64				 samples;	/* hits with a callchain or stack */
	u64				 empty;		/* of them, no frame could be had */
	bool				 dwarf;		/* some were unwound here */
};

void ustat_callchains__init(struct ustat_callchains *cc, const struct ustat_event_infos *infos);
void ustat_callchains__exit(struct ustat_callchains *cc);

/* A mapping of code of process PID (backend.h's mmap). */
int ustat_callchains__mmap(struct ustat_callchains *cc, u32 pid, u64 start, u64 len,
			   u64 pgoff, const char *filename);

/* Process PID forked from PPID: it maps what PPID maps (backend.h's fork). */
int ustat_callchains__fork(struct ustat_callchains *cc, u32 pid, u32 ppid);

/* Does S carry a callchain (or what makes one)? */
static inline bool ustat_callchains__has(const struct ustat_sample *s)
{
	return s->callchain_nr || (s->user_regs && s->user_stack_size);
}

/* S's frames, innermost first, into FRAMES[0..USTAT_CC_MAX_FRAMES): how many. */
int ustat_callchains__frames(struct ustat_callchains *cc, const struct ustat_sample *s,
			     struct ustat_cc_frame *frames);

/* Count hit S of event IDX under its stack.  0 or -ENOMEM. */
int ustat_callchains__add(struct ustat_callchains *cc, int idx, const struct ustat_sample *s);

/* The name of FRAME, the chain's I-th; NULL when out of memory. */
const struct ustat_frame_name *ustat_callchains__name(struct ustat_callchains *cc,
						      const struct ustat_cc_frame *frame,
						      int i);
/* FRAME's file ("[unknown]" when no mapping was known). */
const char *ustat_callchains__dso(const struct ustat_callchains *cc,
				  const struct ustat_cc_frame *frame);

/* The stacks of probe PROBE, most hits first: malloc'ed, *NR of them. */
int ustat_callchains__sorted(const struct ustat_callchains *cc, int probe,
			     struct ustat_cc_stack ***out, size_t *nr);

/*
 * Brendan Gregg's folded stacks, for flamegraph.pl: one line per distinct
 * "root;...;caller;callee;probe COUNT", the counts adding up to the hits
 * with a callchain.
 */
int ustat_callchains__print_folded(struct ustat_callchains *cc, FILE *out);

#endif /* __USTAT_CALLCHAIN_H */
