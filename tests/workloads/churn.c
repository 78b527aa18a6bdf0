// SPDX-License-Identifier: GPL-2.0
/*
 * mm_lock_seq churn beside uprobe hits, for the speculation-failure tests:
 *
 *	churn CALLS [nochurn]
 *
 * One thread calls target_func() CALLS times.  Unless "nochurn", a second
 * thread maps and unmaps a page in a loop until the first is done: each
 * mmap/munmap takes mmap_lock for writing and bumps mm->mm_lock_seq, so
 * the lockless uprobe lookup of a concurrent hit must fall back to
 * mmap_read_lock().  Prints the hits and the churn operations it made.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static volatile unsigned long sink;
static atomic_int done;
static unsigned long churned;

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

/* Hitter and churner on different CPUs, so that they really overlap. */
static void pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *hitter(void *arg)
{
	unsigned long i, calls = *(unsigned long *)arg;

	pin(1);
	for (i = 0; i < calls; i++)
		target_func(i);
	atomic_store(&done, 1);
	return NULL;
}

static void *churner(void *arg)
{
	pin(0);
	while (!atomic_load(&done)) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, 4096);
		churned++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long calls;
	pthread_t h, c;
	int churn;

	if (argc < 2)
		return 2;
	calls = strtoul(argv[1], NULL, 0);
	churn = !(argc > 2 && !strcmp(argv[2], "nochurn"));
	if (churn)
		pthread_create(&c, NULL, churner, NULL);
	pthread_create(&h, NULL, hitter, &calls);
	pthread_join(h, NULL);
	if (churn)
		pthread_join(c, NULL);
	printf("hits=%lu churn=%lu\n", calls, churned);
	return 0;
}
