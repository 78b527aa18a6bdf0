/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TP_FIELDS_H
#define __USTAT_TP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "util/uprobe-stat/core/kevents.h"

struct tep_handle;

/*
 * Tracepoint fields, found once per event in its format through
 * libtraceevent and then read by offset from each sample's raw data: no
 * per-event format lookups.  struct ustat_tp_field is what backend.h's
 * ustat_input__tp_field() hands the core.
 */
struct ustat_tp_field {
	int	offset;
	int	size;
	bool	is_signed;
};

/* Field NAME of tracepoint ID's format; -ENOENT when there is none usable. */
int ustat_tp_field__find(struct ustat_tp_field *f, struct tep_handle *tep, int id,
			 const char *name);
/* F's value in RAW, or 0 when the record is too short for it. */
u64 ustat_tp_field__get(const struct ustat_tp_field *f, const void *raw, u32 size);

/* All of a signal's fields at once (the recorder's address naming). */
struct ustat_tp_fields {
	enum ustat_kevent	signal;
	struct ustat_tp_field	f[USTAT_TP_MAX_FIELDS];
	int			nr;
};

/*
 * Find SIG's fields (ustat_kevent_fields) in tracepoint ID's format.
 * -ENOENT (and the missing field's name in ERR) when the format lacks one.
 */
int ustat_tp_fields__init(struct ustat_tp_fields *tf, struct tep_handle *tep, int id,
			  enum ustat_kevent sig, char *err, size_t errlen);

/* Field I of RAW, or 0 when the record is too short for it. */
u64 ustat_tp_fields__get(const struct ustat_tp_fields *tf, int i, const void *raw, u32 size);

#endif /* __USTAT_TP_FIELDS_H */
