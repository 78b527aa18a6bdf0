/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_U64_MAP_H
#define __USTAT_U64_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

/*
 * u64 -> pointer, open addressing with linear probing: thread ids for
 * latency pairing, (pid, address) and (pid, xol slot) keys for the kernel
 * signals.  Lookups happen for every event, so it stays a flat array.
 */
struct ustat_map {
	u64	*keys;
	void	**vals;
	bool	*used;
	u32	 nr;
	u32	 cap;		/* a power of two */
};

void ustat_map__init(struct ustat_map *m);
void ustat_map__exit(struct ustat_map *m);
void *ustat_map__get(const struct ustat_map *m, u64 key);
/* Insert or replace; -ENOMEM on failure. */
int ustat_map__put(struct ustat_map *m, u64 key, void *val);

/* The first used slot at or after I, or m->cap when there is none. */
static inline u32 ustat_map__next(const struct ustat_map *m, u32 i)
{
	while (i < m->cap && !m->used[i])
		i++;
	return i;
}

#define ustat_map__for_each(m, i, key, val)					\
	for ((i) = ustat_map__next((m), 0);					\
	     (i) < (m)->cap && ((key) = (m)->keys[i], (val) = (m)->vals[i], true);	\
	     (i) = ustat_map__next((m), (i) + 1))

#define ustat_map__for_each_val(m, i, val)					\
	for ((i) = ustat_map__next((m), 0);					\
	     (i) < (m)->cap && ((val) = (m)->vals[i], true);			\
	     (i) = ustat_map__next((m), (i) + 1))

/* Maps of numbers: the value is stored in the pointer (0 reads as absent). */
static inline u64 ustat_map__get_num(const struct ustat_map *m, u64 key)
{
	void *v = ustat_map__get(m, key);

	return (uintptr_t)v;
}

static inline int ustat_map__put_num(struct ustat_map *m, u64 key, u64 val)
{
	return ustat_map__put(m, key, (void *)(uintptr_t)val);
}

/* Two 32-bit halves in one key, e.g. (pid, slot). */
static inline u64 ustat_map__key2(u32 hi, u32 lo)
{
	return (u64)hi << 32 | lo;
}

#endif /* __USTAT_U64_MAP_H */
