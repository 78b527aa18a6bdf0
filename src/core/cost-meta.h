/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_COST_META_H
#define __USTAT_COST_META_H

#include <stdbool.h>

#include "meta.h"

struct ustat_probe;

/*
 * What record saves for report to price the hits: each site's kernel path
 * (key hit_path= of its "event" record) and the calibration used, with
 * the recorder's own CPU time (one "calibration" record).
 */
int ustat_cost_meta__probe(struct ustat_meta_buf *m, const struct ustat_probe *p);
/*
 * The "calibration" record into *OUT (caller frees), NULL when there is
 * none; MAY_RUN: measure one if none is cached (record, once detached).
 */
int ustat_cost_meta__calibration(bool may_run, char **out);

#endif /* __USTAT_COST_META_H */
