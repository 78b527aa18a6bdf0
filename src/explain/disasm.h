/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DISASM_H
#define __USTAT_DISASM_H

#include <stddef.h>
#include <linux/types.h>

/*
 * The instruction at CODE[0..LEN) as text, AT&T syntax ("mov %rdi,%rax"),
 * by capstone where the tool is built with it (HAVE_UPROBE_STAT_CAPSTONE);
 * without it, its bytes and the length the kernel's decoder gives
 * ("48 89 f8 (3 bytes)").  0 on success, -1 if it does not decode.
 */
int ustat_disasm(const u8 *code, size_t len, char *out, size_t outlen);
/* "capstone 4.0" or "none" */
const char *ustat_disasm__library(void);

#endif /* __USTAT_DISASM_H */
