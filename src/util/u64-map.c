// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "u64-map.h"

static u32 hash_key(u64 key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;	/* a 64-bit finaliser mix */
	key ^= key >> 33;
	return (u32)key;
}

void ustat_map__init(struct ustat_map *m)
{
	memset(m, 0, sizeof(*m));
}

void ustat_map__exit(struct ustat_map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

static u32 find_slot(const struct ustat_map *m, u64 key)
{
	u32 i = hash_key(key) & (m->cap - 1);

	while (m->used[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *ustat_map__get(const struct ustat_map *m, u64 key)
{
	u32 i;

	if (!m->cap)
		return NULL;
	i = find_slot(m, key);
	return m->used[i] ? m->vals[i] : NULL;
}

static int grow(struct ustat_map *m)
{
	struct ustat_map n;
	u32 i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.nr = m->nr;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	n.used = calloc(n.cap, sizeof(*n.used));
	if (!n.keys || !n.vals || !n.used) {
		free(n.keys);
		free(n.vals);
		free(n.used);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		u32 j;

		if (!m->used[i])
			continue;
		j = find_slot(&n, m->keys[i]);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
		n.used[j] = true;
	}
	ustat_map__exit(m);
	*m = n;
	return 0;
}

int ustat_map__put(struct ustat_map *m, u64 key, void *val)
{
	u32 i;

	/* Keep the load under 1/2 so probe chains stay short. */
	if ((m->nr + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	i = find_slot(m, key);
	if (!m->used[i]) {
		m->used[i] = true;
		m->keys[i] = key;
		m->nr++;
	}
	m->vals[i] = val;
	return 0;
}
