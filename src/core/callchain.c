// SPDX-License-Identifier: GPL-2.0
/*
 * Callchains counted per probe and stack (callchain.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "util/uprobe-stat/resolve/dwarf-unwind.h"
#include "util/uprobe-stat/util/array.h"
#include "callchain.h"

struct ustat_cc_map {
	u64	start;
	u64	end;
	u64	pgoff;
	u32	dso;
};

/* A process's code mappings, sorted by address, and its unwinder. */
struct ustat_cc_proc {
	struct ustat_cc_map	*maps;
	int			 nr;
	int			 cap;
	struct ustat_unwinder	*uw;	/* for these maps; dropped when they change */
};

void ustat_callchains__init(struct ustat_callchains *cc, const struct ustat_event_infos *infos)
{
	memset(cc, 0, sizeof(*cc));
	cc->infos = infos;
	ustat_map__init(&cc->procs);
	ustat_map__init(&cc->stacks);
}

void ustat_callchains__exit(struct ustat_callchains *cc)
{
	struct ustat_cc_proc *p;
	struct ustat_cc_stack *st, *next;
	struct ustat_frame_name *n;
	u32 i, j;

	ustat_map__for_each_val(&cc->procs, i, p) {
		ustat_unwinder__delete(p->uw);
		free(p->maps);
		free(p);
	}
	ustat_map__exit(&cc->procs);
	ustat_map__for_each_val(&cc->stacks, i, st) {
		for (; st; st = next) {
			next = st->next;
			free(st->frames);
			free(st);
		}
	}
	ustat_map__exit(&cc->stacks);
	for (i = 0; i < cc->nr_dsos; i++) {
		ustat_map__for_each_val(&cc->dsos[i].names, j, n)
			free(n);
		ustat_map__exit(&cc->dsos[i].names);
		ustat_frame_dso__close(cc->dsos[i].elf);
		free(cc->dsos[i].path);
	}
	free(cc->dsos);
	memset(cc, 0, sizeof(*cc));
}

static int dso_id(struct ustat_callchains *cc, const char *path, u32 *id)
{
	u32 i;

	for (i = 0; i < cc->nr_dsos; i++) {
		if (!strcmp(cc->dsos[i].path, path)) {
			*id = i;
			return 0;
		}
	}
	if (ustat_array_grow(cc->dsos, cc->cap_dsos, cc->nr_dsos + 1))
		return -ENOMEM;
	memset(&cc->dsos[i], 0, sizeof(cc->dsos[i]));
	cc->dsos[i].path = strdup(path);
	if (!cc->dsos[i].path)
		return -ENOMEM;
	ustat_map__init(&cc->dsos[i].names);
	cc->nr_dsos++;
	*id = i;
	return 0;
}

/* PID's mappings, new and empty the first time; NULL without memory. */
static struct ustat_cc_proc *proc_get(struct ustat_callchains *cc, u32 pid)
{
	struct ustat_cc_proc *p = ustat_map__get(&cc->procs, pid);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (p && ustat_map__put(&cc->procs, pid, p)) {
		free(p);
		p = NULL;
	}
	return p;
}

int ustat_callchains__mmap(struct ustat_callchains *cc, u32 pid, u64 start, u64 len,
			   u64 pgoff, const char *filename)
{
	struct ustat_cc_proc *p;
	u64 end = start + len;
	int i, j;
	u32 dso;

	if (!len || end < start)
		return 0;
	p = proc_get(cc, pid);
	if (!p || dso_id(cc, filename, &dso))
		return -ENOMEM;
	/* A new mapping replaces what it covers (perf's maps__fixup_overlap, whole). */
	for (i = j = 0; i < p->nr; i++)
		if (p->maps[i].end <= start || p->maps[i].start >= end)
			p->maps[j++] = p->maps[i];
	p->nr = j;
	if (ustat_array_grow(p->maps, p->cap, (size_t)p->nr + 1))
		return -ENOMEM;
	for (i = p->nr; i > 0 && p->maps[i - 1].start > start; i--)
		p->maps[i] = p->maps[i - 1];
	p->maps[i] = (struct ustat_cc_map){ start, end, pgoff, dso };
	p->nr++;
	ustat_unwinder__delete(p->uw);
	p->uw = NULL;
	return 0;
}

int ustat_callchains__fork(struct ustat_callchains *cc, u32 pid, u32 ppid)
{
	struct ustat_cc_proc *parent = ustat_map__get(&cc->procs, ppid);
	struct ustat_cc_proc *p = ustat_map__get(&cc->procs, pid);

	if (!parent || parent == p)
		return 0;
	p = proc_get(cc, pid);
	if (!p)
		return -ENOMEM;
	/* A pid used again: what it mapped before is gone. */
	ustat_unwinder__delete(p->uw);
	p->uw = NULL;
	free(p->maps);
	p->maps = malloc((parent->nr ? parent->nr : 1) * sizeof(*p->maps));
	if (!p->maps) {
		p->nr = p->cap = 0;
		return -ENOMEM;
	}
	memcpy(p->maps, parent->maps, parent->nr * sizeof(*p->maps));
	p->cap = parent->nr ? parent->nr : 1;
	p->nr = parent->nr;
	return 0;
}

static const struct ustat_cc_map *find_map(const struct ustat_cc_proc *p, u64 addr)
{
	int lo = 0, hi = p ? p->nr : 0;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (addr < p->maps[mid].start)
			hi = mid;
		else if (addr >= p->maps[mid].end)
			lo = mid + 1;
		else
			return &p->maps[mid];
	}
	return NULL;
}

/* The user part of a kernel callchain: after PERF_CONTEXT_USER, or all of one without contexts. */
static int user_ips(const struct ustat_sample *s, u64 *ips)
{
	bool user = true;
	int n = 0;
	u64 i;

	for (i = 0; i < s->callchain_nr && n < USTAT_CC_MAX_FRAMES; i++) {
		u64 ip = s->callchain[i];

		if (ip >= PERF_CONTEXT_MAX) {
			user = ip == PERF_CONTEXT_USER;
			continue;
		}
		if (user)
			ips[n++] = ip;
	}
	return n;
}

/* --call-graph dwarf: libdw on the registers and the stack copy. */
static int unwound_ips(struct ustat_callchains *cc, struct ustat_cc_proc *p,
		       const struct ustat_sample *s, u64 *ips)
{
	if (!p)
		return 0;
	if (!p->uw) {
		struct ustat_unwind_map *m = calloc(p->nr ? p->nr : 1, sizeof(*m));
		int i;

		if (!m)
			return 0;
		for (i = 0; i < p->nr; i++) {
			m[i].start = p->maps[i].start;
			m[i].end = p->maps[i].end;
			m[i].pgoff = p->maps[i].pgoff;
			m[i].path = cc->dsos[p->maps[i].dso].path;
		}
		p->uw = ustat_unwinder__new(m, p->nr);
		free(m);
		if (!p->uw)
			return 0;
	}
	cc->dwarf = true;
	return ustat_unwinder__unwind(p->uw, s->tid, s->user_regs, s->user_regs_mask,
				      s->user_stack, s->user_stack_size, ips,
				      USTAT_CC_MAX_FRAMES);
}

int ustat_callchains__frames(struct ustat_callchains *cc, const struct ustat_sample *s,
			     struct ustat_cc_frame *frames)
{
	struct ustat_cc_proc *p = ustat_map__get(&cc->procs, s->pid);
	u64 ips[USTAT_CC_MAX_FRAMES];
	int i, n;

	if (s->user_regs && s->user_stack_size)
		n = unwound_ips(cc, p, s, ips);
	else
		n = user_ips(s, ips);
	for (i = 0; i < n; i++) {
		const struct ustat_cc_map *m = find_map(p, ips[i]);

		frames[i].addr = ips[i];
		if (m) {
			frames[i].dso = m->dso;
			frames[i].off = ips[i] - m->start + m->pgoff;
		} else {
			frames[i].dso = USTAT_CC_NO_DSO;
			frames[i].off = ips[i];
		}
	}
	return n;
}

/* FNV-1a over the probe and its frames' (file, offset). */
static u64 stack_hash(int probe, const struct ustat_cc_frame *f, int n)
{
	u64 h = 0xcbf29ce484222325ULL;
	int i;

#define MIX(v) (h = (h ^ (u64)(v)) * 0x100000001b3ULL)
	MIX(probe);
	for (i = 0; i < n; i++) {
		MIX(f[i].dso);
		MIX(f[i].off);
	}
#undef MIX
	return h;
}

static bool same_stack(const struct ustat_cc_stack *st, int probe,
		       const struct ustat_cc_frame *f, int n)
{
	int i;

	if (st->probe != probe || st->nr != (u32)n)
		return false;
	for (i = 0; i < n; i++)
		if (st->frames[i].dso != f[i].dso || st->frames[i].off != f[i].off)
			return false;
	return true;
}

int ustat_callchains__add(struct ustat_callchains *cc, int idx, const struct ustat_sample *s)
{
	struct ustat_cc_frame frames[USTAT_CC_MAX_FRAMES];
	struct ustat_cc_stack *head, *st;
	int probe, n;
	u64 h;

	if (!ustat_callchains__has(s))
		return 0;
	probe = ustat_event_info__probe(cc->infos, idx);
	cc->samples++;
	n = ustat_callchains__frames(cc, s, frames);
	if (!n)
		cc->empty++;	/* still counted: an empty stack, the probe alone */
	h = stack_hash(probe, frames, n);
	head = ustat_map__get(&cc->stacks, h);
	for (st = head; st; st = st->next) {
		if (same_stack(st, probe, frames, n)) {
			st->count++;
			return 0;
		}
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->frames = malloc((n ? n : 1) * sizeof(*st->frames));
	if (!st->frames) {
		free(st);
		return -ENOMEM;
	}
	memcpy(st->frames, frames, n * sizeof(*frames));
	st->hash = h;
	st->count = 1;
	st->probe = probe;
	st->nr = n;
	st->next = head;
	if (ustat_map__put(&cc->stacks, h, st)) {
		free(st->frames);
		free(st);
		return -ENOMEM;
	}
	cc->nr_stacks++;
	return 0;
}

static struct ustat_frame_name unknown_name;

const struct ustat_frame_name *ustat_callchains__name(struct ustat_callchains *cc,
						      const struct ustat_cc_frame *frame, int i)
{
	struct ustat_cc_dso *d;
	struct ustat_frame_name *n;
	u64 key;

	if (frame->dso == USTAT_CC_NO_DSO || frame->dso >= cc->nr_dsos)
		return &unknown_name;
	d = &cc->dsos[frame->dso];
	key = frame->off * 2 + (i > 0);
	n = ustat_map__get(&d->names, key);
	if (n)
		return n;
	if (!d->tried) {
		d->tried = true;
		d->elf = ustat_frame_dso__open(d->path);
	}
	if (!d->elf)
		return &unknown_name;
	n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	ustat_frame_dso__name(d->elf, frame->off, i > 0, n);
	if (ustat_map__put(&d->names, key, n)) {
		free(n);
		return NULL;
	}
	return n;
}

const char *ustat_callchains__dso(const struct ustat_callchains *cc,
				  const struct ustat_cc_frame *frame)
{
	if (frame->dso == USTAT_CC_NO_DSO || frame->dso >= cc->nr_dsos)
		return "[unknown]";
	return cc->dsos[frame->dso].path;
}

static int by_count(const void *a, const void *b)
{
	const struct ustat_cc_stack *x = *(struct ustat_cc_stack * const *)a;
	const struct ustat_cc_stack *y = *(struct ustat_cc_stack * const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->hash < y->hash ? -1 : x->hash > y->hash;	/* the same order every run */
}

int ustat_callchains__sorted(const struct ustat_callchains *cc, int probe,
			     struct ustat_cc_stack ***out, size_t *nr)
{
	struct ustat_cc_stack **v, *st;
	size_t n = 0;
	u32 i;

	v = malloc((cc->nr_stacks ? cc->nr_stacks : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	ustat_map__for_each_val(&cc->stacks, i, st)
		for (; st; st = st->next)
			if (st->probe == probe || probe < 0)
				v[n++] = st;
	qsort(v, n, sizeof(*v), by_count);
	*out = v;
	*nr = n;
	return 0;
}
