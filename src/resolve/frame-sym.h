/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_FRAME_SYM_H
#define __USTAT_FRAME_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * Names for the frames of callchains: a file offset in a mapped file to
 * its function (demangled, without parameters, as the rest of the tool
 * prints C++ names), the offset into it, and the source line where the
 * file's DWARF (or its separate debuginfo) has one.
 */
struct ustat_frame_dso;

/* PATH opened once for all its frames; NULL when it is no readable ELF. */
struct ustat_frame_dso *ustat_frame_dso__open(const char *path);
void ustat_frame_dso__close(struct ustat_frame_dso *d);

struct ustat_frame_name {
	char	sym[512];	/* "" when no symbol covers it */
	u64	sym_off;
	char	srcline[512];	/* "file.c:12", or "" */
};

/*
 * Name FILE_OFFSET of D.  A return address (CALLER: not the chain's
 * first frame) is looked up one byte back, in the call: a call that
 * ends its function must not name the next one.
 */
void ustat_frame_dso__name(struct ustat_frame_dso *d, u64 file_offset, bool caller,
			   struct ustat_frame_name *out);

#endif /* __USTAT_FRAME_SYM_H */
