// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "event-info.h"
#include "meta.h"
#include "backend.h"

#define RETURN_SUFFIX "__return"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Fill INFO from our metadata record; false when there is none. */
static bool from_meta(struct ustat_event_info *info, const char *meta)
{
	unsigned long long ret = 0, func_offset = 0, site = 0, sites = 1;
	char buf[PATH_MAX];

	if (!meta || ustat_meta__get(meta, "display", buf, sizeof(buf)) < 0)
		return false;
	info->display = strdup(buf);
	if (ustat_meta__get(meta, "binary", buf, sizeof(buf)) > 0)
		info->binary = strdup(buf);
	if (ustat_meta__get(meta, "func", buf, sizeof(buf)) > 0)
		info->func = strdup(buf);
	ustat_meta__get_u64(meta, "return", &ret);
	ustat_meta__get_u64(meta, "func_offset", &func_offset);
	info->at_entry = !func_offset;
	/* An inlined copy, a line or a USDT site is no entry a return pairs with. */
	if (ustat_meta__get(meta, "site_kind", buf, sizeof(buf)) > 0 && strcmp(buf, "func"))
		info->at_entry = false;
	ustat_meta__get_u64(meta, "site", &site);
	ustat_meta__get_u64(meta, "sites", &sites);
	if (sites > 1 && sites <= 65536 && site < sites) {
		info->site = site;
		info->nr_sites = sites;
	}
	info->kind = ret ? USTAT_EVENT_RETPROBE : USTAT_EVENT_PROBE;
	if (ustat_meta__get(meta, "kind", buf, sizeof(buf)) > 0 && strcmp(buf, "uprobe"))
		info->kind = USTAT_EVENT_OTHER;	/* tracepoints: see signal_of() */
	return true;
}

/* A kernel signal is a tracepoint named "system:name", in any file. */
static enum ustat_kevent signal_of(const struct ustat_event_desc *ev)
{
	const char *colon = strchr(ev->name, ':');
	char sys[64];

	if (!ev->tracepoint || !colon || colon - ev->name >= (long)sizeof(sys))
		return USTAT_KEV_NONE;
	memcpy(sys, ev->name, colon - ev->name);
	sys[colon - ev->name] = '\0';
	return ustat_kevent__lookup(sys, colon + 1);
}

/* perf probe names events "group:func" and "group:func__return". */
static void from_name(struct ustat_event_info *info, const struct ustat_event_desc *ev)
{
	const char *colon = strchr(ev->name, ':');

	if (!info->display)
		info->display = strdup(ev->name);
	if (!ev->tracepoint || !colon || strncmp(ev->name, "probe", 5)) {
		info->kind = USTAT_EVENT_OTHER;
		return;
	}
	info->kind = ends_with(ev->name, RETURN_SUFFIX) ? USTAT_EVENT_RETPROBE :
							     USTAT_EVENT_PROBE;
	info->func = strdup(colon + 1);
	info->at_entry = true;
	if (info->func && info->kind == USTAT_EVENT_RETPROBE)
		info->func[strlen(info->func) - strlen(RETURN_SUFFIX)] = '\0';
}

/* Entry and return of one function: same binary (when known), same group and func. */
static bool same_function(const struct ustat_event_info *a, const struct ustat_event_desc *ea,
			  const struct ustat_event_info *b, const struct ustat_event_desc *eb)
{
	const char *ca = strchr(ea->name, ':'), *cb = strchr(eb->name, ':');

	if (!a->func || !b->func || !a->at_entry || strcmp(a->func, b->func))
		return false;
	if (a->binary || b->binary)
		return a->binary && b->binary && !strcmp(a->binary, b->binary);
	/* No paths: the perf probe group names the binary. */
	return ca && cb && ca - ea->name == cb - eb->name &&
	       !strncmp(ea->name, eb->name, ca - ea->name);
}

static void stand_alone(struct ustat_event_info *info)
{
	info->site = 0;
	info->nr_sites = 0;
}

/*
 * The sites of a probe follow its first event in order, with the same
 * name and kind; what a damaged file claims beyond that stands alone, so
 * every view can take a probe's sites as IDX .. IDX + nr_sites - 1.
 */
static void group_sites(struct ustat_event_infos *infos)
{
	int i, j, n;

	for (i = 0; i < infos->nr; i++) {
		struct ustat_event_info *first = &infos->ev[i];

		if (first->site) {
			/* Not reached from a first site: no group to belong to. */
			stand_alone(first);
			continue;
		}
		if (first->nr_sites <= 1) {
			stand_alone(first);
			continue;
		}
		for (n = 1; n < first->nr_sites && i + n < infos->nr; n++) {
			const struct ustat_event_info *e = &infos->ev[i + n];

			if (e->site != n || e->nr_sites != first->nr_sites ||
			    e->kind != first->kind || strcmp(e->display, first->display))
				break;
		}
		for (j = i; j < i + n; j++)
			infos->ev[j].nr_sites = n > 1 ? n : 0;
		if (n == 1)
			stand_alone(first);
		i += n - 1;
	}
}

int ustat_event_infos__build(struct ustat_event_infos *infos,
			     const struct ustat_event_desc *ev, int nr)
{
	int i, j;

	infos->nr = nr;
	infos->nr_funcs = 0;
	infos->ev = calloc(nr ? nr : 1, sizeof(*infos->ev));
	if (!infos->ev)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct ustat_event_info *info = &infos->ev[i];

		info->pair = -1;
		info->func_idx = -1;
		info->signal = signal_of(&ev[i]);
		if (info->signal != USTAT_KEV_NONE) {
			info->kind = USTAT_EVENT_KERNEL;
			info->display = strdup(ev[i].name);
		} else if (!from_meta(info, ev[i].meta)) {
			from_name(info, &ev[i]);
		}
		if (!info->display)
			return -ENOMEM;
	}
	group_sites(infos);
	/* Each return probe pairs with the first unpaired entry of its function. */
	for (i = 0; i < infos->nr; i++) {
		struct ustat_event_info *ret = &infos->ev[i];

		if (ret->kind != USTAT_EVENT_RETPROBE)
			continue;
		for (j = 0; j < infos->nr; j++) {
			struct ustat_event_info *ent = &infos->ev[j];

			if (ent->kind != USTAT_EVENT_PROBE || ent->pair >= 0 ||
			    !same_function(ent, &ev[j], ret, &ev[i]))
				continue;
			ent->pair = i;
			ret->pair = j;
			ent->func_idx = ret->func_idx = infos->nr_funcs++;
			break;
		}
	}
	return 0;
}

void ustat_event_infos__exit(struct ustat_event_infos *infos)
{
	int i;

	for (i = 0; i < infos->nr; i++) {
		free(infos->ev[i].display);
		free(infos->ev[i].binary);
		free(infos->ev[i].func);
	}
	free(infos->ev);
	memset(infos, 0, sizeof(*infos));
}
