// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "util/uprobe-stat/util/array.h"
#include "meta.h"
#include "backend.h"
#include "kevent-agg.h"
#include "kevent-agg-int.h"

const char *const ustat_spec_fail_reasons[USTAT_SPEC_FAIL_REASONS] = {
	"write_locked", "seq_changed", "no_vma", "no_file", "no_uprobe", "no_per_vma_lock",
};

const char *const ustat_xol_recycle_reasons[USTAT_XOL_RECYCLE_REASONS] = {
	"single_step", "pre_xol_error", "aborted", "post_xol_error",
};

/* Contention seen at a lock taken on a uprobe path, waiting to end. */
struct waiter {
	u64	begin;		/* 0: not waiting */
	bool	fallback;	/* inside the lookup's mmap_read_lock() */
};

int ustat_kev_agg__init(struct ustat_kev_agg *sa, int nr_events)
{
	int i;

	memset(sa, 0, sizeof(*sa));
	sa->nr_events = nr_events;
	sa->fields = calloc(nr_events ? nr_events : 1, sizeof(*sa->fields));
	if (!sa->fields)
		return -ENOMEM;
	for (i = 0; i < nr_events; i++)
		sa->fields[i].signal = USTAT_KEV_NONE;
	ustat_map__init(&sa->addrs);
	ustat_map__init(&sa->probe_ips);
	ustat_map__init(&sa->xol_last);
	ustat_map__init(&sa->last_hit);
	ustat_map__init(&sa->held);
	ustat_map__init(&sa->waiting);
	ustat_map__init(&sa->retrying);
	return 0;
}

void ustat_kev__stats_free(struct ustat_kev_stats *st)
{
	free(st->lat_spec);
	free(st->lat_fallback);
	free(st->xol_wait);
	free(st->hold);
	free(st->contention);
	free(st->fallback_wait);
}

enum nested_vals { VALS_STATS, VALS_MALLOC, VALS_BORROWED };

/* Free a pid -> (u64 -> pointer) map and, as told, what its inner maps point at. */
static void free_nested(struct ustat_map *outer, enum nested_vals vals)
{
	struct ustat_map *inner;
	void *v;
	u32 i, j;

	ustat_map__for_each_val(outer, i, inner) {
		ustat_map__for_each_val(inner, j, v) {
			if (vals == VALS_STATS)
				ustat_kev__stats_free(v);
			if (vals != VALS_BORROWED)
				free(v);
		}
		ustat_map__exit(inner);
		free(inner);
	}
	ustat_map__exit(outer);
}

void ustat_kev_agg__exit(struct ustat_kev_agg *sa)
{
	struct waiter *w;
	u32 i;

	ustat_kev__stats_free(&sa->total);
	for (i = 0; i < sa->cpu_cap; i++)
		ustat_kev__stats_free(&sa->cpu[i]);
	ustat_kev__drop_attribution(sa);
	free(sa->cpu);
	free(sa->fields);
	free_nested(&sa->addrs, VALS_STATS);
	free_nested(&sa->probe_ips, VALS_MALLOC);
	free_nested(&sa->addr_names, VALS_BORROWED);
	ustat_map__exit(&sa->xol_last);
	ustat_map__exit(&sa->last_hit);	/* borrowed from addrs */
	ustat_map__exit(&sa->held);
	ustat_map__for_each_val(&sa->waiting, i, w)
		free(w);
	ustat_map__exit(&sa->waiting);
	ustat_map__exit(&sa->retrying);
	ustat_ksyms__exit(&sa->ksyms);
	ustat_kev_agg__kfunc_exit(sa);
	memset(sa, 0, sizeof(*sa));
}

int ustat_kev_agg__set_signal(struct ustat_kev_agg *sa, int idx, enum ustat_kevent sig,
			      const struct ustat_tp_field *const f[USTAT_TP_MAX_FIELDS])
{
	int i;

	if (idx < 0 || idx >= sa->nr_events || sig < 0 || sig >= USTAT_KEV_NR)
		return -EINVAL;
	sa->fields[idx].signal = sig;
	for (i = 0; i < USTAT_TP_MAX_FIELDS; i++)
		sa->fields[idx].f[i] = f[i];
	sa->have[sig] = true;
	return 0;
}

static void name_address(struct ustat_kev_agg *sa, u32 pid, u64 vaddr, const char *rec)
{
	struct ustat_map *inner = ustat_map__get(&sa->addr_names, pid);

	if (!inner) {
		inner = calloc(1, sizeof(*inner));
		if (!inner || ustat_map__put(&sa->addr_names, pid, inner)) {
			free(inner);
			return;
		}
	}
	ustat_map__put(inner, vaddr, (void *)rec);
}

void ustat_kev_agg__load_meta(struct ustat_kev_agg *sa, char *const *meta, int nr)
{
	char buf[256];
	int i;

	for (i = 0; i < nr; i++) {
		unsigned long long start, end;
		enum ustat_kevent sig;
		char *colon, *state;

		if (ustat_meta__is(meta[i], "ksym") &&
		    ustat_meta__get(meta[i], "name", buf, sizeof(buf)) > 0 &&
		    !ustat_meta__get_u64(meta[i], "start", &start) &&
		    !ustat_meta__get_u64(meta[i], "end", &end)) {
			ustat_ksyms__add(&sa->ksyms, buf, start, end);
			continue;
		}
		if (ustat_kev_agg__kfunc_meta(sa, meta[i]))
			continue;
		if (ustat_meta__is(meta[i], "addr")) {
			unsigned long long pid, vaddr;

			if (!ustat_meta__get_u64(meta[i], "pid", &pid) &&
			    !ustat_meta__get_u64(meta[i], "vaddr", &vaddr))
				name_address(sa, pid, vaddr, meta[i]);
			continue;
		}
		if (!ustat_meta__is(meta[i], "signal") ||
		    ustat_meta__get(meta[i], "event", buf, sizeof(buf)) <= 0)
			continue;
		colon = strchr(buf, ':');
		if (!colon)
			continue;
		*colon = '\0';
		sig = ustat_kevent__lookup(buf, colon + 1);
		state = strstr(meta[i], "\tstate=");
		if (sig == USTAT_KEV_NONE || !state)
			continue;
		/* The pointer stays valid: the reader keeps its records. */
		sa->state[sig] = state + 7;
	}
	ustat_ksyms__sort(&sa->ksyms);
}

struct ustat_hist *ustat_kev__hist(struct ustat_hist **h)
{
	if (!*h) {
		*h = malloc(sizeof(**h));
		if (*h)
			ustat_hist__init(*h);
	}
	return *h;
}

static void hist_add(struct ustat_hist **h, u64 v)
{
	if (ustat_kev__hist(h))
		ustat_hist__add(*h, v);
}

static struct ustat_kev_stats *cpu_stats(struct ustat_kev_agg *sa, u32 cpu)
{
	if (cpu >= 8192)
		return NULL;
	if (cpu >= sa->cpu_cap) {
		u32 old = sa->cpu_cap;

		if (ustat_array_grow(sa->cpu, sa->cpu_cap, cpu + 1))
			return NULL;
		memset(sa->cpu + old, 0, (sa->cpu_cap - old) * sizeof(*sa->cpu));
	}
	if (cpu >= sa->nr_cpus)
		sa->nr_cpus = cpu + 1;
	return &sa->cpu[cpu];
}

struct ustat_kev_stats *ustat_kev__cpu(struct ustat_kev_agg *sa, u32 cpu)
{
	return cpu_stats(sa, cpu);
}

/* OUTER[pid][key], created on demand with SIZE zeroed bytes when SIZE != 0. */
void *ustat_kev__nested(struct ustat_map *outer, u32 pid, u64 key, size_t size)
{
	struct ustat_map *inner = ustat_map__get(outer, pid);
	void *v;

	if (!inner) {
		if (!size)
			return NULL;
		inner = calloc(1, sizeof(*inner));
		if (!inner || ustat_map__put(outer, pid, inner)) {
			free(inner);
			return NULL;
		}
	}
	v = ustat_map__get(inner, key);
	if (v || !size)
		return v;
	v = calloc(1, size);
	if (v && ustat_map__put(inner, key, v)) {
		free(v);
		return NULL;
	}
	return v;
}

/*
 * Every sample counts in the total, in its CPU's stats and, for signals
 * that name an address, in that address's (attributed to a probe later).
 */
static int targets(struct ustat_kev_agg *sa, const struct ustat_sample *s,
		   struct ustat_kev_stats *addr, struct ustat_kev_stats *t[3])
{
	int n = 0;

	t[n++] = &sa->total;
	t[n] = cpu_stats(sa, s->cpu);
	n += t[n] != NULL;
	t[n] = addr;
	n += t[n] != NULL;
	return n;
}

static void on_lookup(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
		      const struct ustat_sample *s)
{
	u64 vaddr = ustat_kev_fields__get(tf, 0, s);
	u64 lat = ustat_kev_fields__get(tf, 1, s);
	bool spec = ustat_kev_fields__get(tf, 2, s);
	bool found = ustat_kev_fields__get(tf, 3, s);
	struct ustat_kev_stats *t[3], *addr;
	int i, n;

	addr = ustat_kev__nested(&sa->addrs, s->pid, vaddr, sizeof(*addr));
	/*
	 * xol events name a slot, not a probe: the task that takes or frees
	 * a slot is the one whose hit was just looked up.
	 */
	if (addr && found)
		ustat_map__put(&sa->last_hit, s->tid, addr);	/* no memory: unattributed */
	ustat_kev_agg__retries_to(sa, s->tid, addr);
	n = targets(sa, s, addr, t);
	for (i = 0; i < n; i++) {
		t[i]->lookups++;
		t[i]->lookups_not_found += !found;
		if (spec) {
			t[i]->lookups_spec++;
			hist_add(&t[i]->lat_spec, lat);
		} else {
			t[i]->lookups_fallback++;
			hist_add(&t[i]->lat_fallback, lat);
		}
	}
}

static void on_spec_fail(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			 const struct ustat_sample *s)
{
	u64 vaddr = ustat_kev_fields__get(tf, 0, s);
	u64 reason = ustat_kev_fields__get(tf, 2, s);
	struct ustat_kev_stats *t[3];
	int i, n;

	if (reason >= USTAT_SPEC_FAIL_REASONS)
		return;
	n = targets(sa, s, ustat_kev__nested(&sa->addrs, s->pid, vaddr, sizeof(*t[0])), t);
	for (i = 0; i < n; i++)
		t[i]->spec_fail[reason]++;
}

static void on_xol_alloc(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			 const struct ustat_sample *s)
{
	u64 slot = ustat_kev_fields__get(tf, 0, s);
	u64 wait = ustat_kev_fields__get(tf, 2, s);
	/* bitmap searches: the one that took the slot, lost races, page full */
	u64 tries = 1 + ustat_kev_fields__get(tf, 1, s) +
		    ustat_kev_fields__get(tf, 3, s);
	u64 last = ustat_map__get_num(&sa->xol_last, ustat_map__key2(s->pid, slot));
	bool cross = last && last - 1 != s->cpu;
	struct ustat_kev_stats *t[3];
	int i, n;

	n = targets(sa, s, ustat_map__get(&sa->last_hit, s->tid), t);
	for (i = 0; i < n; i++) {
		t[i]->xol_allocs++;
		t[i]->xol_tries += tries;
		t[i]->xol_cross_cpu += cross;
		if (wait) {
			t[i]->xol_waits++;
			hist_add(&t[i]->xol_wait, wait);
		}
	}
}

static void on_xol_recycle(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			   const struct ustat_sample *s)
{
	u64 slot = ustat_kev_fields__get(tf, 0, s);
	u64 reason = ustat_kev_fields__get(tf, 1, s);
	bool woke = ustat_kev_fields__get(tf, 2, s);
	struct ustat_kev_stats *t[3];
	int i, n;

	/* The CPU that freed the slot: its next taker may be elsewhere. */
	ustat_map__put_num(&sa->xol_last, ustat_map__key2(s->pid, slot), s->cpu + 1);
	n = targets(sa, s, ustat_map__get(&sa->last_hit, s->tid), t);
	for (i = 0; i < n; i++) {
		if (reason < USTAT_XOL_RECYCLE_REASONS)
			t[i]->xol_recycles[reason]++;
		t[i]->xol_woke += woke;
	}
}

/*
 * Walk a callchain: did its kernel part pass through the uprobe paths,
 * through the lookup's fallback, and what is its first user address?
 */
static void classify_chain(const struct ustat_kev_agg *sa, const struct ustat_sample *s,
			   bool *on_path, bool *fallback, u64 *user_ip)
{
	bool kernel = false, user = false;
	u64 i;

	*on_path = *fallback = false;
	*user_ip = 0;
	for (i = 0; i < s->callchain_nr; i++) {
		u64 ip = s->callchain[i];
		const struct ustat_ksym *k;

		if (ip >= PERF_CONTEXT_MAX) {
			kernel = ip == PERF_CONTEXT_KERNEL;
			user = ip == PERF_CONTEXT_USER;
			continue;
		}
		if (user && !*user_ip)
			*user_ip = ip;
		if (!kernel)
			continue;
		k = ustat_ksyms__find(&sa->ksyms, ip);
		if (!k)
			continue;
		*on_path = true;
		*fallback |= ustat_ksym__is_lookup_fallback(k);
	}
}

static void on_mmap_start(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			  const struct ustat_sample *s)
{
	struct ustat_kev_stats *t[3], *addr = NULL;
	bool on_path, fallback;
	u64 user_ip;
	int i, n;

	if (ustat_kev_fields__get(tf, 1, s))
		return;		/* a write lock: stock perf files are not filtered */
	classify_chain(sa, s, &on_path, &fallback, &user_ip);
	if (!fallback)
		return;
	/* The trap left the user IP just past the breakpoint's int3. */
	if (user_ip)
		addr = ustat_kev__nested(&sa->addrs, s->pid, user_ip - 1, sizeof(*addr));
	n = targets(sa, s, addr, t);
	for (i = 0; i < n; i++)
		t[i]->mmap_fallbacks++;
}

/* A write hold ends: at mmap_write_unlock(), or downgraded to a read lock. */
static void end_hold(struct ustat_kev_agg *sa, const struct ustat_sample *s)
{
	u64 since = ustat_map__get_num(&sa->held, s->tid);
	struct ustat_kev_stats *t[3];
	int i, n;

	if (!since)
		return;
	ustat_map__put_num(&sa->held, s->tid, 0);
	if (s->time + 1 < since)
		return;
	n = targets(sa, s, NULL, t);
	for (i = 0; i < n; i++)
		hist_add(&t[i]->hold, s->time + 1 - since);
}

static void on_mmap_acquired(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			     const struct ustat_sample *s)
{
	struct ustat_kev_stats *t[3];
	int i, n;

	if (!ustat_kev_fields__get(tf, 2, s))
		return;		/* a failed trylock took nothing */
	if (!ustat_kev_fields__get(tf, 1, s)) {
		/* mmap_write_downgrade() reports the read lock it turns into. */
		end_hold(sa, s);
		return;
	}
	/* Each write acquisition makes mm_lock_seq odd: speculation fails. */
	n = targets(sa, s, NULL, t);
	for (i = 0; i < n; i++)
		t[i]->invalidations++;
	ustat_map__put_num(&sa->held, s->tid, s->time + 1);
}

static void on_mmap_released(struct ustat_kev_agg *sa, const struct ustat_kev_fields *tf,
			     const struct ustat_sample *s)
{
	if (ustat_kev_fields__get(tf, 1, s))
		end_hold(sa, s);
}

static void on_lock_begin(struct ustat_kev_agg *sa, const struct ustat_sample *s)
{
	struct waiter *w = ustat_map__get(&sa->waiting, s->tid);
	bool on_path, fallback;
	u64 user_ip;

	classify_chain(sa, s, &on_path, &fallback, &user_ip);
	if (!on_path)
		return;
	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w || ustat_map__put(&sa->waiting, s->tid, w)) {
			free(w);
			return;
		}
	}
	w->begin = s->time ? s->time : 1;
	w->fallback = fallback;
}

static void on_lock_end(struct ustat_kev_agg *sa, const struct ustat_sample *s)
{
	struct waiter *w = ustat_map__get(&sa->waiting, s->tid);
	struct ustat_kev_stats *t[3];
	int i, n;
	u64 wait;

	if (!w || !w->begin || s->time < w->begin)
		return;
	wait = s->time - w->begin;
	w->begin = 0;
	n = targets(sa, s, NULL, t);
	for (i = 0; i < n; i++) {
		t[i]->contended++;
		hist_add(&t[i]->contention, wait);
		if (w->fallback) {
			t[i]->fallback_contended++;
			hist_add(&t[i]->fallback_wait, wait);
		}
	}
}

int ustat_kev_agg__sample(struct ustat_kev_agg *sa, int idx, const struct ustat_sample *s)
{
	const struct ustat_kev_fields *tf;

	if (idx < 0 || idx >= sa->nr_events)
		return -EINVAL;
	tf = &sa->fields[idx];
	switch (tf->signal) {
	case USTAT_KEV_UPROBE_LOOKUP:
		on_lookup(sa, tf, s);
		break;
	case USTAT_KEV_SPEC_FAIL:
		on_spec_fail(sa, tf, s);
		break;
	case USTAT_KEV_XOL_ALLOC:
		on_xol_alloc(sa, tf, s);
		break;
	case USTAT_KEV_XOL_RECYCLE:
		on_xol_recycle(sa, tf, s);
		break;
	case USTAT_KEV_MMAP_START:
		on_mmap_start(sa, tf, s);
		break;
	case USTAT_KEV_MMAP_ACQUIRED:
		on_mmap_acquired(sa, tf, s);
		break;
	case USTAT_KEV_MMAP_RELEASED:
		on_mmap_released(sa, tf, s);
		break;
	case USTAT_KEV_LOCK_BEGIN:
		on_lock_begin(sa, s);
		break;
	case USTAT_KEV_LOCK_END:
		on_lock_end(sa, s);
		break;
	case USTAT_KEV_FIND_RETRY:
		ustat_kev_agg__on_find_retry(sa, tf, s);
		break;
	case USTAT_KEV_XOL_AREA_FAIL:
		ustat_kev_agg__on_xol_area_fail(sa, tf, s);
		break;
	case USTAT_KEV_NONE:
	case USTAT_KEV_NR:
	default:
		break;		/* a tracepoint whose format lacked a field */
	}
	return 0;
}

int ustat_kev_agg__probe_hit(struct ustat_kev_agg *sa, int idx, const struct ustat_sample *s)
{
	uintptr_t *v;

	if (ustat_kev__nested(&sa->probe_ips, s->pid, s->ip, 0))
		return 0;
	v = ustat_kev__nested(&sa->probe_ips, s->pid, s->ip, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = idx + 1;
	return 0;
}

int ustat_kev_agg__targets(struct ustat_kev_agg *sa, const struct ustat_sample *s,
			   struct ustat_kev_stats *addr, struct ustat_kev_stats *t[3])
{
	return targets(sa, s, addr, t);
}
