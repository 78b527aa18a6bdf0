/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_RESOLVE_H
#define __USTAT_PROBE_RESOLVE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "elf-symbols.h"
#include "util/uprobe-stat/core/probe-spec.h"

/*
 * A probe spec made concrete.  One spec may need several uprobes -- its
 * sites: a function and its inlined copies, every place a source line's
 * code starts, every use of a USDT probe.  Each site is one struct
 * ustat_probe (one uprobe, one perf event); they share the spec, the
 * display name and the binary, and record them as one probe.
 */
enum ustat_site_kind {
	USTAT_SITE_FUNC,	/* a function's symbol, +OFF or %return */
	USTAT_SITE_INLINE,	/* the entry of an inlined copy of the function */
	USTAT_SITE_LINE,	/* where a source line's code starts */
	USTAT_SITE_SDT,		/* a USDT probe's nop */
};

/*
 * More sites than this is a spec too wide to mean.  perf probe stops at
 * 128, but libc alone has functions inlined in more places than that
 * (IO_validate_vtable: 113), and each site is one cheap uprobe.
 */
#define USTAT_MAX_SITES		1024

struct ustat_probe {
	struct ustat_probe_spec	spec;
	char			path[PATH_MAX];	/* absolute path of the binary */
	struct ustat_sym_loc	sym;		/* USTAT_SITE_FUNC: the symbol */
	u64			vaddr;		/* its link-time address */
	u64			offset;		/* file offset of the probed instruction */
	u64			ref_ctr_offset;	/* file offset of a USDT semaphore, or 0 */
	enum ustat_site_kind	site_kind;
	int			site;		/* this site's index in its probe */
	int			nr_sites;
	char			func[256];	/* the function the site is in, "" if unknown */
	u64			func_offset;	/* and how far into it */
	char			event[256];	/* "probe_demo:work__return", as perf probe names */
	char			display[256];	/* the spec as typed */
};

/*
 * Parse TEXT and resolve it against its own BINARY: prefix or, without
 * one, DEFAULT_BINARY (NULL: an error saying to use -x), into *NR sites
 * (malloc'ed array in *SITES, in site order).
 */
int ustat_probe__resolve_sites(const char *text, const char *default_binary,
			       struct ustat_probe **sites, int *nr,
			       char *err, size_t errlen);
/*
 * The same, for a running process PID (> 0): binaries are the files it
 * maps, looked up in its mount namespace (target-file.h).
 */
int ustat_probe__resolve_sites_in(const char *text, const char *default_binary, pid_t pid,
				  struct ustat_probe **sites, int *nr,
				  char *err, size_t errlen);
void ustat_probe__exit(struct ustat_probe *p);
const char *ustat_site_kind__name(enum ustat_site_kind kind);

/*
 * Make event names unique across NR probes, perf probe style (_1, _2 ...),
 * in linear time (probe-dedupe.c).
 */
void ustat_probes__uniq_names(struct ustat_probe *probes, int nr);

#endif /* __USTAT_PROBE_RESOLVE_H */
