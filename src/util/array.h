/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_ARRAY_H
#define __USTAT_ARRAY_H

#include <errno.h>
#include <stddef.h>

/*
 * Growable arrays: ARR has room for CAP elements; make it NEED.  The
 * capacity doubles (at least 16), so appending one at a time is linear.
 * Sizes are checked: past what CAP's type or size_t can count, -ENOMEM.
 * On failure ARR and CAP are unchanged and still valid.
 *
 *	if (ustat_array_grow(v->items, v->cap, v->nr + 1))
 *		return -ENOMEM;
 *	v->items[v->nr++] = item;
 */
void *ustat_array__grow(void *arr, size_t size, size_t *cap, size_t need, size_t max);

/* The largest value of X's integer type, as a size_t (X >= 0 assumed). */
#define ustat_array__max_of(x)							\
	((typeof(x))-1 > 0 ? (size_t)(typeof(x))-1 :				\
			     (size_t)((1ULL << (sizeof(x) * 8 - 1)) - 1))

/* Room enough already is success, even for a NULL ARR (NEED 0). */
#define ustat_array_grow(arr, cap, need)					\
({										\
	size_t __cap = (cap), __need = (need);					\
	int __ret = 0;								\
	if (__need > __cap) {							\
		void *__p = ustat_array__grow((arr), sizeof(*(arr)), &__cap,	\
					      __need, ustat_array__max_of(cap)); \
		if (__p) {							\
			(arr) = __p;						\
			(cap) = __cap;						\
		} else {							\
			__ret = -ENOMEM;					\
		}								\
	}									\
	__ret;									\
})

#endif /* __USTAT_ARRAY_H */
