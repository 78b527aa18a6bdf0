// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "event-info.h"
#include "report-threads.h"
#include "sample-filter.h"

void ustat_thread_hits__init(struct ustat_thread_hits *t)
{
	memset(t, 0, sizeof(*t));
	ustat_map__init(&t->idx);
}

void ustat_thread_hits__exit(struct ustat_thread_hits *t)
{
	free(t->v);
	ustat_map__exit(&t->idx);
	memset(t, 0, sizeof(*t));
}

int ustat_thread_hits__add(struct ustat_thread_hits *t, const struct ustat_event_infos *infos,
			   const struct ustat_sample_filter *filter, int idx,
			   const struct ustat_sample *s)
{
	const struct ustat_event_info *info = &infos->ev[idx];
	int probe = idx - info->site;
	u64 key = ustat_map__key2(s->tid, ((u32)probe << 12) | (s->cpu & 0xfff));
	struct ustat_thread_hit *h;
	const char *name;
	u64 i;

	if (info->kind == USTAT_EVENT_KERNEL)
		return 0;
	i = ustat_map__get_num(&t->idx, key);
	if (i) {
		t->v[i - 1].hits++;
		return 0;
	}
	if (ustat_array_grow(t->v, t->cap, t->nr + 1))
		return -ENOMEM;
	h = &t->v[t->nr];
	h->probe = probe;
	h->cpu = s->cpu;
	h->pid = s->pid;
	h->tid = s->tid;
	h->hits = 1;
	name = filter ? ustat_sample_filter__name(filter, s->pid, s->tid) : NULL;
	snprintf(h->comm, sizeof(h->comm), "%s", name ? name : "");
	if (ustat_map__put_num(&t->idx, key, t->nr + 1))
		return -ENOMEM;
	t->nr++;
	return 0;
}
