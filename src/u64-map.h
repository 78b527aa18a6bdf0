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

#define ustat_map__for_each(m, i, key, val)				\
	for ((i) = 0; (i) < (m)->cap; (i)++)				\
		if ((m)->used[i] && ((key) = (m)->keys[i], (val) = (m)->vals[i], 1))

#define ustat_map__for_each_val(m, i, val)				\
	for ((i) = 0; (i) < (m)->cap; (i)++)				\
		if ((m)->used[i] && ((val) = (m)->vals[i], 1))

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
