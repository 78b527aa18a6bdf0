// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out-file.h"

int ustat_out_file__check_path(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (!strcmp(path, "-")) {
		/* Checked before anything is attached: a closed stdout, a terminal. */
		if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
			snprintf(err, errlen, "-o -: standard output: %s", strerror(errno));
			return -EBADF;
		}
		/* A terminal would get binary garbage. */
		if (isatty(STDOUT_FILENO)) {
			snprintf(err, errlen,
				 "-o -: standard output is a terminal: pipe it to a reader (| perf-uprobe-stat report -i -)");
			return -EINVAL;
		}
		return 0;
	}
	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "output '%s' exists and is not a regular file", path);
		return -EEXIST;
	}
	return 0;
}

static int open_pipe(struct ustat_out_file *f, char *err, size_t errlen)
{
	f->pipe = true;
	f->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (f->fd < 0) {
		snprintf(err, errlen, "-o -: standard output: %s", strerror(errno));
		return -errno;
	}
	f->path = strdup("-");
	if (!f->path) {
		snprintf(err, errlen, "out of memory");
		ustat_out_file__abort(f);
		return -ENOMEM;
	}
	return 0;
}

int ustat_out_file__create(struct ustat_out_file *f, const char *path, bool force,
			   char *err, size_t errlen)
{
	int ret;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->force = force;
	ret = ustat_out_file__check_path(path, err, errlen);
	if (ret)
		return ret;
	if (!strcmp(path, "-"))
		return open_pipe(f, err, errlen);
	f->path = strdup(path);
	if (!f->path || asprintf(&f->tmp_path, "%s.XXXXXX", path) < 0) {
		f->tmp_path = NULL;
		snprintf(err, errlen, "out of memory");
		ustat_out_file__abort(f);
		return -ENOMEM;
	}
	f->fd = mkostemp(f->tmp_path, O_CLOEXEC);
	if (f->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
		ustat_out_file__abort(f);
		return ret;
	}
	return 0;
}

int ustat_out_file__commit(struct ustat_out_file *f, char *err, size_t errlen)
{
	char old[PATH_MAX];
	struct stat st;

	if (!f->tmp_path)
		return 0;
	if (!lstat(f->path, &st)) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "output '%s' exists and is not a regular file",
				 f->path);
			return -EEXIST;
		}
		if (f->force) {
			if (unlink(f->path)) {
				snprintf(err, errlen, "cannot remove '%s': %s", f->path,
					 strerror(errno));
				return -errno;
			}
		} else {
			snprintf(old, sizeof(old), "%s.old", f->path);
			if (rename(f->path, old)) {
				snprintf(err, errlen, "cannot rename '%s' to '%s': %s", f->path,
					 old, strerror(errno));
				return -errno;
			}
		}
	}
	if (rename(f->tmp_path, f->path)) {
		snprintf(err, errlen, "cannot rename '%s' to '%s': %s", f->tmp_path, f->path,
			 strerror(errno));
		return -errno;
	}
	free(f->tmp_path);
	f->tmp_path = NULL;
	return 0;
}

int ustat_out_file__close(struct ustat_out_file *f)
{
	int ret = 0;

	if (f->fd >= 0 && close(f->fd))
		ret = -errno;
	f->fd = -1;
	free(f->path);
	free(f->tmp_path);
	f->path = NULL;
	f->tmp_path = NULL;
	return ret;
}

void ustat_out_file__abort(struct ustat_out_file *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
		if (f->tmp_path || !f->pipe)
			unlink(f->tmp_path ? f->tmp_path : f->path);
	}
	ustat_out_file__close(f);
}
