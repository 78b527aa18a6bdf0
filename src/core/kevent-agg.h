/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_KEVENT_AGG_H
#define __USTAT_KEVENT_AGG_H

#include <stdbool.h>
#include <linux/types.h>

#include "backend.h"
#include "histogram.h"
#include "util/uprobe-stat/explain/kallsyms.h"
#include "sample.h"
#include "kevents.h"
#include "util/uprobe-stat/util/u64-map.h"

/*
 * What the kernel signals say (design.md section 4), counted the same way
 * in total, per CPU and per probe: uprobe lookup latency split by path,
 * speculation failures by reason, xol slot allocations, waits and
 * recycles -- including cross-CPU recycles, a slot freed on one CPU and
 * next taken on another --, and on stock kernels the mmap_lock fallbacks,
 * write acquisitions (mm_lock_seq invalidations) and their hold times, and
 * lock contention on the uprobe paths.
 */
#define USTAT_SPEC_FAIL_REASONS		6
#define USTAT_XOL_RECYCLE_REASONS	4

extern const char *const ustat_spec_fail_reasons[USTAT_SPEC_FAIL_REASONS];
extern const char *const ustat_xol_recycle_reasons[USTAT_XOL_RECYCLE_REASONS];

struct ustat_kev_stats {
	u64			lookups;
	u64			lookups_spec;		/* lockless path succeeded */
	u64			lookups_fallback;	/* mmap_read_lock() path */
	u64			lookups_not_found;
	struct ustat_hist	*lat_spec;		/* allocated on first use */
	struct ustat_hist	*lat_fallback;
	u64			spec_fail[USTAT_SPEC_FAIL_REASONS];
	u64			xol_allocs;
	u64			xol_waits;		/* allocations that slept */
	u64			xol_tries;
	struct ustat_hist	*xol_wait;
	u64			xol_recycles[USTAT_XOL_RECYCLE_REASONS];
	u64			xol_frees;		/* BPF fentry: freed, reason unknown */
	u64			xol_woke;
	u64			xol_cross_cpu;
	u64			mmap_fallbacks;		/* stock: read lock from the lookup */
	u64			invalidations;		/* mmap_lock write acquisitions */
	struct ustat_hist	*hold;			/* write hold time */
	u64			contended;		/* lock contention on uprobe paths */
	struct ustat_hist	*contention;
	u64			fallback_contended;	/* ...of it, in the lookup fallback */
	struct ustat_hist	*fallback_wait;
	u64			find_retries;		/* uprobes tree walks repeated */
	u64			tree_writes;		/* tree updates those retries saw */
	u64			xol_area_fails;		/* hits restarted: no xol area */
};

/* Lookups at an address that is no probe of the file, named by the recorder. */
struct ustat_kev_other {
	char			*where;		/* "file:sym+0xoff", or "file+0xoff" */
	struct ustat_kev_stats	 st;
};

struct ustat_tp_field;

/* The fields a signal's samples are read by, found once by name (backend.h). */
struct ustat_kev_fields {
	enum ustat_kevent		 signal;
	const struct ustat_tp_field	*f[USTAT_TP_MAX_FIELDS];	/* NULL: none */
};

/* Field I of a signal's sample, read where its format put it; 0 if it has none. */
static inline u64 ustat_kev_fields__get(const struct ustat_kev_fields *tf, int i,
					const struct ustat_sample *s)
{
	return tf->f[i] ? ustat_tp_field__value(tf->f[i], s) : 0;
}

/*
 * BPF fentry/fexit on the kernel's uprobe functions (record's "kfunc"
 * records, kevent-kfunc.c): lookups and xol slots on kernels without the
 * uprobes_core tracepoints.  Kept apart, and added to the tables only for
 * the questions no tracepoint answered.
 */
struct ustat_kev_kfunc {
	bool			 present;	/* the recorder tried */
	char			 state[320];	/* "attached", or why not */
	char			 lookup_by[160];	/* the functions it read, "" if none */
	char			 xol_by[160];
	char			 lookup_why[160];	/* ...and why none */
	char			 xol_why[160];
	struct ustat_kev_stats	 total;
	struct ustat_kev_stats	*cpu;
	u32			 nr_cpus;
	bool			 lookup_used;	/* in the tables */
	bool			 xol_used;
};

struct ustat_kev_agg {
	int			 nr_events;
	struct ustat_kev_fields	*fields;	/* [nr_events]; signal NONE for probes */
	bool			 have[USTAT_KEV_NR];	/* its samples can be decoded */
	const char		*state[USTAT_KEV_NR];	/* the recorder's word on it */
	struct ustat_ksyms	 ksyms;

	struct ustat_kev_stats	 total;
	struct ustat_kev_stats	*cpu;
	u32			 cpu_cap;
	u32			 nr_cpus;
	struct ustat_kev_stats	*probe;		/* [nr_events], after finish */
	u64			 unattributed;	/* lookups at no probe of ours */
	struct ustat_kev_other	*others;	/* ...grouped by what maps there */
	int			 nr_others;
	int			 others_cap;
	struct ustat_map	 addr_names;	/* pid -> (vaddr -> "addr" record) */

	struct ustat_map	 addrs;		/* (pid, vaddr) -> struct addr_stats */
	struct ustat_map	 probe_ips;	/* (pid, ip) -> evsel idx + 1 */
	struct ustat_map	 xol_last;	/* (pid, slot) -> recycling CPU + 1 */
	struct ustat_map	 last_hit;	/* tid -> its last lookup's address stats */
	struct ustat_map	 held;		/* tid -> write acquisition time */
	struct ustat_map	 waiting;	/* tid -> contention: begin time, path */
	struct ustat_map	 retrying;	/* tid -> tree retries before its lookup event */
	struct ustat_kev_kfunc	 kfunc;
};

int ustat_kev_agg__init(struct ustat_kev_agg *sa, int nr_events);
void ustat_kev_agg__exit(struct ustat_kev_agg *sa);

/*
 * Decode event IDX's samples as SIG, reading ustat_kevent_fields[SIG] at
 * F (the backend's, from ustat_input__tp_field()).
 */
int ustat_kev_agg__set_signal(struct ustat_kev_agg *sa, int idx, enum ustat_kevent sig,
			      const struct ustat_tp_field *const f[USTAT_TP_MAX_FIELDS]);
/* Kernel symbols for callchains, and what the recorder said of each signal. */
void ustat_kev_agg__load_meta(struct ustat_kev_agg *sa, char *const *meta, int nr);

/* A sample of a signal's tracepoint. */
int ustat_kev_agg__sample(struct ustat_kev_agg *sa, int idx, const struct ustat_sample *s);
/* A probe hit: where (pid, ip) is, for attributing lookups to probes. */
int ustat_kev_agg__probe_hit(struct ustat_kev_agg *sa, int idx, const struct ustat_sample *s);
/*
 * Attribute the per-address counts to probes (and name the others): at the
 * end of input, or at each refresh of a live view.  Idempotent.
 */
int ustat_kev_agg__finish(struct ustat_kev_agg *sa);

bool ustat_kev_agg__any(const struct ustat_kev_agg *sa);

/* The questions the signals answer (report-kevents.c: where the answers come from). */
enum ustat_kevent_topic {
	USTAT_TOPIC_LOOKUP,		/* uprobe lookup latency */
	USTAT_TOPIC_SPECULATION,	/* speculation failures / mmap_lock fallbacks */
	USTAT_TOPIC_INVALIDATION,	/* who invalidates mm_lock_seq */
	USTAT_TOPIC_XOL,		/* xol slots */
	USTAT_TOPIC_CONTENTION,		/* lock contention on uprobe paths */
	USTAT_TOPIC_NR,
};

extern const char *const ustat_topic_names[USTAT_TOPIC_NR];

/* Whether a recording answers a topic: the signals it needs can be decoded. */
enum ustat_topic_state {
	USTAT_TOPIC_UNAVAILABLE,
	USTAT_TOPIC_AVAILABLE,
};

enum ustat_topic_state ustat_kev_agg__topic(const struct ustat_kev_agg *sa,
					    enum ustat_kevent_topic t);

/* For the handlers kept in files of their own: total, CPU and ADDR's stats. */
int ustat_kev_agg__targets(struct ustat_kev_agg *sa, const struct ustat_sample *s,
			   struct ustat_kev_stats *addr, struct ustat_kev_stats *t[3]);

/* kevent-agg-retry.c: uprobes tree retries, xol area failures. */
void ustat_kev_agg__on_find_retry(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
				  const struct ustat_sample *s);
void ustat_kev_agg__on_xol_area_fail(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
				     const struct ustat_sample *s);
/* A lookup ends: the tree retries TID made in it belong to its address. */
void ustat_kev_agg__retries_to(struct ustat_kev_agg *sa, u32 tid, struct ustat_kev_stats *addr);
void ustat_kev_agg__retries_add(struct ustat_kev_stats *d, const struct ustat_kev_stats *s);

/* kevent-kfunc.c: a "kfunc*" metadata record (0 if REC is none). */
int ustat_kev_agg__kfunc_meta(struct ustat_kev_agg *sa, const char *rec);
/* At the end of input: the kfunc counts into the tables where no tracepoint answered. */
void ustat_kev_agg__kfunc_merge(struct ustat_kev_agg *sa);
void ustat_kev_agg__kfunc_exit(struct ustat_kev_agg *sa);

#endif /* __USTAT_KEVENT_AGG_H */
