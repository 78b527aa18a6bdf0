// SPDX-License-Identifier: GPL-2.0
/*
 * A process to record with -p: it starts, says so, waits until the test
 * lets it go (a byte on stdin), then creates THREADS new threads that call
 * target_func() CALLS times each, forks a child that calls it CALLS times
 * too, and exits.  Threads and the child are born after the recorder has
 * attached: the test checks they are followed.
 *
 * With "nop5" the threads call target_nop5() instead, which starts with a
 * 5-byte nop: a kernel with the uprobe syscall (6.18 and later) turns a
 * probe there into a call, the cheapest hit there is, so make bench gets
 * the highest hit rate this machine can produce.
 *
 *	waiter THREADS CALLS [fork|nop5]
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;
static unsigned long calls;

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

#ifdef __x86_64__
unsigned long nop5_calls;

/* Naked, so the nop is the first instruction; aligned, so it is in one page. */
__attribute__((naked, noinline, aligned(64))) void target_nop5(void)
{
	asm(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"	/* nopl 0x0(%rax,%rax,1) */
	    "lock incq nop5_calls(%rip)\n\t"
	    "ret");
}
#else
void target_nop5(void)
{
	sink++;
}
#endif

static bool use_nop5;

static void *thread_main(void *arg)
{
	unsigned long i;

	if (use_nop5) {
		for (i = 0; i < calls; i++)
			target_nop5();
		return NULL;
	}
	for (i = 0; i < calls; i++)
		target_func(i);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads, i, err, do_fork;
	pthread_t *t;
	char c;

	if (argc < 3)
		return 2;
	threads = atoi(argv[1]);
	calls = strtoul(argv[2], NULL, 0);
	do_fork = argc > 3 && !strcmp(argv[3], "fork");
	use_nop5 = argc > 3 && !strcmp(argv[3], "nop5");
	t = calloc(threads, sizeof(*t));
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (read(0, &c, 1) != 1)
		return 3;
	for (i = 0; i < threads; i++) {
		err = pthread_create(&t[i], NULL, thread_main, NULL);
		if (err) {
			fprintf(stderr, "waiter: pthread_create: %s\n", strerror(err));
			return 4;
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	if (do_fork) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("waiter: fork");
			return 5;
		}
		if (!pid) {
			thread_main(NULL);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	printf("done %lu\n", (threads + do_fork) * calls);
	return 0;
}
