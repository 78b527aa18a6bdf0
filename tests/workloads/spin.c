// SPDX-License-Identifier: GPL-2.0
/*
 * Calls target_func() in a loop and prints, every 100 ms, how many calls
 * it made in that interval: a probed function runs at the trap's pace, an
 * unprobed one at full speed, so the tests see a uprobe come and go.
 *
 *	spin SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 5), tick = now() + 0.1;
	unsigned long n = 0, i = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (now() < end) {
		target_func(i++);
		n++;
		if (now() >= tick) {
			printf("%lu\n", n);
			n = 0;
			tick += 0.1;
		}
	}
	return 0;
}
