// SPDX-License-Identifier: GPL-2.0
/*
 * hitloop - call a probe-able function in a loop and print the time per
 * call, to measure what a uprobe hit costs (run it with and without a
 * uprobe on the function; the difference is the cost of a hit).
 *
 * Usage: hitloop xol|nop5 ITERATIONS [churn]
 *
 *   xol   hitloop_xol() starts with "ret": x86 uprobes can neither emulate
 *         nor optimize it, so every hit single-steps a copy in an xol slot
 *         (int3 trap, xol_get_insn_slot(), single-step trap, slot freed).
 *   nop5  hitloop_nop5() starts with a 5-byte nop, which x86 uprobes
 *         turn into a call to the uprobe syscall trampoline after the
 *         first hit (no int3, no xol slot).
 *   churn a second thread mmap()s and munmap()s a page in a loop
 *         meanwhile: each write-locks mmap_lock and bumps mm_lock_seq,
 *         which makes some speculative uprobe lookups fail.
 *
 * Built static so it runs in the busybox initramfs of kernel-qemu.sh.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Naked: the probed instruction must be the first one, whatever -O. */
__attribute__((naked, noinline)) void hitloop_xol(void)
{
	__asm__ volatile("ret");
}

__attribute__((naked, noinline)) void hitloop_nop5(void)
{
	__asm__ volatile(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\tret");
}

static atomic_int stop;

static void *churn(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	void (*fn)(void);
	pthread_t thr;
	int churning = 0;
	long i, n;
	double t0;

	if (argc < 3 || argc > 4 || (strcmp(argv[1], "xol") && strcmp(argv[1], "nop5")) ||
	    (argc == 4 && strcmp(argv[3], "churn"))) {
		fprintf(stderr, "usage: %s xol|nop5 ITERATIONS [churn]\n", argv[0]);
		return 2;
	}
	if (argc == 4)
		churning = !pthread_create(&thr, NULL, churn, NULL);
	fn = strcmp(argv[1], "xol") ? hitloop_nop5 : hitloop_xol;
	n = atol(argv[2]);

	fn();			/* first hit: lets the nop5 probe get optimized */
	t0 = now_ns();
	for (i = 0; i < n; i++)
		fn();
	printf("%.0f\n", (now_ns() - t0) / n);
	if (churning) {
		atomic_store(&stop, 1);
		pthread_join(thr, NULL);
	}
	return 0;
}
