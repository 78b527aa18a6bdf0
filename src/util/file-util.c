// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "array.h"
#include "file-util.h"

/* tracefs and sysfs files report size 0: read until EOF, growing as needed. */
char *ustat_read_file(const char *path, size_t *len)
{
	size_t size = 0, cap = 4096;
	char *buf;
	ssize_t r;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		if (ustat_array_grow(buf, cap, size + 2))
			goto fail;
		r = read(fd, buf + size, cap - size - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		size += r;
	}
	close(fd);
	buf[size] = '\0';
	if (len)
		*len = size;
	return buf;
fail:
	e = errno;
	free(buf);
	close(fd);
	errno = e;
	return NULL;
}
