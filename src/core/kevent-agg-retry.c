// SPDX-License-Identifier: GPL-2.0
/*
 * Two kernel signals of the lookup's slow corners (patches 5 and 6 of the
 * series in tools-perf-patch/kernel/):
 *
 * uprobes_core:uprobe_find_retry: find_uprobe_rcu() walked the uprobes
 * tree, found nothing while a registration or an unregistration changed
 * the tree, and walks again.  The event comes inside the lookup, before
 * the task's uprobe_lookup event: its retries wait per thread and go to
 * the address that lookup names.
 *
 * uprobes_core:xol_area_fail: the task's mm could not be given the page
 * its single-step slots live in; the hit restarts and hits again, so each
 * failure is a hit counted once more.  It belongs to the address of the
 * task's last lookup, as the xol slot events do.
 */
#include <linux/compiler.h>

#include "kevent-agg.h"

void ustat_kev_agg__on_find_retry(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
				  const struct ustat_sample *s)
{
	u32 seq = ustat_kev_fields__get(tf, 2, s);
	u32 now = ustat_kev_fields__get(tf, 3, s);
	struct ustat_kev_stats *t[3];
	int i, n;

	/* No address yet: total and CPU now, the address at the lookup's end. */
	n = ustat_kev_agg__targets(sa, s, NULL, t);
	for (i = 0; i < n; i++) {
		t[i]->find_retries++;
		/* each tree update adds 2; u32 arithmetic survives the wrap */
		t[i]->tree_writes += (u32)(now - seq) / 2;
	}
	ustat_map__put_num(&sa->retrying, s->tid, ustat_map__get_num(&sa->retrying, s->tid) + 1);
}

void ustat_kev_agg__retries_to(struct ustat_kev_agg *sa, u32 tid, struct ustat_kev_stats *addr)
{
	u64 n = ustat_map__get_num(&sa->retrying, tid);

	if (!n)
		return;
	ustat_map__put_num(&sa->retrying, tid, 0);
	if (addr)
		addr->find_retries += n;
}

void ustat_kev_agg__on_xol_area_fail(struct ustat_kev_agg *sa,
				     const struct ustat_kev_fields *tf __maybe_unused,
				     const struct ustat_sample *s)
{
	struct ustat_kev_stats *t[3];
	int i, n;

	n = ustat_kev_agg__targets(sa, s, ustat_map__get(&sa->last_hit, s->tid), t);
	for (i = 0; i < n; i++)
		t[i]->xol_area_fails++;
}

void ustat_kev_agg__retries_add(struct ustat_kev_stats *d, const struct ustat_kev_stats *s)
{
	d->find_retries += s->find_retries;
	d->tree_writes += s->tree_writes;
	d->xol_area_fails += s->xol_area_fails;
}
