/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TARGET_CHECK_H
#define __USTAT_TARGET_CHECK_H

#include <stddef.h>
#include <sys/types.h>

struct Elf;

/*
 * Targets that can never be probed, refused at once instead of waiting
 * for a Ctrl-C that records nothing: a kernel thread (no user code), the
 * tool itself.
 */
int ustat_pid__check_target(pid_t pid, char *err, size_t errlen);
/* A binary for another machine than this one (or its 32-bit compat). */
int ustat_elf__check_machine(struct Elf *elf, const char *path, char *err, size_t errlen);

#endif /* __USTAT_TARGET_CHECK_H */
