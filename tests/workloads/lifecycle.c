// SPDX-License-Identifier: GPL-2.0
/*
 * A target whose life churns while it is recorded: each round it starts
 * and ends threads that call a function of a library it dlopen()s and
 * dlclose()s (unmapping the probed file), forks a child that calls
 * target_func() and then execs another program, and calls target_func()
 * itself.  It prints what it called, for exact comparison.
 *
 *	lifecycle ROUNDS CALLS LIBRARY
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;
static unsigned long calls;
static int (*lib_func)(int);

__attribute__((noinline, noipa)) void target_func(unsigned long i)
{
	sink += i;
}

static void *thread_main(void *arg)
{
	unsigned long i;

	for (i = 0; i < calls; i++)
		sink += lib_func(i);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long i, rounds, lib_calls = 0, target_calls = 0;
	pthread_t t[2];
	int r, k;

	if (argc < 4)
		return 2;
	rounds = strtoul(argv[1], NULL, 0);
	calls = strtoul(argv[2], NULL, 0);
	for (r = 0; r < (int)rounds; r++) {
		void *lib = dlopen(argv[3], RTLD_NOW);
		pid_t pid;

		if (!lib) {
			fprintf(stderr, "lifecycle: %s\n", dlerror());
			return 3;
		}
		lib_func = (int (*)(int))dlsym(lib, "libelfsym_func");
		for (k = 0; k < 2; k++)
			if (pthread_create(&t[k], NULL, thread_main, NULL))
				return 4;
		for (k = 0; k < 2; k++)
			pthread_join(t[k], NULL);
		lib_calls += 2 * calls;
		dlclose(lib);		/* unmaps the probed library */

		pid = fork();
		if (pid < 0)
			return 5;
		if (!pid) {
			for (i = 0; i < calls; i++)
				target_func(i);
			execl("/bin/true", "true", (char *)NULL);
			_exit(6);
		}
		waitpid(pid, NULL, 0);
		for (i = 0; i < calls; i++)
			target_func(i);
		target_calls += 2 * calls;
	}
	printf("target_func=%lu libelfsym_func=%lu\n", target_calls, lib_calls);
	return 0;
}
