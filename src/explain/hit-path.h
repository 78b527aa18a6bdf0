/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_HIT_PATH_H
#define __USTAT_HIT_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * What the kernel will do on a hit of a uprobe, decided by the instruction
 * at the site when the probe is installed (arch/x86/kernel/uprobes.c):
 * these are the rules as this tool understands them, checked against what
 * bench observes (bench-kernel.c), not the kernel's code.
 */
enum ustat_hit_path {
	USTAT_PATH_OPTIMISED,	/* a 5-byte nop rewritten into a call to [uprobes-trampoline] */
	USTAT_PATH_EMULATED,	/* int3 trap, the instruction emulated */
	USTAT_PATH_SINGLESTEP,	/* int3 trap, the instruction single-stepped out of line */
	USTAT_PATH_REFUSED,	/* the kernel will not put a uprobe there */
	USTAT_PATH_UNKNOWN,	/* not decoded, or not an x86-64 kernel */
	USTAT_PATH_NR,
};

/* What the running kernel can do that changes the paths. */
struct ustat_hit_kernel {
	bool	 uprobe_syscall;	/* nop5 optimisation (Linux 6.18) */
	bool	 emulates_nops;		/* all x86 nops emulated, not only 0x90 (6.15) */
	bool	 x86_64;
};

struct ustat_hit_site {
	enum ustat_hit_path	 path;
	u8			 bytes[16];	/* the instruction's bytes, as in the file */
	int			 nr_bytes;	/* read */
	int			 length;	/* decoded length, 0 if it did not decode */
	char			 why[160];	/* the rule that decided */
};

void ustat_hit_kernel__probe(struct ustat_hit_kernel *k);
/*
 * Classify the instruction at CODE[0..LEN) of a 64-bit process; PAGE_OFF
 * is the site's offset in its page (a nop5 crossing a page is not
 * optimised).
 */
void ustat_hit_path__classify(const struct ustat_hit_kernel *k, const u8 *code, size_t len,
			      u64 page_off, struct ustat_hit_site *site);
/* Read the instruction at file offset OFF of PATH and classify it. */
int ustat_hit_path__classify_file(const struct ustat_hit_kernel *k, const char *path, u64 off,
				  struct ustat_hit_site *site);

const char *ustat_hit_path__name(enum ustat_hit_path p);
/* USTAT_PATH_NR if NAME is none of them. */
enum ustat_hit_path ustat_hit_path__parse(const char *name);

#endif /* __USTAT_HIT_PATH_H */
