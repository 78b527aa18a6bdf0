// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwelf.h>

#include "debuginfo.h"
#include "elf-open.h"

const char *ustat_debuginfo__root(void)
{
	const char *env = getenv(USTAT_DEBUGINFO_ENV);

	return env && *env ? env : USTAT_DEBUGINFO_DEFAULT_ROOT;
}

int ustat_debuginfo__build_id(Elf *elf, char *hex, size_t len)
{
	const unsigned char *id;
	ssize_t n, i;

	n = dwelf_elf_gnu_build_id(elf, (const void **)&id);
	if (n <= 0)
		return -ENOENT;
	if ((size_t)n * 2 + 1 > len)
		return -ENAMETOOLONG;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return 0;
}

int ustat_debuginfo__build_id_path(const char *root, const char *build_id,
				   char *out, size_t len)
{
	int n;

	/* The first byte names a directory, so that none grows too large. */
	if (strlen(build_id) < 3)
		return -EINVAL;
	n = snprintf(out, len, "%s/.build-id/%.2s/%s.debug", root, build_id, build_id + 2);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* DWARF in PATH whose build-id is WANT (NULL: any); 0 and DI filled when found. */
static int try_file(struct ustat_debuginfo *di, const char *path, const char *want)
{
	char id[128];
	int ret;

	ret = ustat_elf__open(path, &di->fd, &di->elf, NULL, 0);
	if (ret)
		return ret;
	/* A debug file of another build would give wrong addresses: never use it. */
	if (want && (ustat_debuginfo__build_id(di->elf, id, sizeof(id)) || strcmp(id, want))) {
		ret = -ESTALE;
		goto fail;
	}
	di->dwarf = dwarf_begin_elf(di->elf, DWARF_C_READ, NULL);
	if (!di->dwarf) {
		ret = -ENOENT;
		goto fail;
	}
	snprintf(di->path, sizeof(di->path), "%s", path);
	return 0;
fail:
	ustat_elf__close(di->fd, di->elf);
	di->elf = NULL;
	di->fd = -1;
	return ret;
}

int ustat_debuginfo__open(struct ustat_debuginfo *di, const char *binary,
			  char *err, size_t errlen)
{
	char id[128], path[PATH_MAX] = "";
	Elf *elf = NULL;
	int fd = -1, ret;

	memset(di, 0, sizeof(*di));
	di->fd = -1;
	ret = ustat_elf__open(binary, &fd, &elf, err, errlen);
	if (ret)
		return ret == -ENOEXEC ? -EINVAL : ret;
	ret = ustat_debuginfo__build_id(elf, id, sizeof(id));
	ustat_elf__close(fd, elf);

	if (!try_file(di, binary, NULL))
		return 0;
	if (ret) {
		snprintf(err, errlen,
			 "'%s' has no DWARF debuginfo and no build-id to find it by (build it with -g)",
			 binary);
		return -ENOENT;
	}
	ret = ustat_debuginfo__build_id_path(ustat_debuginfo__root(), id, path, sizeof(path));
	if (!ret)
		ret = try_file(di, path, id);
	if (!ret) {
		di->separate = true;
		return 0;
	}
	snprintf(err, errlen,
		 "'%s' has no DWARF debuginfo, and %s %s (install its -dbgsym package, or set %s)",
		 binary, path, ret == -ESTALE ? "is for another build" :
		 ret == -ENOENT && access(path, F_OK) ? "does not exist" : "has none",
		 USTAT_DEBUGINFO_ENV);
	return -ENOENT;
}

void ustat_debuginfo__close(struct ustat_debuginfo *di)
{
	if (di->dwarf)
		dwarf_end(di->dwarf);
	if (di->elf)
		elf_end(di->elf);
	if (di->fd >= 0)
		close(di->fd);
	memset(di, 0, sizeof(*di));
	di->fd = -1;
}
