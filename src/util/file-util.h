/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_FILE_UTIL_H
#define __USTAT_FILE_UTIL_H

#include <stddef.h>

/*
 * The whole of a (small) file, NUL-terminated, malloc'ed; NULL with errno
 * set on failure.  libapi's filename__read_str() does not terminate what
 * it reads, and sysfs/tracefs text is parsed as strings here.
 */
char *ustat_read_file(const char *path, size_t *len);

#endif /* __USTAT_FILE_UTIL_H */
