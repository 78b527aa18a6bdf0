/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_KFUNC_BPF_H
#define __USTAT_KFUNC_BPF_H
/*
 * What uprobe-kfunc.bpf.c (fentry/fexit on the uprobe code of stock
 * kernels) and its loader (bpf-kfunc.c) agree on: one record a CPU in an
 * array user space maps and reads without a system call.
 */
#include "uprobe-stat-bpf.h"

enum ustat_kfunc_counter {
	USTAT_KFUNC_LOOKUPS,		/* find_active_uprobe_rcu() returned */
	USTAT_KFUNC_SPEC,		/* ...without taking mmap_lock */
	USTAT_KFUNC_FALLBACK,		/* ...after mmap_read_lock() */
	USTAT_KFUNC_NOT_FOUND,		/* ...with no uprobe */
	USTAT_KFUNC_XOL_ALLOC,		/* a slot taken for a single-step */
	USTAT_KFUNC_XOL_FREE,		/* xol_free_insn_slot() */
	USTAT_KFUNC_NO_THREAD,		/* a lookup's start not kept: table full */
	USTAT_KFUNC_SLOTS = 8,
};

struct ustat_kfunc_cpu {
	__u64			c[USTAT_KFUNC_SLOTS];
	struct ustat_bpf_hrec	lat_spec;	/* ns */
	struct ustat_bpf_hrec	lat_fallback;
};

/* The lookup open on a thread. */
struct ustat_kfunc_open {
	__u64	start;
	__u64	fallback;	/* mmap_read_lock() was called in it */
};

#endif /* __USTAT_KFUNC_BPF_H */
