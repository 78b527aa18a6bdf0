// SPDX-License-Identifier: GPL-2.0
/*
 * callers [A [B [fork]]]: cg_hot() called A times (300) from cg_caller_a()
 * and B times (700) from cg_caller_b(), for callchain tests; with "fork",
 * by a child forked without exec too (its mappings are its parent's).
 * Built twice, with and without frame pointers (callers, callers-nofp).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define noinline __attribute__((noinline, noipa))

volatile int sink;

noinline void cg_leaf(int v)
{
	sink += v;
	__asm__ volatile("" ::: "memory");
}

/*
 * Not a leaf: gcc gives a leaf no frame even with -fno-omit-frame-pointer,
 * and the kernel finds a function's caller at its entry only when it
 * starts with the push of the frame pointer.
 */
noinline void cg_hot(int v)
{
	cg_leaf(v);
	__asm__ volatile("" ::: "memory");
}

noinline void cg_caller_a(int n)
{
	int i;

	for (i = 0; i < n; i++)
		cg_hot(i);
	__asm__ volatile("" ::: "memory");	/* the calls above stay calls, not a jump */
}

noinline void cg_caller_b(int n)
{
	int i;

	for (i = 0; i < n; i++)
		cg_hot(i);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	pid_t child = -1;
	int status;

	if (argc > 3 && !strcmp(argv[3], "fork"))
		child = fork();
	cg_caller_a(argc > 1 ? atoi(argv[1]) : 300);
	cg_caller_b(argc > 2 ? atoi(argv[2]) : 700);
	if (child > 0 && (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
			  WEXITSTATUS(status)))
		return 1;
	return child < 0 && argc > 3 ? 1 : 0;
}
