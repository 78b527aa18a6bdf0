// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

#define ARRAY_MIN	16

void *ustat_array__grow(void *arr, size_t size, size_t *cap, size_t need, size_t max)
{
	size_t n = *cap > ARRAY_MIN / 2 ? *cap : ARRAY_MIN / 2;
	void *p;

	if (need <= *cap)
		return arr;
	if (!size || need > max || need > SIZE_MAX / size)
		return NULL;
	/* Double while that stays countable; else exactly what is needed. */
	while (n < need && n <= max / 2 && n <= SIZE_MAX / size / 2)
		n *= 2;
	if (n < need)
		n = need;
	if (n > max)
		n = max;
	p = realloc(arr, n * size);
	if (p)
		*cap = n;
	return p;
}
