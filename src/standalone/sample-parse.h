/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_SAMPLE_PARSE_H
#define __USTAT_SAMPLE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <perf/event.h>

#include "util/uprobe-stat/core/sample.h"

/*
 * Decode a PERF_RECORD_SAMPLE laid out by ATTR's sample_type.  Fields the
 * attr lacks read as 0, except cpu, pid and tid, (u32)-1, and period, 1.
 * -EINVAL when the record is shorter than its layout says: callers treat
 * the file as damaged.
 */
int ustat_sample__parse(const struct perf_event_attr *attr,
			const union perf_event *ev, struct ustat_sample *s);

/* PERF_RECORD_SAMPLE's time, 0 when it has none (or is too short for it). */
u64 ustat_sample__time(const struct perf_event_attr *attr, const union perf_event *ev);

/* Decode the sample_id trailer of a non-sample record (sample_id_all). */
int ustat_sample__parse_id(const struct perf_event_attr *attr,
			   const union perf_event *ev, struct ustat_sample *s);

/*
 * Write the sample_id trailer for ATTR holding S's fields into BUF (room
 * for 6 u64s); returns its size in bytes.  Used for records we make up.
 */
size_t ustat_sample__write_id(const struct perf_event_attr *attr,
			      const struct ustat_sample *s, u64 *buf);

/*
 * Where the event id sits when there is no PERF_SAMPLE_IDENTIFIER: the u64
 * index after the header in a sample, and the u64 index back from the end
 * in a sample_id trailer; -1 when the sample_type carries no id.
 */
int ustat_sample__id_pos(u64 sample_type);
int ustat_sample__id_pos_trailer(u64 sample_type);

#endif /* __USTAT_SAMPLE_PARSE_H */
