/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_KEVENT_AGG_INT_H
#define __USTAT_KEVENT_AGG_INT_H

#include <stddef.h>
#include <linux/types.h>

#include "kevent-agg.h"

/* Shared by kevent-agg.c (counting) and kevent-attrib.c (attribution) only. */

/* *H, allocated on first use; NULL without memory. */
struct ustat_hist *ustat_kev__hist(struct ustat_hist **h);
/* OUTER[pid][key], created on demand with SIZE zeroed bytes when SIZE != 0. */
void *ustat_kev__nested(struct ustat_map *outer, u32 pid, u64 key, size_t size);
void ustat_kev__stats_free(struct ustat_kev_stats *st);
/* D += S, histograms merged (kevent-attrib.c). */
void ustat_kev__stats_add(struct ustat_kev_stats *d, const struct ustat_kev_stats *s);
/* CPU's stats, grown on demand; NULL without memory or past 8192 CPUs. */
struct ustat_kev_stats *ustat_kev__cpu(struct ustat_kev_agg *sa, u32 cpu);
/* Forget an earlier attribution: the live view redoes it at every tick. */
void ustat_kev__drop_attribution(struct ustat_kev_agg *sa);

#endif /* __USTAT_KEVENT_AGG_INT_H */
