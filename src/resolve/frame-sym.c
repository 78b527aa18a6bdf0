// SPDX-License-Identifier: GPL-2.0
/*
 * Callchain frames named (frame-sym.h): libelf's symbol tables, libdw's
 * line tables, __cxa_demangle (demangle.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <elfutils/libdw.h>

#include "debuginfo.h"
#include "demangle.h"
#include "elf-open.h"
#include "elf-symbols.h"
#include "frame-sym.h"

struct ustat_frame_dso {
	int			 fd;
	Elf			*elf;
	struct ustat_debuginfo	 di;
	bool			 has_di;
};

struct ustat_frame_dso *ustat_frame_dso__open(const char *path)
{
	struct ustat_frame_dso *d;
	char err[256];
	struct stat st;

	/* A file's name is the recording's word: a FIFO or a device is no ELF file. */
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	if (ustat_elf__open(path, &d->fd, &d->elf, NULL, 0)) {
		free(d);
		return NULL;
	}
	d->has_di = !ustat_debuginfo__open(&d->di, path, err, sizeof(err));
	return d;
}

void ustat_frame_dso__close(struct ustat_frame_dso *d)
{
	if (!d)
		return;
	if (d->has_di)
		ustat_debuginfo__close(&d->di);
	ustat_elf__close(d->fd, d->elf);
	free(d);
}

/* "dir/file.c:12" as "file.c:12": what fits a frame line (perf's srcline). */
static void srcline(Dwarf *dw, u64 vaddr, char *buf, size_t len)
{
	Dwarf_Die cu;
	Dwarf_Line *line;
	const char *file, *base;
	int lineno;

	buf[0] = '\0';
	if (!dw || !dwarf_addrdie(dw, vaddr, &cu))
		return;
	line = dwarf_getsrc_die(&cu, vaddr);
	if (!line || dwarf_lineno(line, &lineno) || !lineno)
		return;
	file = dwarf_linesrc(line, NULL, NULL);
	if (!file)
		return;
	base = strrchr(file, '/');
	snprintf(buf, len, "%s:%d", base ? base + 1 : file, lineno);
}

void ustat_frame_dso__name(struct ustat_frame_dso *d, u64 file_offset, bool caller,
			   struct ustat_frame_name *out)
{
	u64 vaddr, off = caller && file_offset ? file_offset - 1 : file_offset;
	char raw[sizeof(out->sym)];

	out->sym[0] = '\0';
	out->srcline[0] = '\0';
	out->sym_off = 0;
	if (ustat_elf__offset_to_vaddr(d->elf, off, &vaddr))
		return;
	/* A stripped file's .symtab is in its debuginfo, at the same addresses. */
	if (ustat_elf__func_at(d->elf, vaddr, raw, sizeof(raw), &out->sym_off) &&
	    (!d->has_di || !d->di.separate ||
	     ustat_elf__func_at(d->di.elf, vaddr, raw, sizeof(raw), &out->sym_off)))
		raw[0] = '\0';
	if (raw[0]) {
		/* The offset of the address itself, as perf script prints it. */
		out->sym_off += file_offset - off;
		ustat_demangle__name(raw, out->sym, sizeof(out->sym));
	}
	srcline(d->has_di ? d->di.dwarf : NULL, vaddr, out->srcline, sizeof(out->srcline));
}
