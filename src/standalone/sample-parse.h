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

/*
 * Where each fixed field of a sample sits (u64 index after the header, -1
 * when the sample_type lacks it), worked out once per event: report reads
 * millions of samples of a handful of layouts.  SIMPLE: nothing of
 * variable size follows the FIXED words, so a sample of at least FIXED
 * words is read by position alone.
 */
struct ustat_sample_layout {
	s8	id;
	s8	ip;
	s8	tid;
	s8	time;
	s8	addr;
	s8	cpu;
	s8	period;
	u8	fixed;
	bool	simple;
};

void ustat_sample_layout__init(struct ustat_sample_layout *l, u64 sample_type);

/* ustat_sample__parse(), by L where it can: the same result either way. */
int ustat_sample__parse_laid(const struct ustat_sample_layout *l,
			     const struct perf_event_attr *attr,
			     const union perf_event *ev, struct ustat_sample *s);

/* ustat_sample__time() by L. */
static inline u64 ustat_sample__time_laid(const struct ustat_sample_layout *l,
					  const union perf_event *ev)
{
	if (l->time < 0 || ev->header.size < sizeof(ev->header) + (l->time + 1) * sizeof(u64))
		return 0;
	return ((const u64 *)(&ev->header + 1))[l->time];
}

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
