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

/*
 * --dry-run, --rate and --json, into ustat_dry_run_opts: the end of
 * record's and top's option tables, OPT_PARENT(ustat_dry_run_options).
 */
struct option;
extern struct ustat_dry_run ustat_dry_run_opts;
extern const struct option ustat_dry_run_options[];

/* The whole dry run; returns the exit status (0: every site can be probed). */
int ustat_dry_run(const struct ustat_dry_run *d, struct record *rec, int argc,
		  const char **argv, int cmd_at);

#endif /* __USTAT_DRY_RUN_H */
