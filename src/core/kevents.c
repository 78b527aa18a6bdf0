// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "kevents.h"

const struct ustat_kevent_desc ustat_kevent_descs[USTAT_KEV_NR] = {
	[USTAT_KEV_UPROBE_LOOKUP]  = { "uprobes_core", "uprobe_lookup", NULL, false, true },
	[USTAT_KEV_SPEC_FAIL]	   = { "uprobes_core", "uprobe_spec_fail", NULL, false, true },
	[USTAT_KEV_XOL_ALLOC]	   = { "uprobes_core", "xol_slot_alloc", NULL, false, true },
	[USTAT_KEV_XOL_RECYCLE]	   = { "uprobes_core", "xol_slot_recycle", NULL, false, true },
	/*
	 * A read lock taken from the breakpoint handler is a speculative
	 * lookup that fell back; the callchain tells it apart from page
	 * faults and the rest.  Write locks are what invalidates the
	 * speculation: counted, and timed from acquisition to release.
	 */
	[USTAT_KEV_MMAP_START]	   = { "mmap_lock", "mmap_lock_start_locking", "write == 0",
				       true, false },
	/* Read acquisitions too: mmap_write_downgrade() ends a write hold with one. */
	[USTAT_KEV_MMAP_ACQUIRED]  = { "mmap_lock", "mmap_lock_acquire_returned",
				       "success == 1", false, false },
	[USTAT_KEV_MMAP_RELEASED]  = { "mmap_lock", "mmap_lock_released", "write == 1",
				       false, false },
	[USTAT_KEV_LOCK_BEGIN]	   = { "lock", "contention_begin", NULL, true, false },
	[USTAT_KEV_LOCK_END]	   = { "lock", "contention_end", NULL, false, false },
	/* Patches 5 and 6 of the series: a kernel with the first four lacks them. */
	[USTAT_KEV_FIND_RETRY]	   = { "uprobes_core", "uprobe_find_retry", NULL, false, true,
				       true },
	[USTAT_KEV_XOL_AREA_FAIL]  = { "uprobes_core", "xol_area_fail", NULL, false, true, true },
};

const char *const ustat_kevent_fields[USTAT_KEV_NR][USTAT_TP_MAX_FIELDS] = {
	[USTAT_KEV_UPROBE_LOOKUP]  = { "bp_vaddr", "lat_ns", "speculative", "found" },
	[USTAT_KEV_SPEC_FAIL]	   = { "bp_vaddr", "seq", "reason" },
	[USTAT_KEV_XOL_ALLOC]	   = { "slot", "races", "wait_ns", "full" },
	[USTAT_KEV_XOL_RECYCLE]	   = { "slot", "reason", "waiters" },
	[USTAT_KEV_MMAP_START]	   = { "mm", "write" },
	[USTAT_KEV_MMAP_ACQUIRED]  = { "mm", "write", "success" },
	[USTAT_KEV_MMAP_RELEASED]  = { "mm", "write" },
	[USTAT_KEV_LOCK_BEGIN]	   = { "lock_addr", "flags" },
	[USTAT_KEV_LOCK_END]	   = { "lock_addr", "ret" },
	[USTAT_KEV_FIND_RETRY]	   = { "ino", "offset", "seq", "seq_now" },
	[USTAT_KEV_XOL_AREA_FAIL]  = { "vaddr", "err" },
};

enum ustat_kevent ustat_kevent__lookup(const char *system, const char *name)
{
	int i;

	for (i = 0; i < USTAT_KEV_NR; i++)
		if (!strcmp(system, ustat_kevent_descs[i].system) &&
		    !strcmp(name, ustat_kevent_descs[i].name))
			return i;
	return USTAT_KEV_NONE;
}

bool ustat_kevents__have_patched(const struct ustat_kevents *s)
{
	int i;

	for (i = 0; i < USTAT_KEV_NR; i++)
		if (ustat_kevent_descs[i].patched && !ustat_kevent_descs[i].later && s->id[i] < 0)
			return false;
	return true;
}
