// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "pairing.h"

int ustat_pairing__init(struct ustat_pairing *p, int nr_funcs)
{
	memset(p, 0, sizeof(*p));
	ustat_map__init(&p->threads);
	p->nr_funcs = nr_funcs;
	return 0;
}

void ustat_pairing__exit(struct ustat_pairing *p)
{
	struct ustat_pair_thread *t;
	u64 tid;
	u32 i;
	int f;

	ustat_map__for_each(&p->threads, i, tid, t) {
		for (f = 0; f < p->nr_funcs; f++)
			free(t->stacks[f].times);
		free(t);
	}
	ustat_map__exit(&p->threads);
	(void)tid;
}

static struct ustat_pair_thread *thread_get(struct ustat_pairing *p, u32 tid, bool create)
{
	struct ustat_pair_thread *t;

	struct ustat_pair_thread **hot = &p->hot[tid % USTAT_PAIR_HOT];

	/* Threads are freed only with the whole: a hot one stays valid. */
	if (*hot && (*hot)->tid == tid)
		return *hot;
	t = ustat_map__get(&p->threads, tid);
	if (t)
		*hot = t;
	if (t || !create)
		return t;
	t = calloc(1, sizeof(*t) + p->nr_funcs * sizeof(struct ustat_entry_stack));
	if (!t)
		return NULL;
	t->tid = tid;
	if (ustat_map__put(&p->threads, tid, t)) {
		free(t);
		return NULL;
	}
	*hot = t;
	return t;
}

int ustat_pairing__entry_slow(struct ustat_pairing *p, u32 tid, int func, u64 time)
{
	struct ustat_entry_stack *s;
	struct ustat_pair_thread *t;

	if (func < 0 || func >= p->nr_funcs)
		return -EINVAL;
	t = thread_get(p, tid, true);
	if (!t)
		return -ENOMEM;
	s = &t->stacks[func];
	if (ustat_array_grow(s->times, s->cap, s->depth + 1))
		return -ENOMEM;
	s->times[s->depth++] = time;
	if (s->depth == USTAT_URETPROBE_DEPTH + 1)
		p->too_deep++;
	return 0;
}

int ustat_pairing__return_slow(struct ustat_pairing *p, u32 tid, int func, u64 time,
			       u64 *lat)
{
	struct ustat_entry_stack *s;
	struct ustat_pair_thread *t;
	u64 start;

	if (func < 0 || func >= p->nr_funcs)
		return -EINVAL;
	t = thread_get(p, tid, false);
	if (!t || !t->stacks[func].depth) {
		p->unmatched_returns++;
		return 0;
	}
	s = &t->stacks[func];
	start = s->times[--s->depth];
	*lat = time >= start ? time - start : 0;
	return 1;
}

u64 ustat_pairing__open_entries(const struct ustat_pairing *p, int func)
{
	struct ustat_pair_thread *t;
	u64 open = 0, tid;
	u32 i;

	if (func < 0 || func >= p->nr_funcs)
		return 0;
	ustat_map__for_each(&p->threads, i, tid, t)
		open += t->stacks[func].depth;
	(void)tid;
	return open;
}
