// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/perf_event.h>

#include "util/uprobe-stat/resolve/elf-symbols.h"
#include "uprobe-inherit.h"

/* The experiment's probe point: never called, only probed. */
noinline void ustat_inherit_probe_point(void)
{
	__asm__ volatile("" ::: "memory");
}

static int child_main(char *path_page, int go_fd)
{
	pid_t pid;
	char c;

	/* After this, the tool's path pointer means nothing in this process. */
	munmap(path_page, sysconf(_SC_PAGESIZE));
	if (read(go_fd, &c, 1) != 1)
		return 3;
	pid = fork();
	if (pid < 0)
		return errno == EFAULT ? 1 : 2;
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 0;
}

int ustat_uprobe_inherit_works(const struct ustat_uprobe_pmu *pmu)
{
	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_attr attr;
	struct ustat_sym_loc loc;
	char exe[PATH_MAX], err[256];
	int go[2], fd, status = 0, ret;
	char *path_page;
	ssize_t n;
	pid_t pid;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	if (ustat_elf__resolve_func(exe, "ustat_inherit_probe_point", &loc, err, sizeof(err)))
		return -ENOENT;
	path_page = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (path_page == MAP_FAILED)
		return -ENOMEM;
	snprintf(path_page, page, "%s", exe);
	if (pipe(go)) {
		munmap(path_page, page);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out;
	}
	if (!pid) {
		close(go[1]);
		_exit(child_main(path_page, go[0]));
	}
	close(go[0]);
	go[0] = -1;

	ustat_uprobe_pmu__init_attr(pmu, &attr, path_page, loc.file_offset, false, 0);
	attr.inherit = 1;
	fd = syscall(__NR_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		ret = -EIO;
	else
		ret = WEXITSTATUS(status) == 0;
out:
	if (go[0] >= 0)
		close(go[0]);
	close(go[1]);
	munmap(path_page, page);
	return ret;
}
