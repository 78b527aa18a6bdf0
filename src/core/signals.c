// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#include "signals.h"
#include "util/uprobe-stat/standalone/tracefs.h"

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

enum ustat_signal ustat_signal__lookup(const char *system, const char *name)
{
	int i;

	for (i = 0; i < USTAT_SIG_NR; i++)
		if (!strcmp(system, ustat_signal_descs[i].system) &&
		    !strcmp(name, ustat_signal_descs[i].name))
			return i;
	return USTAT_SIG_NONE;
}

/* Ask the ioctl about our own text mapping: ENOTTY means the kernel lacks it. */
static bool have_procmap_query(void)
{
	struct procmap_query q;
	bool ok;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.query_addr = (unsigned long)have_procmap_query;
	ok = ioctl(fd, PROCMAP_QUERY, &q) == 0;
	close(fd);
	return ok;
}

void ustat_signals__discover(struct ustat_signals *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->tracefs = ustat_tracefs__dir();
	for (i = 0; i < USTAT_SIG_NR; i++)
		s->id[i] = ustat_tracefs__event_id(s->tracefs, ustat_signal_descs[i].system,
						   ustat_signal_descs[i].name);
	s->procmap_query = have_procmap_query();
}

bool ustat_signals__have_patched(const struct ustat_signals *s)
{
	int i;

	for (i = 0; i < USTAT_SIG_NR; i++)
		if (ustat_signal_descs[i].patched && !ustat_signal_descs[i].later && s->id[i] < 0)
			return false;
	return true;
}
