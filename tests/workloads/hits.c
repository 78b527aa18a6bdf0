// SPDX-License-Identifier: GPL-2.0
/*
 * A workload whose probe hits are known exactly, for end-to-end tests:
 *
 *	hits THREADS CALLS [DEPTH]
 *
 * Each thread calls target_func() CALLS times and recurse(DEPTH) once
 * (DEPTH + 1 calls of recurse, nested), and nest_outer() once, which calls
 * nest_inner() twice.  It prints the totals it made so tests compare them
 * with what was recorded.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* noipa: no cloning, no inlining, no turning recursion into a loop. */
#define noinline __attribute__((noinline, noipa))

static volatile unsigned long sink;

noinline void target_func(unsigned long i)
{
	sink += i;
	__asm__ volatile("" ::: "memory");
}

noinline unsigned long recurse(int depth)
{
	unsigned long r;

	if (depth <= 0)
		return 0;
	r = recurse(depth - 1);
	__asm__ volatile("" : "+r"(r));	/* a real call, not a tail loop */
	return r + 1;
}

noinline void nest_inner(void)
{
	sink++;
	__asm__ volatile("" ::: "memory");
}

noinline void nest_outer(void)
{
	nest_inner();
	nest_inner();
	__asm__ volatile("" ::: "memory");
}

static unsigned long calls;
static int depth;

static void *thread_main(void *arg)
{
	unsigned long i;

	for (i = 0; i < calls; i++)
		target_func(i);
	recurse(depth);
	nest_outer();
	return NULL;
}

int main(int argc, char **argv)
{
	int threads, i;
	pthread_t *t;

	if (argc < 3) {
		fprintf(stderr, "usage: hits THREADS CALLS [DEPTH]\n");
		return 2;
	}
	threads = atoi(argv[1]);
	calls = strtoul(argv[2], NULL, 0);
	depth = argc > 3 ? atoi(argv[3]) : 3;
	t = calloc(threads, sizeof(*t));
	if (!t || threads < 1)
		return 2;
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, thread_main, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("target_func=%lu recurse=%lu nest_outer=%d nest_inner=%d\n",
	       threads * calls, (unsigned long)threads * (depth + 1), threads, 2 * threads);
	free(t);
	return 0;
}
