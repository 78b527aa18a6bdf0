/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_INSN_CHECK_H
#define __USTAT_INSN_CHECK_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Where a function's instructions start, decoded with the kernel's own
 * x86 instruction decoder (tools/arch/x86/lib/insn.c, the one the kernel
 * runs when it prepares a uprobe).  A uprobe in the middle of an
 * instruction writes its int3 over an operand byte: the target runs a
 * different instruction and usually dies.  So a probe offset is checked
 * against these boundaries before anything is attached.
 */
struct ustat_insn_map {
	u32	*starts;	/* offsets from the function's start, ascending */
	int	 nr;
	u32	 decoded;	/* bytes decoded: all of them, or up to a failure */
	u32	 size;		/* the function's size */
};

/* Decode CODE[0..LEN) linearly from its start. */
int ustat_insn_map__decode(struct ustat_insn_map *m, const u8 *code, size_t len);
void ustat_insn_map__exit(struct ustat_insn_map *m);

/*
 * Is OFF where an instruction starts?  0 if so; else -EINVAL with a
 * sentence in WHY that names the nearest valid offsets of FUNC.
 */
int ustat_insn_map__check(const struct ustat_insn_map *m, u64 off, const char *func,
			  char *why, size_t len);

/*
 * The same for the function at FILE_OFFSET (SIZE bytes) of the open file
 * FD: read, decode, check.
 */
int ustat_insn__check_offset(int fd, u64 file_offset, u64 size, u64 off, const char *func,
			     char *why, size_t len);

/* The length of the instruction at CODE, 0 if it does not decode. */
int ustat_insn__length(const u8 *code, size_t len);

#endif /* __USTAT_INSN_CHECK_H */
