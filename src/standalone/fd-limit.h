/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_FD_LIMIT_H
#define __USTAT_FD_LIMIT_H

#include <stddef.h>

/*
 * Make room for NEED more file descriptors: each uprobe is one perf event
 * per CPU and thread, and 1,000 of them on a few CPUs pass the usual soft
 * limit of 1,024.  The soft RLIMIT_NOFILE is raised up to the hard one, as
 * perf does (rlimit__bump_memlock's habit, for files); past the hard limit
 * it is an error with a sentence in ERR saying what is needed.
 */
int ustat_fd_limit__ensure(unsigned long need, const char *what, char *err, size_t errlen);

#endif /* __USTAT_FD_LIMIT_H */
