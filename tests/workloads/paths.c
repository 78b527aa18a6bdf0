// SPDX-License-Identifier: GPL-2.0
/*
 * Three functions, each starting with an instruction that sends a uprobe
 * hit down one kernel path, for record --dry-run and the cost of a hit:
 *
 *	paths MARKER CALLS
 *
 * path_nop5 starts with a 5-byte nop (optimised into a call through the
 * uprobe trampoline where the kernel can), path_emul with push %rbp
 * (int3, emulated), path_step with mov %rdi,%rax (int3, single-stepped
 * out of line).  It first creates the file MARKER, so a test can tell it
 * ran, then calls each function CALLS times and prints the three counts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void path_nop5(unsigned long *n);
void path_emul(unsigned long *n);
void path_step(unsigned long *n);

#if defined(__x86_64__)
/* A cache line each: the nop5 never crosses a page, no two share a line. */
#define PATH_FN(name, body)				\
	"	.p2align 6\n"				\
	"	.globl " #name "\n"			\
	"	.type " #name ", @function\n"		\
	#name ":\n"					\
	body						\
	"	ret\n"					\
	"	.size " #name ", . - " #name "\n"

asm(
"	.text\n"
PATH_FN(path_nop5, "	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n	incq (%rdi)\n")
PATH_FN(path_emul, "	push %rbp\n	pop %rbp\n	incq (%rdi)\n")
PATH_FN(path_step, "	mov %rdi, %rax\n	incq (%rax)\n")
);
#else
void path_nop5(unsigned long *n) { ++*n; }
void path_emul(unsigned long *n) { ++*n; }
void path_step(unsigned long *n) { ++*n; }
#endif

int main(int argc, char **argv)
{
	unsigned long a = 0, b = 0, c = 0, calls, i;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: paths MARKER CALLS\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	calls = strtoul(argv[2], NULL, 0);
	for (i = 0; i < calls; i++) {
		path_nop5(&a);
		path_emul(&b);
		path_step(&c);
	}
	printf("nop5=%lu emul=%lu step=%lu\n", a, b, c);
	return 0;
}
