/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_BENCH_H
#define __USTAT_BENCH_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "util/uprobe-stat/core/kevents.h"
#include "util/uprobe-stat/standalone/uprobe-pmu.h"

struct perf_cpu_map;

/*
 * perf uprobe-stat bench: what one uprobe hit costs, by kind of probed
 * instruction and by number of threads hitting the same probe at once,
 * in the manner of selftests/bpf's 'bench trig-uprobe-*' but without BPF:
 * the probes are uprobe PMU events, as record makes them, on functions of
 * this very binary (bench-workload.c) whose first instruction is chosen
 * to send the kernel down one path each.
 */
enum bench_kind {
	BENCH_BASE,	/* no probe: the call and the loop, the floor */
	BENCH_NOP5,	/* 5-byte nop: optimised into a call on kernels that can */
	BENCH_INT3,	/* 1-byte nop: int3 trap, instruction emulated */
	BENCH_XOL,	/* mov: int3 trap, instruction single-stepped out of line */
	BENCH_RET,	/* uretprobe; the entry is a 1-byte nop, as for int3 */
	BENCH_NR_KINDS,
};

struct bench_kind_desc {
	const char	*name;		/* as --kind takes it */
	const char	*label;		/* in the table */
	const char	*insn;		/* the probed instruction, in words */
	u8		 bytes[5];	/* ... and its encoding */
	unsigned int	 nr_bytes;
	bool		 probed;
	bool		 retprobe;
};

extern const struct bench_kind_desc bench_kinds[BENCH_NR_KINDS];

#define BENCH_MAX_THREADS	4096
#define BENCH_MAX_SECONDS	3600.0
#define BENCH_MAX_REPEAT	1000

struct bench_opts {
	unsigned int	 kinds;		/* bit (1 << enum bench_kind) per kind */
	int		*threads;	/* thread counts, in the order given */
	int		 nr_threads;
	double		 duration;	/* seconds of each timed window */
	double		 warmup;	/* seconds before each window */
	unsigned int	 repeat;
	unsigned int	 mmap_pages;	/* --record: ring buffer pages per CPU */
	bool		 record;
	bool		 no_attach;	/* call the functions, attach nothing */
	bool		 json;
};

/* bench-options.c: the option values, checked; errors name the option. */
int bench_parse_kinds(const char *s, unsigned int *kinds, char *err, size_t errlen);
int bench_parse_threads(const char *s, int **threads, int *nr, char *err, size_t errlen);
int bench_parse_seconds(const char *opt, const char *s, bool zero_ok, double *secs,
			char *err, size_t errlen);
/* 1, 2, 4, ... below NR_CPUS, then NR_CPUS itself. */
int bench_default_threads(int nr_cpus, int **threads, int *nr);

/* bench-stats.c */
struct bench_stat {
	double		mean;
	double		stddev;		/* sample standard deviation (n - 1); 0 for n < 2 */
	unsigned int	n;
};

void bench_stat__compute(struct bench_stat *st, const double *v, unsigned int n);

struct bench_thread_result {
	int	cpu;		/* the CPU it was pinned to, -1 if not pinned */
	u64	loops;		/* calls while probed, warm-up included */
	u64	timed;		/* calls inside the timed window */
	u64	timed_cpu_ns;	/* the thread's CPU time over those calls */
};

struct bench_repeat {
	u64				 window_ns;
	u64				 loops;		/* sum over the threads */
	u64				 timed;
	u64				 timed_cpu_ns;	/* the threads' CPU time over them */
	u64				 hits;		/* counted by the uprobe events */
	u64				 samples;	/* --record: read from the ring buffers */
	u64				 lost;		/* --record: dropped by the kernel */
	u64				*cpu_hits;	/* per CPU of bench_env.cpus */
	struct bench_thread_result	*threads;
};

struct bench_result {
	enum bench_kind		 kind;
	int			 nr_threads;
	bool			 pinned;
	bool			 ran;
	char			 skipped[256];	/* why it did not run */
	bool			 counts_ok;
	char			 mismatch[256];	/* the first count that disagreed */
	u8			 seen[5];	/* probed bytes as we read them, attached */
	bool			 have_seen;
	bool			 xol_area;	/* [uprobes] mapped in us after the run */
	unsigned int		 nr_repeats;	/* done */
	unsigned int		 nr_alloc;
	struct bench_repeat	*repeats;

	/* bench_result__summarise() */
	struct bench_stat	 rate;		/* hits per second, all threads */
	double			*thread_rate;	/* per thread, mean over the repeats */
	double			 ns_per_hit;	/* threads * 1e9 / rate.mean */
	double			 ns_above_base;
	bool			 have_base;

	/* bench_judge_paths() */
	const char		*path;		/* short name of the kernel path */
	bool			 path_confirmed;
	char			 path_detail[256];
};

struct bench_env {
	char			 release[65];
	char			 machine[65];
	struct perf_cpu_map	*cpu_map;	/* online CPUs: one event on each */
	int			 nr_cpus;
	int			*cpus;
	/* CPUs we may run on: threads are pinned to these */
	int			 nr_allowed;
	int			*allowed;
	double			 loadavg;	/* 1-minute, at start */
	char			 binary[PATH_MAX];
	bool			 have_pmu;
	char			 pmu_err[256];
	struct ustat_uprobe_pmu	 pmu;
	struct ustat_kevents	 signals;
	bool			 tracepoints_known;	/* tracefs there and readable */
	bool			 xol_area;	/* [uprobes] mapped in us, so far */
	bool			 trampoline;	/* [uprobes-trampoline] mapped in us, so far */
	/* kernel consumers of a probed site (bench-probe.h): handlers a hit */
	int			 consumers;
	bool			 on_tracefs;	/* the site was defined in uprobe_events */
};

struct bench {
	struct bench_opts	 opts;
	struct bench_env	 env;
	struct bench_result	*results;
	int			 nr_results;
};

/* Per-thread rates, ns per hit, and ns above BASE (NULL: none). */
void bench_result__summarise(struct bench_result *r, const struct bench_result *base);
const struct bench_result *bench__find(const struct bench *b, enum bench_kind kind,
				       int nr_threads);

/*
 * Whether bench itself attaches a probe for KIND.  With --no-attach it
 * never does: the functions run as they are, for a consumer outside bench
 * (perf stat -e on the same function) to probe and count.
 */
static inline bool bench__attaches(const struct bench *b, enum bench_kind kind)
{
	return bench_kinds[kind].probed && !b->opts.no_attach;
}

/* bench-kernel.c: the machine, and which kernel path each kind took. */
int bench_env__discover(struct bench_env *env, char *err, size_t errlen);
void bench_env__exit(struct bench_env *env);
void bench_env__scan_maps(struct bench_env *env);
void bench_judge_paths(struct bench *b);

/*
 * bench-run.c: one kind at one thread count, every repeat.  A signal
 * number in bench_stop (set by builtin-bench.c's SIGINT, SIGTERM and
 * SIGHUP handlers) ends the run early with -EINTR, its probe detached
 * and its uprobe_events definition removed.
 */
extern atomic_int bench_stop;
int bench_run(struct bench *b, struct bench_result *r, char *err, size_t errlen);
void bench_result__exit(struct bench_result *r);

/*
 * bench-observer.c: --observer, the shift recording makes in the kernel
 * signals (explain/observer.h), over opts.repeat runs of opts.duration.
 */
struct ustat_observer;
int bench_observer__measure(struct bench *b, struct ustat_observer *o, char *err,
			    size_t errlen);
void bench_observer__print(const struct ustat_observer *o, FILE *out);

/* bench-output.c */
void bench__print_table(const struct bench *b, FILE *out);
void bench__print_json(const struct bench *b, FILE *out);

#endif /* __USTAT_BENCH_H */
