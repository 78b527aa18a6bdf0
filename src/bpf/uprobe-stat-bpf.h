/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_LAYOUT_H
#define __USTAT_BPF_LAYOUT_H

/*
 * What the BPF program (uprobe-stat.bpf.c) and its loader (../bpf-record.c)
 * agree on: the attach cookie's bits, and the layout of the maps user
 * space reads through mmap().
 *
 * Cookie: bits 0-15 the site (event index of the probe), bits 16-31 the
 * entry/return pair + 1 (0: no latency), bit 32 set on a return probe.
 */
#define USTAT_BPF_MAX_SITES	65535
#define USTAT_BPF_MAX_PAIRS	65534
#define USTAT_BPF_PAIR_SHIFT	16
#define USTAT_BPF_RETURN	(1ULL << 32)

/* Open entries kept per thread and function: deeper calls are counted only. */
#define USTAT_BPF_STACK		16

/*
 * The latency histogram of one pair on one CPU: the same log-linear
 * buckets as ../histogram.h (5 sub-bucket bits, 1920 buckets), so user
 * space adds them straight into its own histograms.
 */
#define USTAT_BPF_SUB_BITS	5
#define USTAT_BPF_BUCKETS	((64 - USTAT_BPF_SUB_BITS + 1) * (1 << USTAT_BPF_SUB_BITS))

struct ustat_bpf_hrec {
	__u64	count;
	__u64	sum;
	__u64	min;
	__u64	max;
	__u64	buckets[USTAT_BPF_BUCKETS];
};

/* Per CPU counters of what could not be counted, 8 slots a CPU. */
enum ustat_bpf_misc {
	USTAT_BPF_TOO_DEEP,	/* an entry beyond USTAT_BPF_STACK open ones */
	USTAT_BPF_UNMATCHED,	/* a return with no entry seen */
	USTAT_BPF_NO_PROC,	/* the per-process table was full */
	USTAT_BPF_NO_THREAD,	/* the entry time table refused an insert */
	USTAT_BPF_MISC_SLOTS = 8,
};

struct ustat_bpf_proc_key {
	__u32	pid;
	__u32	site;
};

/* A process's hits of a site, and its name when first seen (it may be gone by the end). */
struct ustat_bpf_proc_val {
	__u64	hits;
	char	comm[16];
};

struct ustat_bpf_stack {
	__u64	depth;
	__u64	ts[USTAT_BPF_STACK];
};

#endif /* __USTAT_BPF_LAYOUT_H */
