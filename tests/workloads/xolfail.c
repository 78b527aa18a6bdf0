// SPDX-License-Identifier: GPL-2.0
/*
 * A single-stepped uprobe hit in a process whose address space is full,
 * for the uprobes_core:xol_area_fail test (tests/kernel/e2e.sh):
 *
 *	xolfail [MS]
 *
 * Fills every free page of the address space with PROT_NONE mappings
 * (nothing is reserved or touched), then calls xol_func() once.  The
 * kernel needs a page for the mm's xol area at the first hit that must
 * be single-stepped; with no room for it the hit is restarted, and hits
 * again, for as long as there is none.  A second thread frees the
 * mappings after MS milliseconds (default 200), so the call completes.
 * Prints what it mapped and "calls=1".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#define MAX_MAPS	4096

static struct { void *p; size_t len; } maps[MAX_MAPS];
static int nr_maps;
static atomic_int filled;
static long wait_ms = 200;
static volatile unsigned long sink;

/* rip-relative: the kernel single-steps it in an xol slot. */
__attribute__((noinline, noipa)) void xol_func(unsigned long i)
{
	sink += i;
}

static int map_at(void *hint, size_t len)
{
	void *p;

	if (nr_maps == MAX_MAPS)
		return -1;
	p = mmap(hint, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	maps[nr_maps].p = p;
	maps[nr_maps].len = len;
	nr_maps++;
	return 0;
}

/*
 * Largest first, down to a page. A hint above 47 bits lets the kernel
 * search the whole address space where 5-level paging gives one; the
 * xol area is asked for just below TASK_SIZE, hence the two hints there.
 */
static void fill(void)
{
	void *top_hints[] = { (void *)((1UL << 47) - 2 * 4096), (void *)((1UL << 56) - 2 * 4096) };
	unsigned int i;
	int shift;

	for (i = 0; i < sizeof(top_hints) / sizeof(top_hints[0]); i++)
		map_at(top_hints[i], 4096);
	for (shift = 56; shift >= 12; shift--) {
		while (!map_at((void *)(1UL << 47), 1UL << shift))
			;
		while (!map_at(NULL, 1UL << shift))
			;
	}
}

static void *freer(void *arg)
{
	struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };
	int i;

	(void)arg;
	while (!atomic_load(&filled))
		;
	nanosleep(&ts, NULL);
	for (i = 0; i < nr_maps; i++)
		munmap(maps[i].p, maps[i].len);
	return NULL;
}

int main(int argc, char **argv)
{
	volatile char stack[64 << 10];
	unsigned long total = 0;
	pthread_t t;
	int i;

	if (argc > 1)
		wait_ms = strtol(argv[1], NULL, 0);
	/* The stack is not to grow while nothing can be mapped. */
	memset((char *)stack, 0, sizeof(stack));
	printf("xolfail: filling the address space\n");
	fflush(stdout);
	pthread_create(&t, NULL, freer, NULL);
	fill();
	atomic_store(&filled, 1);
	xol_func(1);
	pthread_join(t, NULL);
	for (i = 0; i < nr_maps; i++)
		total += maps[i].len >> 12;
	printf("mappings=%d pages=%lu calls=1\n", nr_maps, total);
	return 0;
}
