// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "pairing.h"

/* Open entry timestamps of one function on one thread. */
struct entry_stack {
	u64	*times;
	u32	 depth;
	u32	 cap;
};

struct thread_state {
	u32			tid;
	struct entry_stack	stacks[];	/* one per paired function */
};

int ustat_pairing__init(struct ustat_pairing *p, int nr_funcs)
{
	memset(p, 0, sizeof(*p));
	ustat_map__init(&p->threads);
	p->nr_funcs = nr_funcs;
	return 0;
}

void ustat_pairing__exit(struct ustat_pairing *p)
{
	struct thread_state *t;
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

static struct thread_state *thread_get(struct ustat_pairing *p, u32 tid, bool create)
{
	struct thread_state *t = ustat_map__get(&p->threads, tid);

	if (t || !create)
		return t;
	t = calloc(1, sizeof(*t) + p->nr_funcs * sizeof(struct entry_stack));
	if (!t)
		return NULL;
	t->tid = tid;
	if (ustat_map__put(&p->threads, tid, t)) {
		free(t);
		return NULL;
	}
	return t;
}

int ustat_pairing__entry(struct ustat_pairing *p, u32 tid, int func, u64 time)
{
	struct entry_stack *s;
	struct thread_state *t;

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

int ustat_pairing__return(struct ustat_pairing *p, u32 tid, int func, u64 time,
			  u64 *lat)
{
	struct entry_stack *s;
	struct thread_state *t;
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
	struct thread_state *t;
	u64 open = 0, tid;
	u32 i;

	if (func < 0 || func >= p->nr_funcs)
		return 0;
	ustat_map__for_each(&p->threads, i, tid, t)
		open += t->stacks[func].depth;
	(void)tid;
	return open;
}
