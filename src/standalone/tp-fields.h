/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TP_FIELDS_H
#define __USTAT_TP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "util/uprobe-stat/core/signals.h"

struct tep_handle;

/*
 * Tracepoint fields of the kernel signals, found once per event in its
 * format through libtraceevent and then read by offset from each sample's
 * raw data: no per-event format lookups.
 */
#define USTAT_TP_MAX_FIELDS	4

struct ustat_tp_field {
	int	offset;
	int	size;
	bool	is_signed;
};

struct ustat_tp_fields {
	enum ustat_signal	signal;
	struct ustat_tp_field	f[USTAT_TP_MAX_FIELDS];
	int			nr;
};

/* The field names each signal uses, in the order ustat_tp_fields__get() takes. */
extern const char *const ustat_signal_fields[USTAT_SIG_NR][USTAT_TP_MAX_FIELDS];

/*
 * Find SIG's fields in tracepoint ID's format.  -ENOENT (and the missing
 * field's name in ERR) when the format lacks one.
 */
int ustat_tp_fields__init(struct ustat_tp_fields *tf, struct tep_handle *tep, int id,
			  enum ustat_signal sig, char *err, size_t errlen);

/* Field I of RAW, or 0 when the record is too short for it. */
u64 ustat_tp_fields__get(const struct ustat_tp_fields *tf, int i, const void *raw, u32 size);

#endif /* __USTAT_TP_FIELDS_H */
