// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <traceevent/event-parse.h>

#include "tp-fields.h"

const char *const ustat_signal_fields[USTAT_SIG_NR][USTAT_TP_MAX_FIELDS] = {
	[USTAT_SIG_UPROBE_LOOKUP]  = { "bp_vaddr", "lat_ns", "speculative", "found" },
	[USTAT_SIG_SPEC_FAIL]	   = { "bp_vaddr", "seq", "reason" },
	[USTAT_SIG_XOL_ALLOC]	   = { "slot", "races", "wait_ns", "full" },
	[USTAT_SIG_XOL_RECYCLE]	   = { "slot", "reason", "waiters" },
	[USTAT_SIG_MMAP_START]	   = { "mm", "write" },
	[USTAT_SIG_MMAP_ACQUIRED]  = { "mm", "write", "success" },
	[USTAT_SIG_MMAP_RELEASED]  = { "mm", "write" },
	[USTAT_SIG_LOCK_BEGIN]	   = { "lock_addr", "flags" },
	[USTAT_SIG_LOCK_END]	   = { "lock_addr", "ret" },
	[USTAT_SIG_FIND_RETRY]	   = { "ino", "offset", "seq", "seq_now" },
	[USTAT_SIG_XOL_AREA_FAIL]  = { "vaddr", "err" },
};

int ustat_tp_fields__init(struct ustat_tp_fields *tf, struct tep_handle *tep, int id,
			  enum ustat_signal sig, char *err, size_t errlen)
{
	struct tep_event *event = tep ? tep_find_event(tep, id) : NULL;
	int i;

	memset(tf, 0, sizeof(*tf));
	tf->signal = sig;
	if (!event) {
		snprintf(err, errlen, "no format for tracepoint id %d", id);
		return -ENOENT;
	}
	for (i = 0; i < USTAT_TP_MAX_FIELDS && ustat_signal_fields[sig][i]; i++) {
		struct tep_format_field *field = tep_find_field(event, ustat_signal_fields[sig][i]);

		if (!field || field->size < 1 || field->size > 8) {
			snprintf(err, errlen, "%s:%s has no usable field '%s'",
				 ustat_signal_descs[sig].system, ustat_signal_descs[sig].name,
				 ustat_signal_fields[sig][i]);
			return -ENOENT;
		}
		tf->f[i].offset = field->offset;
		tf->f[i].size = field->size;
		tf->f[i].is_signed = field->flags & TEP_FIELD_IS_SIGNED;
	}
	tf->nr = i;
	return 0;
}

u64 ustat_tp_fields__get(const struct ustat_tp_fields *tf, int i, const void *raw, u32 size)
{
	const struct ustat_tp_field *f = &tf->f[i];
	const unsigned char *p = raw;
	u64 v = 0;

	if (i >= tf->nr || (u32)(f->offset + f->size) > size)
		return 0;
	/* Little-endian only, as the tracing data parser insists. */
	memcpy(&v, p + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ULL << (f->size * 8);
	return v;
}
