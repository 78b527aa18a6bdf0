// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel signals' counts per address, given to the probes at those
 * addresses, and the addresses that are none of them named by what the
 * recorder saw mapped there (kevent-agg.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "meta.h"
#include "kevent-agg.h"
#include "kevent-agg-int.h"

/* Forget an earlier attribution: the live view redoes it at every tick. */
void ustat_kev__drop_attribution(struct ustat_kev_agg *sa)
{
	int n;

	for (n = 0; sa->probe && n < sa->nr_events; n++)
		ustat_kev__stats_free(&sa->probe[n]);
	for (n = 0; n < sa->nr_others; n++) {
		ustat_kev__stats_free(&sa->others[n].st);
		free(sa->others[n].where);
	}
	free(sa->probe);
	free(sa->others);
	sa->probe = NULL;
	sa->others = NULL;
	sa->nr_others = sa->others_cap = 0;
	sa->unattributed = 0;
}

static void hist_merge(struct ustat_hist **dst, const struct ustat_hist *src)
{
	if (src && ustat_kev__hist(dst))
		ustat_hist__merge(*dst, src);
}

void ustat_kev__stats_add(struct ustat_kev_stats *d, const struct ustat_kev_stats *s)
{
	int i;

	d->lookups += s->lookups;
	d->lookups_spec += s->lookups_spec;
	d->lookups_fallback += s->lookups_fallback;
	d->lookups_not_found += s->lookups_not_found;
	hist_merge(&d->lat_spec, s->lat_spec);
	hist_merge(&d->lat_fallback, s->lat_fallback);
	for (i = 0; i < USTAT_SPEC_FAIL_REASONS; i++)
		d->spec_fail[i] += s->spec_fail[i];
	d->mmap_fallbacks += s->mmap_fallbacks;
	d->xol_allocs += s->xol_allocs;
	d->xol_waits += s->xol_waits;
	d->xol_tries += s->xol_tries;
	hist_merge(&d->xol_wait, s->xol_wait);
	d->xol_frees += s->xol_frees;
	for (i = 0; i < USTAT_XOL_RECYCLE_REASONS; i++)
		d->xol_recycles[i] += s->xol_recycles[i];
	d->xol_woke += s->xol_woke;
	d->xol_cross_cpu += s->xol_cross_cpu;
	ustat_kev_agg__retries_add(d, s);
}

/* Name an address from the recorder's "addr" record, or by its number. */
static void address_name(const struct ustat_kev_agg *sa, u32 pid, u64 vaddr, char *buf,
			 size_t len)
{
	struct ustat_map *inner = ustat_map__get(&sa->addr_names, pid);
	const char *rec = inner ? ustat_map__get(inner, vaddr) : NULL;
	unsigned long long off = 0, sym_off = 0;
	char file[256], sym[128];
	const char *base;
	int n;

	if (!rec || ustat_meta__get(rec, "file", file, sizeof(file)) <= 0) {
		snprintf(buf, len, "%#llx (unresolved)", (unsigned long long)vaddr);
		return;
	}
	base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	ustat_meta__get_u64(rec, "offset", &off);
	ustat_meta__get_u64(rec, "sym_off", &sym_off);
	/* A name cut short still tells the address apart well enough. */
	if (ustat_meta__get(rec, "sym", sym, sizeof(sym)) > 0)
		n = snprintf(buf, len, "%s:%s+0x%llx", base, sym, sym_off);
	else
		n = snprintf(buf, len, "%s+0x%llx", base, off);
	if (n < 0 && len)
		buf[0] = '\0';
}

static int add_other(struct ustat_kev_agg *sa, u32 pid, u64 vaddr,
		     const struct ustat_kev_stats *st)
{
	struct ustat_kev_other *o;
	char where[256];
	int i;

	address_name(sa, pid, vaddr, where, sizeof(where));
	for (i = 0; i < sa->nr_others; i++)
		if (!strcmp(sa->others[i].where, where))
			break;
	if (i == sa->nr_others) {
		if (ustat_array_grow(sa->others, sa->others_cap, sa->nr_others + 1))
			return -ENOMEM;
		o = sa->others;
		memset(&o[i], 0, sizeof(o[i]));
		o[i].where = strdup(where);
		if (!o[i].where)
			return -ENOMEM;
		sa->nr_others++;
	}
	ustat_kev__stats_add(&sa->others[i].st, st);
	return 0;
}

int ustat_kev_agg__finish(struct ustat_kev_agg *sa)
{
	struct ustat_map *addrs;
	u64 pid, vaddr;
	u32 i, j;

	ustat_kev_agg__kfunc_merge(sa);
	ustat_kev__drop_attribution(sa);
	sa->probe = calloc(sa->nr_events ? sa->nr_events : 1, sizeof(*sa->probe));
	if (!sa->probe)
		return -ENOMEM;
	ustat_map__for_each(&sa->addrs, i, pid, addrs) {
		struct ustat_kev_stats *st;

		ustat_map__for_each(addrs, j, vaddr, st) {
			uintptr_t *idx = ustat_kev__nested(&sa->probe_ips, pid, vaddr, 0);

			if (idx && *idx && *idx <= (uintptr_t)sa->nr_events) {
				ustat_kev__stats_add(&sa->probe[*idx - 1], st);
				continue;
			}
			sa->unattributed += st->lookups + st->mmap_fallbacks;
			if (add_other(sa, pid, vaddr, st))
				return -ENOMEM;
		}
	}
	return 0;
}

bool ustat_kev_agg__any(const struct ustat_kev_agg *sa)
{
	int i;

	for (i = 0; i < USTAT_KEV_NR; i++)
		if (sa->have[i] || sa->state[i])
			return true;
	return sa->kfunc.present;
}
