// SPDX-License-Identifier: GPL-2.0
/* Which questions a recording's kernel signals answer (kevent-agg.h). */
#include "kevent-agg.h"

const char *const ustat_topic_names[USTAT_TOPIC_NR] = {
	[USTAT_TOPIC_LOOKUP]		= "lookup_latency",
	[USTAT_TOPIC_SPECULATION]	= "speculation_failures",
	[USTAT_TOPIC_INVALIDATION]	= "mm_lock_seq_invalidations",
	[USTAT_TOPIC_XOL]		= "xol_slots",
	[USTAT_TOPIC_CONTENTION]	= "lock_contention",
};

enum ustat_topic_state ustat_kev_agg__topic(const struct ustat_kev_agg *sa,
					    enum ustat_kevent_topic t)
{
	const bool *have = sa->have;
	bool yes;

	switch (t) {
	case USTAT_TOPIC_LOOKUP:
		yes = have[USTAT_KEV_UPROBE_LOOKUP] || sa->kfunc.lookup_used;
		break;
	case USTAT_TOPIC_SPECULATION:
		/* the patched kernel's reasons, or the stock kernel's fallbacks */
		yes = have[USTAT_KEV_SPEC_FAIL] || have[USTAT_KEV_MMAP_START];
		break;
	case USTAT_TOPIC_INVALIDATION:
		yes = have[USTAT_KEV_MMAP_ACQUIRED];
		break;
	case USTAT_TOPIC_XOL:
		yes = have[USTAT_KEV_XOL_ALLOC] || have[USTAT_KEV_XOL_RECYCLE] ||
		      sa->kfunc.xol_used;
		break;
	case USTAT_TOPIC_CONTENTION:
		/* a wait is timed from its begin to its end: both are needed */
		yes = have[USTAT_KEV_LOCK_BEGIN] && have[USTAT_KEV_LOCK_END];
		break;
	case USTAT_TOPIC_NR:
	default:
		yes = false;
		break;
	}
	return yes ? USTAT_TOPIC_AVAILABLE : USTAT_TOPIC_UNAVAILABLE;
}
