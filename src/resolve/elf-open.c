// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "elf-open.h"

int ustat_elf__open(const char *path, int *fd, struct Elf **elf, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	elf_version(EV_CURRENT);
	*elf = NULL;
	/* O_NONBLOCK: a FIFO planted as a binary or a debug file must not hang us. */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0) {
		ret = -errno;
		if (err)
			snprintf(err, errlen, "cannot open '%s': %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(*fd, &st) || !S_ISREG(st.st_mode)) {
		if (err)
			snprintf(err, errlen, "'%s' is not a regular file", path);
		close(*fd);
		*fd = -1;
		return -EINVAL;
	}
	*elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (!*elf || elf_kind(*elf) != ELF_K_ELF) {
		if (err)
			snprintf(err, errlen, "'%s' is not an ELF file", path);
		ustat_elf__close(*fd, *elf);
		*fd = -1;
		*elf = NULL;
		return -ENOEXEC;
	}
	return 0;
}

void ustat_elf__close(int fd, Elf *elf)
{
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
}
