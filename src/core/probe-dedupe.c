// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/uprobe-stat/util/debug.h"
#include "probe-dedupe.h"
#include "util/uprobe-stat/util/u64-map.h"

/* FNV-1a; a key that matches is checked against the strings themselves. */
static u64 hash_str(const char *s, u64 h)
{
	if (!h)
		h = 0xcbf29ce484222325ULL;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;	/* 0 is the map's "absent" */
}

static u64 site_key(const struct ustat_probe *p)
{
	u64 h = hash_str(p->path, 0);

	h ^= (p->offset + 1) * 0x9e3779b97f4a7c15ULL;
	h ^= p->spec.is_return ? 0x5bd1e995ULL : 0;
	return h ? h : 1;
}

int ustat_specs__dedupe(int *argc, const char **argv)
{
	struct ustat_map seen, times;
	int i, n = 0, ret = 0;
	void *val;
	u64 key;
	u32 k;

	ustat_map__init(&seen);
	ustat_map__init(&times);
	for (i = 0; i < *argc; i++) {
		u64 h = hash_str(argv[i], 0);
		u64 first = ustat_map__get_num(&seen, h);

		/* first - 1: the index in the compacted ARGV of the kept copy */
		if (first && !strcmp(argv[first - 1], argv[i])) {
			ret = ustat_map__put_num(&times, first,
						 ustat_map__get_num(&times, first) + 1);
			if (ret)
				break;
			continue;
		}
		if (!first) {
			ret = ustat_map__put_num(&seen, h, n + 1);
			if (ret)
				break;
		}
		argv[n++] = argv[i];
	}
	if (!ret) {
		ustat_map__for_each(&times, k, key, val)
			ustat_warn("probe '%s' given %llu times: it is probed once",
				   argv[key - 1], (unsigned long long)(uintptr_t)val + 1);
		*argc = n;
	}
	ustat_map__exit(&seen);
	ustat_map__exit(&times);
	return ret;
}

static bool same_site(const struct ustat_probe *a, const struct ustat_probe *b)
{
	return a->offset == b->offset && a->spec.is_return == b->spec.is_return &&
	       !strcmp(a->path, b->path);
}

int ustat_probes__dedupe_sites(struct ustat_probe *probes, int *nr)
{
	struct ustat_map seen;
	int i, n = 0, ret = 0;

	ustat_map__init(&seen);
	for (i = 0; i < *nr; i++) {
		struct ustat_probe *p = &probes[i];
		u64 first;

		if (p->nr_sites == 1) {
			first = ustat_map__get_num(&seen, site_key(p));
			if (first && same_site(&probes[first - 1], p)) {
				ustat_warn("probe '%s' is the same site as '%s': it is probed once",
					   p->display, probes[first - 1].display);
				ustat_probe__exit(p);
				continue;
			}
			if (!first) {
				ret = ustat_map__put_num(&seen, site_key(p), n + 1);
				if (ret)
					break;
			}
		}
		if (n != i)
			probes[n] = *p;
		n++;
	}
	if (ret) {
		/* Out of memory half way: keep the rest as they are. */
		for (; i < *nr; i++, n++)
			if (n != i)
				probes[n] = probes[i];
	}
	*nr = n;
	ustat_map__exit(&seen);
	return ret;
}

/*
 * perf probe style _1, _2 ... for names already taken by an earlier probe;
 * NEXT remembers, per base name, the suffix to try next.
 */
void ustat_probes__uniq_names(struct ustat_probe *probes, int nr)
{
	struct ustat_map taken, next;
	int i;

	ustat_map__init(&taken);
	ustat_map__init(&next);
	for (i = 0; i < nr; i++) {
		char base[256];
		u64 h = hash_str(probes[i].event, 0), n;

		if (!ustat_map__get_num(&taken, h)) {
			if (ustat_map__put_num(&taken, h, 1))
				break;
			continue;
		}
		snprintf(base, sizeof(base), "%s", probes[i].event);
		for (n = ustat_map__get_num(&next, h) + 1;; n++) {
			snprintf(probes[i].event, sizeof(probes[i].event), "%.240s_%llu", base,
				 (unsigned long long)n);
			if (!ustat_map__get_num(&taken, hash_str(probes[i].event, 0)))
				break;
		}
		if (ustat_map__put_num(&next, h, n) ||
		    ustat_map__put_num(&taken, hash_str(probes[i].event, 0), 1))
			break;
	}
	ustat_map__exit(&taken);
	ustat_map__exit(&next);
}
