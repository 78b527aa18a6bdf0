// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tid-map.h"

static u32 hash_tid(u32 tid)
{
	return tid * 2654435761u;	/* Knuth's multiplicative hash */
}

void ustat_tid_map__init(struct ustat_tid_map *m)
{
	memset(m, 0, sizeof(*m));
}

void ustat_tid_map__exit(struct ustat_tid_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static u32 find_slot(const struct ustat_tid_map *m, u32 key)
{
	u32 i = hash_tid(key) & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *ustat_tid_map__get(const struct ustat_tid_map *m, u32 tid)
{
	u32 i;

	if (!m->cap)
		return NULL;
	i = find_slot(m, tid + 1);
	return m->keys[i] ? m->vals[i] : NULL;
}

static int grow(struct ustat_tid_map *m)
{
	struct ustat_tid_map n;
	u32 i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.nr = m->nr;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		u32 j;

		if (!m->keys[i])
			continue;
		j = find_slot(&n, m->keys[i]);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

int ustat_tid_map__put(struct ustat_tid_map *m, u32 tid, void *val)
{
	u32 i;

	if (tid == (u32)-1)
		return -EINVAL;	/* its key would be the empty marker */
	/* Keep the load under 1/2 so probe chains stay short. */
	if ((m->nr + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	i = find_slot(m, tid + 1);
	if (!m->keys[i]) {
		m->keys[i] = tid + 1;
		m->nr++;
	}
	m->vals[i] = val;
	return 0;
}
