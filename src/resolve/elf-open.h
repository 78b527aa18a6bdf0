/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_ELF_OPEN_H
#define __USTAT_ELF_OPEN_H

#include <stddef.h>
#include <libelf.h>

/*
 * Open PATH read-only and begin reading it as ELF.  On failure nothing is
 * left open: -errno when the file cannot be opened, -ENOEXEC when it is no
 * ELF file, with one line naming the problem in ERR (when ERR is given).
 */
int ustat_elf__open(const char *path, int *fd, struct Elf **elf, char *err, size_t errlen);
void ustat_elf__close(int fd, Elf *elf);

#endif /* __USTAT_ELF_OPEN_H */
