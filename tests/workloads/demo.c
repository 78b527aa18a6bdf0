// SPDX-License-Identifier: GPL-2.0
/*
 * The demo workload of 'make demo': a small request server in miniature.
 * Worker threads take "requests", parse them, look keys up in a shared
 * table and sometimes recurse; each function is a probe-worthy symbol.
 *
 *	demo [THREADS [REQUESTS_PER_THREAD]]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* noipa: every function stays a real, probe-able call. */
#define noinline __attribute__((noinline, noipa))

static unsigned long table[1024];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

noinline unsigned long parse_request(unsigned long seed)
{
	unsigned long h = seed * 0x9e3779b97f4a7c15UL;
	int i;

	for (i = 0; i < 64; i++)
		h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9UL;
	return h;
}

noinline unsigned long lookup_key(unsigned long key)
{
	unsigned long v;

	pthread_mutex_lock(&table_lock);
	v = table[key % 1024]++;
	pthread_mutex_unlock(&table_lock);
	return v;
}

noinline unsigned long walk_tree(int depth)
{
	unsigned long r;

	if (depth <= 0)
		return 1;
	r = walk_tree(depth - 1);
	__asm__ volatile("" : "+r"(r));	/* keep the recursion a recursion */
	return r + 1;
}

noinline unsigned long handle_request(unsigned long seed)
{
	unsigned long key = parse_request(seed);

	if ((seed & 7) == 0)
		key += walk_tree((int)(seed % 5) + 1);
	return lookup_key(key);
}

struct worker {
	pthread_t	thread;
	unsigned long	id;
	unsigned long	requests;
	unsigned long	sum;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->requests; i++)
		w->sum += handle_request(w->id * 1000003UL + i);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	unsigned long requests = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000;
	struct worker *w;
	unsigned long sum = 0;
	int i;

	if (threads < 1 || threads > 1024) {
		fprintf(stderr, "demo: THREADS must be 1..1024\n");
		return 2;
	}
	w = calloc(threads, sizeof(*w));
	if (!w)
		return 1;
	for (i = 0; i < threads; i++) {
		w[i].id = i;
		w[i].requests = requests;
		pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		sum += w[i].sum;
	}
	printf("demo: %d threads handled %lu requests (checksum %lu)\n", threads,
	       threads * requests, sum % 1000);
	free(w);
	return 0;
}
