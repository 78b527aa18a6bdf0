/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BPF_META_H
#define __USTAT_BPF_META_H

#include <stdbool.h>
#include <linux/types.h>

#include "bpf-record.h"

/*
 * Reading back what record -b wrote (bpf-write.c): the counts the BPF
 * program kept, from the file's metadata records, for report.  Plain C:
 * a perf built without libbpf reads such files too.
 */
struct ustat_agg;

/* The file was counted in the kernel by -b (its "bpf" record). */
bool ustat_bpf_meta__is_bpf(char *const *meta, int nr);
/* Hits and latency histograms into AGG; records that do not fit are skipped. */
int ustat_bpf_meta__apply(struct ustat_agg *agg, char *const *meta, int nr);
/* The calibration the recording ran with. */
void ustat_bpf_meta__calib(char *const *meta, int nr, struct ustat_bpf_calib *c);
/* The calibration kind of entry event IDX's latency, or -1. */
int ustat_bpf_meta__kind(char *const *meta, int nr, int idx);
/* A counter of the "bpf" record (too_deep, unmatched, ...), 0 if absent. */
u64 ustat_bpf_meta__u64(char *const *meta, int nr, const char *key);

#endif /* __USTAT_BPF_META_H */
