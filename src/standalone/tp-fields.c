// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <traceevent/event-parse.h>

#include "util/uprobe-stat/core/backend.h"
#include "tp-fields.h"

int ustat_tp_field__find(struct ustat_tp_field *f, struct tep_handle *tep, int id,
			 const char *name)
{
	struct tep_event *event = tep ? tep_find_event(tep, id) : NULL;
	struct tep_format_field *field = event ? tep_find_field(event, name) : NULL;

	memset(f, 0, sizeof(*f));
	if (!field || field->size < 1 || field->size > 8)
		return -ENOENT;
	f->offset = field->offset;
	f->size = field->size;
	f->is_signed = field->flags & TEP_FIELD_IS_SIGNED;
	return 0;
}

u64 ustat_tp_field__get(const struct ustat_tp_field *f, const void *raw, u32 size)
{
	const unsigned char *p = raw;
	u64 v = 0;

	if (!f || !f->size || (u32)(f->offset + f->size) > size)
		return 0;
	/* Little-endian only, as the tracing data parser insists. */
	memcpy(&v, p + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ULL << (f->size * 8);
	return v;
}

int ustat_tp_fields__init(struct ustat_tp_fields *tf, struct tep_handle *tep, int id,
			  enum ustat_kevent sig, char *err, size_t errlen)
{
	int i;

	memset(tf, 0, sizeof(*tf));
	tf->signal = sig;
	if (!tep || !tep_find_event(tep, id)) {
		snprintf(err, errlen, "no format for tracepoint id %d", id);
		return -ENOENT;
	}
	for (i = 0; i < USTAT_TP_MAX_FIELDS && ustat_kevent_fields[sig][i]; i++) {
		if (ustat_tp_field__find(&tf->f[i], tep, id, ustat_kevent_fields[sig][i])) {
			snprintf(err, errlen, "%s:%s has no usable field '%s'",
				 ustat_kevent_descs[sig].system, ustat_kevent_descs[sig].name,
				 ustat_kevent_fields[sig][i]);
			return -ENOENT;
		}
	}
	tf->nr = i;
	return 0;
}

u64 ustat_tp_fields__get(const struct ustat_tp_fields *tf, int i, const void *raw, u32 size)
{
	if (i >= tf->nr)
		return 0;
	return ustat_tp_field__get(&tf->f[i], raw, size);
}
