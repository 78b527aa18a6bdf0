// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "util/uprobe-stat/util/debug.h"
#include "fd-limit.h"

/* The descriptors already open (the workload's pipe, the output file...). */
static unsigned long open_fds(void)
{
	unsigned long n = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");

	if (!dir)
		return 16;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

int ustat_fd_limit__ensure(unsigned long need, const char *what, char *err, size_t errlen)
{
	struct rlimit rl;
	unsigned long want;

	/* Some slack for what opens later: mmaps' epoll, the debuginfo, output. */
	want = need + open_fds() + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		snprintf(err, errlen,
			 "%s need %lu file descriptors, more than the hard limit of %llu ('ulimit -Hn'): probe fewer places or raise the limit",
			 what, want, (unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	ustat_debug("raising the open files limit from %llu to %lu for %s",
		    (unsigned long long)rl.rlim_cur, want, what);
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		snprintf(err, errlen, "%s need %lu file descriptors and the limit is %llu: %s",
			 what, want, (unsigned long long)rl.rlim_cur, strerror(errno));
		return -EMFILE;
	}
	return 0;
}
