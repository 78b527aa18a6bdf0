/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_KEVENTS_H
#define __USTAT_KEVENTS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The kernel signals uprobe-stat records besides the probes themselves
 * (design.md section 3).  The uprobes_core events come with the kernel
 * patch in tools-perf-patch/kernel/; on stock kernels the mmap_lock and
 * lock events stand in for what can be seen without it.
 */
enum ustat_kevent {
	USTAT_KEV_UPROBE_LOOKUP,	/* uprobes_core:uprobe_lookup */
	USTAT_KEV_SPEC_FAIL,		/* uprobes_core:uprobe_spec_fail */
	USTAT_KEV_XOL_ALLOC,		/* uprobes_core:xol_slot_alloc */
	USTAT_KEV_XOL_RECYCLE,		/* uprobes_core:xol_slot_recycle */
	USTAT_KEV_MMAP_START,		/* mmap_lock:mmap_lock_start_locking, write == 0 */
	USTAT_KEV_MMAP_ACQUIRED,	/* mmap_lock:mmap_lock_acquire_returned, success */
	USTAT_KEV_MMAP_RELEASED,	/* mmap_lock:mmap_lock_released, write == 1 */
	USTAT_KEV_LOCK_BEGIN,		/* lock:contention_begin */
	USTAT_KEV_LOCK_END,		/* lock:contention_end */
	USTAT_KEV_FIND_RETRY,		/* uprobes_core:uprobe_find_retry */
	USTAT_KEV_XOL_AREA_FAIL,	/* uprobes_core:xol_area_fail */
	USTAT_KEV_NR,
	USTAT_KEV_NONE = -1,
};

struct ustat_kevent_desc {
	const char	*system;
	const char	*name;
	const char	*filter;	/* ftrace filter set on the event, or NULL */
	bool		 callchain;	/* recorded with kernel + first user frames */
	bool		 patched;	/* comes with the uprobe-stat kernel patch */
	bool		 later;		/* ...in a later patch: not needed to call it patched */
};

extern const struct ustat_kevent_desc ustat_kevent_descs[USTAT_KEV_NR];

/*
 * The tracepoint fields each signal is read by, found by name in the
 * event's format (ustat_input__tp_field()): the kernel may move them.
 */
#define USTAT_TP_MAX_FIELDS	4

extern const char *const ustat_kevent_fields[USTAT_KEV_NR][USTAT_TP_MAX_FIELDS];

/* The signal an event "system:name" is, or USTAT_KEV_NONE. */
enum ustat_kevent ustat_kevent__lookup(const char *system, const char *name);

/*
 * What this kernel offers, found at start in tracefs and sysfs; the
 * discovery is the backend's (standalone/kevents-discover.c).
 */
struct ustat_kevents {
	const char	*tracefs;		/* NULL: no tracefs */
	int		 id[USTAT_KEV_NR];	/* tracepoint id, or -1 if absent */
	bool		 procmap_query;		/* PROCMAP_QUERY ioctl on /proc/PID/maps */
};

void ustat_kevents__discover(struct ustat_kevents *s);
bool ustat_kevents__have_patched(const struct ustat_kevents *s);

#endif /* __USTAT_KEVENTS_H */
