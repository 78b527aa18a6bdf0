/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_CALIBRATION_H
#define __USTAT_CALIBRATION_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/uprobe-stat/bench/bench.h"

/*
 * The one calibration of this machine, in two parts measured on the same
 * bench functions (one per kind of first instruction):
 *
 *  - cost: what a hit of each bench kind costs above the call itself,
 *    counted only (the kernel's part) and sampled into a ring buffer as
 *    record does (the kernel's part plus the consumer's sample write), by
 *    a short bench run (here);
 *  - bpf: what -b's BPF entry+return pair adds to a latency, the pair's
 *    times on the empty functions (measured by src/bpf/bpf-calib.c, which
 *    hands its measurement to ustat_calib__get_bpf()).
 *
 * One cache for both, one record per kernel release and boot (a reboot
 * may change the kernel's paths, mitigations and clock): the file
 * "calibration" in $XDG_CACHE_HOME/uprobe-stat, else /var/cache/uprobe-stat
 * (root) or ~/.cache/uprobe-stat, else /tmp/uprobe-stat.  A part missing
 * from it is measured when first needed and added.
 */
enum ustat_calib_mode {
	USTAT_CALIB_COUNT,
	USTAT_CALIB_RECORD,
	USTAT_CALIB_NR_MODES,
};

struct ustat_calib_entry {
	double	ns;	/* per hit, above the unprobed call */
	double	sd;	/* spread: standard deviation over the repeats */
	bool	have;
};

/* -b's pair on an empty function: the spread of its times, ns. */
struct ustat_calib_lat {
	unsigned long long	p50, p10, p90;
	bool			have;
};

struct ustat_calib {
	char			 release[65];
	char			 boot_id[64];
	double			 load;		/* 1-minute load average when measured */
	long long		 when;		/* unix time measured */
	struct ustat_calib_entry e[USTAT_CALIB_NR_MODES][BENCH_NR_KINDS];
	char			 origin[PATH_MAX + 64];	/* where it came from, in words */
	bool			 valid;		/* the cost part: e[][] */
	bool			 cpu_clock;	/* ...in thread CPU time (older: wall time) */
	/* the bpf part, by bench kind (nop5, int3, xol); format: its method's version */
	struct ustat_calib_lat	 bpf[BENCH_NR_KINDS];
	int			 bpf_format;
	char			 bpf_origin[PATH_MAX + 64];
	bool			 have_bpf;
};

/* Measures the bpf part into C->bpf[] (src/bpf/); 0 or -errno. */
typedef int (*ustat_calib_bpf_fn)(struct ustat_calib *c, void *arg);

/*
 * The calibration for this boot: from the cache or, if MAY_RUN, measured
 * now (a few seconds) and cached.  -ENOENT when none and !MAY_RUN.
 */
int ustat_calib__get(struct ustat_calib *c, bool may_run, char *err, size_t errlen);
int ustat_calib__measure(struct ustat_calib *c, char *err, size_t errlen);
/*
 * The bpf part of this boot's calibration, of method version FORMAT: from
 * the cache or measured now by MEASURE(C, ARG) and added to the cache
 * (the cost part already cached is kept).  0, or MEASURE's error.
 */
int ustat_calib__get_bpf(struct ustat_calib *c, int format, ustat_calib_bpf_fn measure,
			 void *arg);

/* One metadata record ("calibration\t...") / back from one. */
int ustat_calib__to_meta(const struct ustat_calib *c, char **out);
struct ustat_meta_buf;
int ustat_calib__to_meta_buf(const struct ustat_calib *c, struct ustat_meta_buf *m);
int ustat_calib__from_meta(struct ustat_calib *c, const char *rec);

/*
 * What the cached measurements of this boot share (observer.c too): the
 * kernel release and boot id, the cache folder, and writing one record
 * line to DIR/FILE whole (a temporary file renamed).
 */
void ustat_calib__read_boot(char *release, size_t rlen, char *boot_id, size_t blen);
int ustat_calib__cache_dir(char *buf, size_t len);
int ustat_calib__save_line(const char *rec, const char *dir, const char *file);

const struct ustat_calib_entry *ustat_calib__entry(const struct ustat_calib *c,
						   enum ustat_calib_mode m, enum bench_kind k);

#endif /* __USTAT_CALIBRATION_H */
