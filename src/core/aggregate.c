// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "aggregate.h"
#include "backend.h"
#include "util/uprobe-stat/util/debug.h"

int ustat_agg__init(struct ustat_agg *agg, const struct ustat_event_infos *infos)
{
	int i;

	memset(agg, 0, sizeof(*agg));
	agg->infos = infos;
	agg->probes = calloc(infos->nr ? infos->nr : 1, sizeof(*agg->probes));
	if (!agg->probes)
		return -ENOMEM;
	for (i = 0; i < infos->nr; i++) {
		agg->has_kevents |= infos->ev[i].kind == USTAT_EVENT_KERNEL;
		if (infos->ev[i].kind != USTAT_EVENT_PROBE || infos->ev[i].pair < 0)
			continue;
		agg->probes[i].lat = malloc(sizeof(struct ustat_hist));
		if (!agg->probes[i].lat)
			return -ENOMEM;
		ustat_hist__init(agg->probes[i].lat);
	}
	if (ustat_kev_agg__init(&agg->sig, infos->nr))
		return -ENOMEM;
	return ustat_pairing__init(&agg->pairing, infos->nr_funcs);
}

/* Signal SIG's fields in event IDX's format; the first missing one's name, or NULL. */
static const char *find_fields(struct ustat_input *in, int idx, enum ustat_kevent sig,
			       const struct ustat_tp_field *f[USTAT_TP_MAX_FIELDS])
{
	int i;

	for (i = 0; i < USTAT_TP_MAX_FIELDS; i++) {
		const char *name = ustat_kevent_fields[sig][i];

		f[i] = name ? ustat_input__tp_field(in, idx, name) : NULL;
		if (name && !f[i])
			return name;
	}
	return NULL;
}

void ustat_agg__init_kevents(struct ustat_agg *agg, struct ustat_input *in)
{
	const struct ustat_recording *rec = ustat_input__recording(in);
	int i;

	ustat_kev_agg__load_meta(&agg->sig, rec->meta, rec->nr_meta);
	for (i = 0; i < agg->infos->nr; i++) {
		const struct ustat_event_info *info = &agg->infos->ev[i];
		const struct ustat_tp_field *f[USTAT_TP_MAX_FIELDS];
		const char *missing;

		if (info->kind != USTAT_EVENT_KERNEL)
			continue;
		missing = find_fields(in, i, info->signal, f);
		if (missing)
			ustat_warn("%s: %s has no usable field '%s': its samples are not counted",
				   rec->path ? rec->path : "(live)", info->display, missing);
		else
			ustat_kev_agg__set_signal(&agg->sig, i, info->signal, f);
	}
}

int ustat_agg__count_processes(struct ustat_agg *agg, u32 cap)
{
	agg->proc_other = calloc(agg->infos->nr ? agg->infos->nr : 1, sizeof(u64));
	if (!agg->proc_other)
		return -ENOMEM;
	agg->proc_cap = cap;
	return 0;
}

static int count_process(struct ustat_agg *agg, int probe, u32 pid)
{
	u64 key = ustat_map__key2(probe, pid), n = ustat_map__get_num(&agg->proc_hits, key);

	if (!n && agg->proc_hits.nr >= agg->proc_cap) {
		agg->proc_other[probe]++;
		return 0;
	}
	return ustat_map__put_num(&agg->proc_hits, key, n + 1);
}

void ustat_agg__exit(struct ustat_agg *agg)
{
	int i;

	for (i = 0; agg->probes && i < agg->infos->nr; i++) {
		free(agg->probes[i].cpu_hits);
		free(agg->probes[i].lat);
	}
	free(agg->probes);
	free(agg->cpu_hits);
	free(agg->cpu_lost);
	ustat_pairing__exit(&agg->pairing);
	ustat_kev_agg__exit(&agg->sig);
	ustat_map__exit(&agg->proc_hits);
	ustat_map__exit(&agg->count_seen);
	free(agg->proc_other);
	memset(agg, 0, sizeof(*agg));
}

/* Grow *ARR from OLD to room for NEED, new entries 0; *CAP is its room. */
static int grow_u64(u64 **arr, u32 old, u32 need, u32 *cap)
{
	u32 c = old;

	if (ustat_array_grow(*arr, c, need))
		return -ENOMEM;
	memset(*arr + old, 0, (c - old) * sizeof(u64));
	*cap = c;
	return 0;
}

/* Make room for CPU in every per-CPU array (they all share cpu_cap). */
static int grow_cpus(struct ustat_agg *agg, u32 cpu)
{
	u32 cap = agg->cpu_cap;
	int i;

	/* the same old and need give every array the same new room */
	if (grow_u64(&agg->cpu_hits, agg->cpu_cap, cpu + 1, &cap) ||
	    grow_u64(&agg->cpu_lost, agg->cpu_cap, cpu + 1, &cap))
		return -ENOMEM;
	for (i = 0; i < agg->infos->nr; i++)
		if (grow_u64(&agg->probes[i].cpu_hits, agg->cpu_cap, cpu + 1, &cap))
			return -ENOMEM;
	agg->cpu_cap = cap;
	return 0;
}

/* Inline: every sample comes by here, and its CPU almost always has room. */
static inline int ensure_cpu(struct ustat_agg *agg, u32 cpu)
{
	if (cpu >= agg->cpu_cap && grow_cpus(agg, cpu))
		return -ENOMEM;
	if (cpu >= agg->nr_cpus)
		agg->nr_cpus = cpu + 1;
	return 0;
}

/* One hit of event IDX (INFO): inline, for ustat_agg__add()'s every sample. */
static inline int agg_hit(struct ustat_agg *agg, int idx, const struct ustat_event_info *info,
			  u32 cpu, u32 tid, u64 time)
{
	struct ustat_probe_agg *p;
	u64 lat;
	int ret;

	/* A probe's sites count as the probe; each keeps its own count too. */
	agg->probes[idx].site_hits++;
	p = &agg->probes[idx - info->site];
	if (!agg->samples || time < agg->first_time)
		agg->first_time = time;
	if (time > agg->last_time)
		agg->last_time = time;
	agg->samples++;
	p->hits++;
	if (cpu < USTAT_MAX_CPUS) {
		if (ensure_cpu(agg, cpu))
			return -ENOMEM;
		p->cpu_hits[cpu]++;
		agg->cpu_hits[cpu]++;
	} else {
		agg->bad_cpu++;
	}

	if (info->func_idx < 0 || tid == (u32)-1)
		return 0;
	if (info->kind == USTAT_EVENT_PROBE)
		return ustat_pairing__entry(&agg->pairing, tid, info->func_idx, time);
	ret = ustat_pairing__return(&agg->pairing, tid, info->func_idx, time, &lat);
	if (ret < 0)
		return ret;
	if (ret == 0)
		p->unmatched++;
	else
		ustat_hist__add(agg->probes[info->pair].lat, lat);
	return 0;
}

int ustat_agg__sample(struct ustat_agg *agg, int idx, u32 cpu, u32 tid, u64 time)
{
	if (idx < 0 || idx >= agg->infos->nr)
		return -EINVAL;
	return agg_hit(agg, idx, &agg->infos->ev[idx], cpu, tid, time);
}

int ustat_agg__add(struct ustat_agg *agg, int idx, const struct ustat_sample *s)
{
	const struct ustat_event_info *info;

	if (idx < 0 || idx >= agg->infos->nr)
		return -EINVAL;
	info = &agg->infos->ev[idx];
	if (info->kind == USTAT_EVENT_KERNEL)
		return ustat_kev_agg__sample(&agg->sig, idx, s);
	/* Where probes are, for the signals' addresses: no signals, no need. */
	if (agg->has_kevents &&
	    ustat_kev_agg__probe_hit(&agg->sig, ustat_event_info__probe(agg->infos, idx), s))
		return -ENOMEM;
	if (agg->proc_cap && count_process(agg, ustat_event_info__probe(agg->infos, idx), s->pid))
		return -ENOMEM;
	if (agg->cc && ustat_callchains__has(s) && ustat_callchains__add(agg->cc, idx, s))
		return -ENOMEM;
	return agg_hit(agg, idx, info, s->cpu, s->tid, s->time);
}

int ustat_agg__add_hits(struct ustat_agg *agg, int idx, u32 cpu, u64 n)
{
	struct ustat_probe_agg *p;

	if (idx < 0 || idx >= agg->infos->nr || agg->infos->ev[idx].kind == USTAT_EVENT_KERNEL)
		return -EINVAL;
	agg->probes[idx].site_hits += n;
	p = &agg->probes[ustat_event_info__probe(agg->infos, idx)];
	p->hits += n;
	agg->samples += n;
	if (cpu >= USTAT_MAX_CPUS) {
		agg->bad_cpu += n;
		return 0;
	}
	if (ensure_cpu(agg, cpu))
		return -ENOMEM;
	p->cpu_hits[cpu] += n;
	agg->cpu_hits[cpu] += n;
	return 0;
}

void ustat_agg__lost(struct ustat_agg *agg, u32 cpu, u64 nr)
{
	agg->lost += nr;
	agg->lost_records++;
	if (cpu < USTAT_MAX_CPUS && !ensure_cpu(agg, cpu))
		agg->cpu_lost[cpu] += nr;
	else
		agg->lost_unknown_cpu += nr;
}

void ustat_agg__finish(struct ustat_agg *agg)
{
	int i;

	if (ustat_kev_agg__finish(&agg->sig))
		ustat_warn("out of memory: signals are not attributed to probes");
	for (i = 0; i < agg->infos->nr; i++) {
		const struct ustat_event_info *info = &agg->infos->ev[i];

		if (info->kind == USTAT_EVENT_PROBE && info->func_idx >= 0)
			agg->probes[i].open_entries =
				ustat_pairing__open_entries(&agg->pairing, info->func_idx);
	}
}
