// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "signals.h"

const struct ustat_signal_desc ustat_signal_descs[USTAT_SIG_NR] = {
	[USTAT_SIG_UPROBE_LOOKUP]  = { "uprobes_core", "uprobe_lookup", NULL, false, true },
	[USTAT_SIG_SPEC_FAIL]	   = { "uprobes_core", "uprobe_spec_fail", NULL, false, true },
	[USTAT_SIG_XOL_ALLOC]	   = { "uprobes_core", "xol_slot_alloc", NULL, false, true },
	[USTAT_SIG_XOL_RECYCLE]	   = { "uprobes_core", "xol_slot_recycle", NULL, false, true },
	/*
	 * A read lock taken from the breakpoint handler is a speculative
	 * lookup that fell back; the callchain tells it apart from page
	 * faults and the rest.  Write locks are what invalidates the
	 * speculation: counted, and timed from acquisition to release.
	 */
	[USTAT_SIG_MMAP_START]	   = { "mmap_lock", "mmap_lock_start_locking", "write == 0",
				       true, false },
	/* Read acquisitions too: mmap_write_downgrade() ends a write hold with one. */
	[USTAT_SIG_MMAP_ACQUIRED]  = { "mmap_lock", "mmap_lock_acquire_returned",
				       "success == 1", false, false },
	[USTAT_SIG_MMAP_RELEASED]  = { "mmap_lock", "mmap_lock_released", "write == 1",
				       false, false },
	[USTAT_SIG_LOCK_BEGIN]	   = { "lock", "contention_begin", NULL, true, false },
	[USTAT_SIG_LOCK_END]	   = { "lock", "contention_end", NULL, false, false },
	/* Patches 5 and 6 of the series: a kernel with the first four lacks them. */
	[USTAT_SIG_FIND_RETRY]	   = { "uprobes_core", "uprobe_find_retry", NULL, false, true,
				       true },
	[USTAT_SIG_XOL_AREA_FAIL]  = { "uprobes_core", "xol_area_fail", NULL, false, true, true },
};

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

enum ustat_signal ustat_signal__lookup(const char *system, const char *name)
{
	int i;

	for (i = 0; i < USTAT_SIG_NR; i++)
		if (!strcmp(system, ustat_signal_descs[i].system) &&
		    !strcmp(name, ustat_signal_descs[i].name))
			return i;
	return USTAT_SIG_NONE;
}

bool ustat_signals__have_patched(const struct ustat_signals *s)
{
	int i;

	for (i = 0; i < USTAT_SIG_NR; i++)
		if (ustat_signal_descs[i].patched && !ustat_signal_descs[i].later && s->id[i] < 0)
			return false;
	return true;
}
