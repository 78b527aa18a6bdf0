// SPDX-License-Identifier: GPL-2.0
/*
 * Calls target_func() until SIGINT or SIGTERM, then prints how many calls
 * it made and exits 0: a test compares that with the hits recorded, to
 * see that no call was made after the probes went away.
 *
 *	counter
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t stop;
static volatile unsigned long sink;

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct sigaction sa;
	unsigned long n = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop)
		target_func(n++);
	printf("calls=%lu\n", n);
	return 0;
}
