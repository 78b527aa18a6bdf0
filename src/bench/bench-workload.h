/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_WORKLOAD_H
#define __USTAT_BENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "bench.h"

/*
 * The functions bench probes, one per kind, written in assembly so that
 * their first instruction is exactly the one the kind needs (a compiler
 * would put endbr64 or its own prologue there).  Each adds one to *CALLS:
 * the workload counts its own calls, and the bench checks the uprobe
 * events counted as many hits.
 */
typedef void (*bench_fn_t)(u64 *calls);

#ifdef __x86_64__
void ustat_bench_base(u64 *calls);
void ustat_bench_nop5(u64 *calls);
void ustat_bench_int3(u64 *calls);
void ustat_bench_xol(u64 *calls);
void ustat_bench_ret(u64 *calls);
#endif

/* Whether this architecture has the workload (x86-64 only, for now). */
bool bench_workload__supported(void);
bench_fn_t bench_workload__fn(enum bench_kind kind);

/*
 * Where KIND's probed instruction is, for the uprobe PMU: the file to give
 * the kernel (KPATH, "/proc/self/exe" for the main program: the running
 * file even if it was replaced on disk since), the file's real name for
 * people (PATH), and the file offset.
 */
int bench_workload__locate(enum bench_kind kind, char *kpath, size_t klen,
			   char *path, size_t len, u64 *offset, char *err, size_t errlen);

/* The first N bytes of KIND's function as this process sees them now. */
void bench_workload__read(enum bench_kind kind, u8 *buf, size_t n);

#endif /* __USTAT_BENCH_WORKLOAD_H */
