/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_RECORD_H
#define __USTAT_BPF_RECORD_H

#include <stdbool.h>
#include <linux/types.h>

/*
 * record -b and top -b: the probes counted in the kernel by a BPF program
 * on the same sites (bpf-record.c, built only with libbpf: the standalone
 * Makefile defines HAVE_UPROBE_STAT_BPF; bpf-stub.c says "not built with
 * BPF support" otherwise).  No sample is written: hits per site and CPU,
 * latency histograms per entry/return pair and CPU, and hits per process
 * (-a, or several -p) are read from the program's maps and kept in the
 * file as metadata records (bpf-meta.c reads them back).
 */
struct record;
struct ustat_agg;

/* Open entries the kernel side keeps per thread and function. */
#define USTAT_BPF_STACK_DEPTH	16

/*
 * Before the events are made: load the program.  When it cannot be (no
 * CAP_BPF, no libbpf, not built with it), say so in one line and leave
 * REC to record samples as without -b.
 */
void record__bpf_prepare(struct record *rec);
/* Instead of record__open_events(): attach every probe to the program. */
int record__bpf_attach(struct record *rec, char *err, size_t errlen);
/* Stop counting (the maps stay readable); then free everything. */
void record__bpf_detach(struct record *rec);
void record__bpf_close(struct record *rec);
/* The metadata records of what the maps hold now; *NR 0 without -b. */
int record__bpf_meta(struct record *rec, char ***recs, int *nr);
/* top -b: bring AGG up to what the maps hold now. */
int record__bpf_update(struct record *rec, struct ustat_agg *agg);

/*
 * Calibration (bpf-calib.c): what an entry+return pair costs on an empty
 * function, per kind of first instruction, measured with the same program
 * on bench's functions in this process, or read from a cache of this
 * kernel and boot.
 */
enum ustat_bpf_calib_kind {
	USTAT_BPF_CALIB_NOP5,	/* 5-byte nop */
	USTAT_BPF_CALIB_INT3,	/* emulated after the int3 trap */
	USTAT_BPF_CALIB_XOL,	/* single-stepped out of line */
	USTAT_BPF_CALIB_NR,
};

struct ustat_bpf_calib {
	bool	valid[USTAT_BPF_CALIB_NR];
	u64	p50[USTAT_BPF_CALIB_NR];	/* ns */
	u64	p10[USTAT_BPF_CALIB_NR];
	u64	p90[USTAT_BPF_CALIB_NR];
	char	source[256];		/* "measured", "cache FILE", or why none */
};

extern const char * const ustat_calib_kind_names[USTAT_BPF_CALIB_NR];

/* The kind of path a probe on these first bytes of code takes. */
enum ustat_bpf_calib_kind ustat_bpf_calib__classify(const u8 *insn, size_t len);

#endif /* __USTAT_BPF_RECORD_H */
