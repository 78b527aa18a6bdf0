/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DEBUGINFO_H
#define __USTAT_DEBUGINFO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <elfutils/libdw.h>

/*
 * The DWARF of a binary, for line probes and inlined functions: in the
 * binary itself, or -- distributions strip their binaries and ship the
 * debug info apart -- in ROOT/.build-id/xx/rest.debug, named by the
 * binary's GNU build-id (ROOT is /usr/lib/debug, or the directory in
 * $UPROBE_STAT_DEBUGINFO_DIR: tests point it at a tree of their own).
 * Addresses in the debug file are the binary's link-time addresses; file
 * offsets always come from the binary's own program headers.
 */
#define USTAT_DEBUGINFO_ENV		"UPROBE_STAT_DEBUGINFO_DIR"
#define USTAT_DEBUGINFO_DEFAULT_ROOT	"/usr/lib/debug"

struct ustat_debuginfo {
	Dwarf	*dwarf;
	Elf	*elf;			/* the file the DWARF is in */
	int	 fd;
	bool	 separate;		/* found by build-id, not in the binary */
	char	 path[PATH_MAX];	/* that file */
};

/* Where separate debug files are looked for. */
const char *ustat_debuginfo__root(void);

/* ELF's GNU build-id in hex into HEX; -ENOENT when it has none. */
int ustat_debuginfo__build_id(Elf *elf, char *hex, size_t len);

/* ROOT/.build-id/xx/rest.debug for the build-id BUILD_ID (hex). */
int ustat_debuginfo__build_id_path(const char *root, const char *build_id,
				   char *out, size_t len);

/*
 * Find the DWARF of BINARY.  -ENOENT, with ERR saying where it looked,
 * when there is none; other -errno when BINARY cannot be read.
 */
int ustat_debuginfo__open(struct ustat_debuginfo *di, const char *binary,
			  char *err, size_t errlen);
void ustat_debuginfo__close(struct ustat_debuginfo *di);

#endif /* __USTAT_DEBUGINFO_H */
