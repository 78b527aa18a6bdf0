/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_INT_H
#define __USTAT_BPF_INT_H

/* Inside the BPF consumer (bpf-record.c, bpf-write.c, bpf-calib.c, bpf-kfunc.c) only. */
#ifdef HAVE_UPROBE_STAT_BPF
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "uprobe-stat-bpf.h"
#include "bpf-record.h"
/* Generated at build time by bpftool from bpf/uprobe-stat.bpf.c. */
#include "uprobe-stat.skel.h"

_Static_assert(USTAT_BPF_STACK == USTAT_BPF_STACK_DEPTH, "two stack depths");

struct ustat_bpf {
	struct uprobe_stat_bpf	*skel;
	struct bpf_link		**links;
	int			 nr_links;
	int			 cap_links;
	/* the arrays, mmap'ed read-only: reading them costs no system call */
	u64			*hits;		/* [cpu * stride + site] */
	struct ustat_bpf_hrec	*lat;		/* [cpu * pairs + pair] */
	u64			*misc;		/* [cpu * USTAT_BPF_MISC_SLOTS + what] */
	size_t			 hits_len;
	size_t			 lat_len;
	size_t			 misc_len;
	u32			 nr_cpus;	/* possible CPUs */
	u32			 stride;
	int			 nr_sites;
	int			 nr_pairs;
	int			*site_pair;	/* [site]: its pair, or -1 */
	int			*pair_entry;	/* [pair]: the entry's site */
	enum ustat_bpf_calib_kind	*pair_kind;	/* [pair]: the entry's path */
	u64			*seen;		/* top: hits already in the aggregation */
	bool			 per_proc;
	struct ustat_bpf_calib	 calib;
};

int ustat_bpf__load(struct ustat_bpf *b, bool per_proc, char *why, size_t len);
int ustat_bpf__attach_site(struct ustat_bpf *b, int site, int pair, bool is_return,
			   const char *path, u64 offset, u64 ref_ctr, pid_t pid);
void ustat_bpf__detach(struct ustat_bpf *b);
void ustat_bpf__free(struct ustat_bpf *b);
/* "bucket:count,..." of H's non-empty buckets (bpf-write.c); NULL without memory. */
char *ustat_bpf__buckets_str(const struct ustat_bpf_hrec *h);

/*
 * A BPF array map (BPF_F_MMAPABLE), mapped read-only whole; *LEN its
 * length for munmap().  NULL if it cannot be.
 */
struct bpf_map;
void *ustat_bpf__map_mmap(struct bpf_map *map, size_t *len);

/* Measure, or read this kernel and boot's cached calibration. */
void ustat_bpf_calib__get(struct ustat_bpf_calib *c);
/* The path of a probe at OFFSET in PATH, from its first bytes. */
enum ustat_bpf_calib_kind ustat_calib__probe_kind(const char *path, u64 offset);
#endif /* HAVE_UPROBE_STAT_BPF */

#endif /* __USTAT_BPF_INT_H */
