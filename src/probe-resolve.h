/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_RESOLVE_H
#define __USTAT_PROBE_RESOLVE_H

#include <limits.h>
#include <stddef.h>
#include <linux/types.h>

#include "elf-symbols.h"
#include "probe-spec.h"

/* A probe spec made concrete: which file, which offset, what to call it. */
struct ustat_probe {
	struct ustat_probe_spec	spec;
	char			path[PATH_MAX];	/* absolute path of the binary */
	struct ustat_sym_loc	sym;
	u64			offset;		/* file offset of the probed instruction */
	char			event[256];	/* "probe_demo:work__return", as perf probe names */
	char			display[256];	/* the spec as typed */
};

/*
 * Parse TEXT and resolve it against its own BINARY: prefix or, without
 * one, DEFAULT_BINARY (NULL: an error saying to use -x).
 */
int ustat_probe__resolve(struct ustat_probe *p, const char *text,
			 const char *default_binary, char *err, size_t errlen);
void ustat_probe__exit(struct ustat_probe *p);

/* Make event names unique across NR probes, perf probe style (_1, _2 ...). */
void ustat_probes__uniq_names(struct ustat_probe *probes, int nr);

#endif /* __USTAT_PROBE_RESOLVE_H */
