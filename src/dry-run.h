/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DRY_RUN_H
#define __USTAT_DRY_RUN_H

#include <stdbool.h>

struct record;

/*
 * record --dry-run, top --dry-run: resolve every probe to its sites and
 * say, per site, what the kernel will do on a hit and what it will cost,
 * attaching nothing and running nothing.
 */
struct ustat_dry_run {
	bool		 on;
	bool		 json;
	const char	*rate;		/* --rate N/s */
};

#define USTAT_DRY_RUN_OPTIONS(d)							\
	OPT_BOOLEAN(0, "dry-run", &(d)->on,						\
		    "say per site what a hit will cost; attach nothing, run nothing"),	\
	OPT_STRING(0, "rate", &(d)->rate, "N/s",					\
		   "--dry-run: the CPU cost at N hits a second of each site"),		\
	OPT_BOOLEAN(0, "json", &(d)->json, "--dry-run: print JSON")

/* The whole dry run; returns the exit status (0: every site can be probed). */
int ustat_dry_run(const struct ustat_dry_run *d, struct record *rec, int argc,
		  const char **argv, int cmd_at);

#endif /* __USTAT_DRY_RUN_H */
