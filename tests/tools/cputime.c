// SPDX-License-Identifier: GPL-2.0
/*
 * cputime -o FILE CMD [ARGS]: run CMD, then write "USER SYS MAXRSS_KIB
 * ELAPSED" to FILE, as /usr/bin/time -f "%U %S %M %e" does, but with the
 * CPU times in microseconds: time(1) prints hundredths, and make bench
 * divides recorders' CPU by a million events (10 ms is 10 ns an event,
 * a fifth of the figure measured).  Exits with CMD's status (128 + the
 * signal that killed it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static double secs(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	const char *out;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 4 || strcmp(argv[1], "-o")) {
		fprintf(stderr, "usage: cputime -o FILE CMD [ARGS]\n");
		return 2;
	}
	out = argv[2];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("cputime: fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "cputime: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("cputime: wait4");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "cputime: %s: %s\n", out, strerror(errno));
		return 2;
	}
	fprintf(f, "%.6f %.6f %ld %.3f\n", secs(&ru.ru_utime), secs(&ru.ru_stime), ru.ru_maxrss,
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (fclose(f))
		return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
