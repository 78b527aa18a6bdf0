/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DRY_RATE_H
#define __USTAT_DRY_RATE_H

#include <stddef.h>

struct record;

/*
 * Count each of REC's probe sites on -p's processes for SECONDS (per-task
 * counting events, nothing sampled): RATES[i] hits a second of site i.
 */
int ustat_dry_rate__count(struct record *rec, double seconds, double *rates,
			  char *err, size_t errlen);

#endif /* __USTAT_DRY_RATE_H */
