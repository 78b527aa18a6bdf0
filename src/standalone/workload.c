// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/uprobe-stat/util/array.h"
#include "workload.h"

/* The command's stdio: stdin from /dev/null, stdout and stderr to OUTPUT. */
static int open_stdio(const char *output, int fds[2], char *err, size_t errlen)
{
	fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fds[1] = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fds[0] >= 0 && fds[1] >= 0)
		return 0;
	snprintf(err, errlen, "cannot open '%s' for the command's output: %s",
		 fds[1] < 0 ? output : "/dev/null", strerror(errno));
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return -EINVAL;
}

int ustat_workload__prepare(struct ustat_workload *w, const char **argv, const char *output,
			    bool stdout_to_stderr, char *err, size_t errlen)
{
	int go[2], ex[2], stdio[2] = { -1, -1 };

	memset(w, 0, sizeof(*w));
	w->go_fd = w->err_fd = -1;
	if (output && open_stdio(output, stdio, err, errlen))
		return -EINVAL;
	if (pipe2(go, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		w->pid = -1;
	} else {
		w->pid = fork();
		if (w->pid < 0)
			snprintf(err, errlen, "fork: %s", strerror(errno));
	}
	if (w->pid && output) {
		close(stdio[0]);
		close(stdio[1]);
	}
	if (w->pid < 0)
		return -EAGAIN;
	if (!w->pid) {
		char c;
		int e;

		close(go[1]);
		close(ex[0]);
		/* Parent closing without a byte means setup failed: do not run. */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		if (output && (dup2(stdio[0], 0) < 0 || dup2(stdio[1], 1) < 0 ||
			       dup2(stdio[1], 2) < 0))
			_exit(127);
		/* As perf's evlist__prepare_workload() does for pipe output. */
		if (!output && stdout_to_stderr && dup2(2, 1) < 0)
			_exit(127);
		/* The recorder ignores SIGPIPE in pipe mode; the command must not inherit that. */
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char **)argv);
		e = errno;
		if (write(ex[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ex[1]);
	w->go_fd = go[1];
	w->err_fd = ex[0];
	return 0;
}

int ustat_workload__start(struct ustat_workload *w, const char *cmd,
			  char *err, size_t errlen)
{
	ssize_t n;
	int e;

	if (write(w->go_fd, "g", 1) != 1) {
		snprintf(err, errlen, "cannot start '%s': %s", cmd, strerror(errno));
		return -EIO;
	}
	close(w->go_fd);
	w->go_fd = -1;
	/* EOF: exec closed the close-on-exec pipe, the command runs. */
	do {
		n = read(w->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(w->err_fd);
	w->err_fd = -1;
	if (n == sizeof(e)) {
		snprintf(err, errlen, "cannot run '%s': %s", cmd, strerror(e));
		wait4(w->pid, &w->status, 0, &w->ru);
		w->exited = true;
		return -e;
	}
	return 0;
}

bool ustat_workload__reap(struct ustat_workload *w)
{
	if (!w->exited && w->pid > 0 && wait4(w->pid, &w->status, WNOHANG, &w->ru) == w->pid)
		w->exited = true;
	return w->exited;
}

void ustat_workload__stop(struct ustat_workload *w)
{
	int i;

	if (w->go_fd >= 0) {
		close(w->go_fd);	/* never started: the child exits on its own */
		w->go_fd = -1;
	}
	if (w->err_fd >= 0) {
		close(w->err_fd);
		w->err_fd = -1;
	}
	if (w->pid <= 0 || ustat_workload__reap(w))
		return;
	w->stopped = true;
	kill(w->pid, SIGTERM);
	for (i = 0; i < 100 && !ustat_workload__reap(w); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	if (!w->exited) {
		kill(w->pid, SIGKILL);
		wait4(w->pid, &w->status, 0, &w->ru);
		w->exited = true;
	}
}

int ustat_pid__threads(pid_t pid, pid_t **tids, int *nr)
{
	char path[64];
	struct dirent *d;
	int n = 0, cap = 16;
	pid_t *t;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -ESRCH;
	t = malloc(cap * sizeof(*t));
	if (!t) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((d = readdir(dir)) != NULL) {
		char *end;
		long tid = strtol(d->d_name, &end, 10);

		if (*end || tid <= 0)
			continue;
		if (ustat_array_grow(t, cap, n + 1)) {
			free(t);
			closedir(dir);
			return -ENOMEM;
		}
		t[n++] = tid;
	}
	closedir(dir);
	if (!n) {
		free(t);
		return -ESRCH;
	}
	*tids = t;
	*nr = n;
	return 0;
}

int ustat_pids__threads(const pid_t *pids, int nr, bool skip_gone, pid_t **tids, int *nr_tids,
			pid_t *gone)
{
	pid_t *all = NULL, *one;
	int i, n = 0, cap = 0, nr_one, ret;

	for (i = 0; i < nr; i++) {
		ret = ustat_pid__threads(pids[i], &one, &nr_one);
		if (ret && skip_gone)
			continue;
		if (ret) {
			*gone = pids[i];
			free(all);
			return ret;
		}
		if (ustat_array_grow(all, cap, n + nr_one)) {
			free(one);
			free(all);
			return -ENOMEM;
		}
		memcpy(all + n, one, nr_one * sizeof(*one));
		n += nr_one;
		free(one);
	}
	*tids = all;
	*nr_tids = n;
	return 0;
}
