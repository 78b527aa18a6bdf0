// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <api/fs/fs.h>
#include <api/fs/tracing_path.h>

#include "util/uprobe-stat/util/file-util.h"
#include "tracefs.h"

const char *ustat_tracefs__dir(void)
{
	/* libapi finds tracefs, or debugfs/tracing, and mounts tracefs if needed. */
	return tracing_path_mount();
}

char *ustat_tracefs__read(const char *dir, const char *file, size_t *len)
{
	char path[PATH_MAX];

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return ustat_read_file(path, len);
}

char *ustat_tracefs__event_format(const char *dir, const char *sys, const char *name,
				  size_t *len)
{
	char file[256];

	snprintf(file, sizeof(file), "events/%s/%s/format", sys, name);
	return ustat_tracefs__read(dir, file, len);
}

int ustat_tracefs__event_id(const char *dir, const char *sys, const char *name)
{
	char path[PATH_MAX];
	int id;

	if (!dir)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", dir, sys, name);
	if (filename__read_int(path, &id))
		return -ENOENT;
	return id;
}
