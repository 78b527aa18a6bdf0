/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_KFUNC_H
#define __USTAT_BPF_KFUNC_H

/*
 * The uprobe lookup and xol questions on kernels without the uprobes_core
 * tracepoints: fentry/fexit programs on the kernel's own functions
 * (uprobe-kfunc.bpf.c), where the kernel has them and lets them attach
 * (bpf-kfunc.c; bpf-stub.c says why not where libbpf was not there).
 * Their counts go into the file as "kfunc" metadata records, read by
 * core/kevent-kfunc.c; so does why they are missing.
 */
#include "util/uprobe-stat/core/meta.h"

struct record;
struct ustat_kfunc;

/* How --bpf-signals chose. */
enum record_kfunc_mode {
	KFUNC_AUTO,	/* for what the tracepoints do not answer */
	KFUNC_OFF,
	KFUNC_ALSO,	/* also where they do: to compare the two */
	KFUNC_ONLY,	/* instead of the uprobe_lookup and xol tracepoints */
};

/* What record keeps of it; the strings go into the file as they are. */
struct record_kfunc {
	enum record_kfunc_mode	 mode;
	struct ustat_kfunc	*bpf;		/* loaded and attached, or NULL */
	char			 state[320];	/* "attached", or why not */
	char			 lookup[160];	/* what answers lookups, "" if nothing */
	char			 xol[160];
	char			 lookup_why[160];	/* ...and why nothing */
	char			 xol_why[160];
};

/* The head record, in the words of core/kevent-kfunc.c. */
static inline int record_kfunc__head(const struct record_kfunc *k, struct ustat_meta_buf *m)
{
	return ustat_meta__begin(m, "kfunc") || ustat_meta__add(m, "state", k->state) ||
	       (k->lookup[0] && ustat_meta__add(m, "lookup", k->lookup)) ||
	       (k->xol[0] && ustat_meta__add(m, "xol", k->xol)) ||
	       (k->lookup_why[0] && ustat_meta__add(m, "lookup_why", k->lookup_why)) ||
	       (k->xol_why[0] && ustat_meta__add(m, "xol_why", k->xol_why)) ? -1 : 0;
}

/* After the signals are chosen and the target is known: load and attach. Never fails. */
void record__kfunc_attach(struct record *rec);
/* Stop counting (the counts stay readable), then free. */
void record__kfunc_detach(struct record *rec);
void record__kfunc_close(struct record *rec);
/* The "kfunc" records: what was counted, or why nothing was. */
int record__kfunc_meta(struct record *rec, char ***recs, int *nr);

#endif /* __USTAT_BPF_KFUNC_H */
