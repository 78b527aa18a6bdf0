/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TID_MAP_H
#define __USTAT_TID_MAP_H

#include <linux/types.h>

/*
 * Thread id -> per-thread state, open addressing with linear probing.
 * Threads come and go by the thousand in real targets; lookups happen on
 * every return probe, so this stays a flat array, not a tree.
 */
struct ustat_tid_map {
	u32	*keys;		/* tid + 1; 0 marks an empty slot */
	void	**vals;
	u32	 nr;
	u32	 cap;		/* a power of two */
};

void ustat_tid_map__init(struct ustat_tid_map *m);
void ustat_tid_map__exit(struct ustat_tid_map *m);
void *ustat_tid_map__get(const struct ustat_tid_map *m, u32 tid);
/* Insert or replace; -ENOMEM, or -EINVAL for tid (u32)-1 (no tid). */
int ustat_tid_map__put(struct ustat_tid_map *m, u32 tid, void *val);

#define ustat_tid_map__for_each(m, i, tid, val)				\
	for ((i) = 0; (i) < (m)->cap; (i)++)				\
		if ((m)->keys[i] && ((tid) = (m)->keys[i] - 1, (val) = (m)->vals[i], 1))

#endif /* __USTAT_TID_MAP_H */
