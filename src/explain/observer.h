/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_OBSERVER_H
#define __USTAT_OBSERVER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * The observer shift: how much recording moves the kernel signals it
 * records.  'bench --observer' (bench/bench-observer.c) runs one churn
 * workload -- a thread hitting a probed function while another maps and
 * unmaps a page -- alternately counted (every event a counter, no
 * sample: the cheapest perf observer) and recorded (the probe and the
 * uprobes_core events sampled into ring buffers and drained as record
 * does), and compares each signal's rate per 100 hits.  The result is
 * cached per kernel release and boot, beside the calibration; record
 * saves it in the file's metadata ("observer" record) and report prints
 * it beside the numbers it concerns.  It is the reference workload's
 * shift on this kernel and machine, not the recorded workload's.
 */
enum ustat_obs_signal {
	USTAT_OBS_FALLBACK,	/* uprobe_lookup speculative == 0 */
	USTAT_OBS_SPEC_FAIL,	/* uprobe_spec_fail, all reasons */
	USTAT_OBS_NR,
};

extern const char *const ustat_obs_names[USTAT_OBS_NR];	/* as report names them */

enum ustat_obs_mode {
	USTAT_OBS_COUNTED,
	USTAT_OBS_RECORDED,
	USTAT_OBS_NR_MODES,
};

struct ustat_obs_rate {
	double	med;		/* per 100 hits, median over the repeats */
	double	lo, hi;		/* the smallest and largest repeat */
};

struct ustat_observer {
	char			release[65];
	char			boot_id[64];
	long long		when;		/* unix time measured */
	unsigned int		repeat;		/* repeats of each mode */
	double			duration;	/* seconds of each repeat */
	u64			hits[USTAT_OBS_NR_MODES];	/* all repeats */
	u64			lost;		/* recorded mode: samples the kernel dropped */
	struct ustat_obs_rate	rate[USTAT_OBS_NR_MODES][USTAT_OBS_NR];
	struct ustat_obs_rate	churn[USTAT_OBS_NR_MODES];	/* churn ops per 100 hits */
	char			origin[PATH_MAX + 64];	/* where it came from, in words */
	bool			valid;
};

/* Recorded minus counted median, per 100 hits. */
static inline double ustat_observer__shift(const struct ustat_observer *o,
					   enum ustat_obs_signal s)
{
	return o->rate[USTAT_OBS_RECORDED][s].med - o->rate[USTAT_OBS_COUNTED][s].med;
}

/* One metadata record ("observer\t...") into *OUT (caller frees) / back. */
int ustat_observer__to_meta(const struct ustat_observer *o, char **out);
int ustat_observer__from_meta(struct ustat_observer *o, const char *rec);

/* The cached measurement of this boot; -ENOENT (none) or -ESTALE (another boot). */
int ustat_observer__load(struct ustat_observer *o);
/* Cache O for this boot; its origin then names the file. */
void ustat_observer__save(struct ustat_observer *o);

#endif /* __USTAT_OBSERVER_H */
