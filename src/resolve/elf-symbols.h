/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_ELF_SYMBOLS_H
#define __USTAT_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <libelf.h>
#include <linux/types.h>

/* Where a function lives in an ELF file. */
struct ustat_sym_loc {
	u64	vaddr;		/* st_value: link-time virtual address */
	u64	size;		/* st_size, 0 if unknown */
	u64	file_offset;	/* what the uprobe PMU wants (probe_offset) */
	bool	from_dynsym;	/* only .dynsym had it (stripped binary) */
};

/*
 * Find FUNC in PATH (symtab first, then dynsym) and turn its address into a
 * file offset through the PT_LOAD program header that maps it.  Works the
 * same for non-PIE executables, PIE executables and shared libraries: the
 * uprobe is keyed on inode + file offset, never on a runtime address.
 */
int ustat_elf__resolve_func(const char *path, const char *func,
			    struct ustat_sym_loc *loc, char *err, size_t errlen);

/*
 * The same, with SYMFILE's .symtab (a separate debug file, see
 * debuginfo.h) searched when PATH itself has no symbol FUNC: stripped
 * binaries keep only .dynsym.
 */
int ustat_elf__resolve_func_split(const char *path, const char *symfile, const char *func,
				  struct ustat_sym_loc *loc, char *err, size_t errlen);

/*
 * A link-time address of ELF as a file offset, through the PT_LOAD that
 * maps it (*EXEC: that segment is executable); -ENOENT when none does.
 */
int ustat_elf__vaddr_to_offset(Elf *elf, u64 vaddr, u64 *off, bool *exec);

/* The link-time address FILE_OFFSET is loaded at, through the PT_LOAD covering it. */
int ustat_elf__offset_to_vaddr(Elf *elf, u64 off, u64 *vaddr);

/* The function symbol of ELF covering VADDR (.symtab, then .dynsym). */
int ustat_elf__func_at(Elf *elf, u64 vaddr, char *name, size_t len, u64 *sym_off);

/*
 * The function of PATH that holds FILE_OFFSET: its name and the offset
 * into it.  -ENOENT when no function symbol covers it.
 */
int ustat_elf__symbolize(const char *path, u64 file_offset, char *name, size_t len,
			 u64 *sym_off);

/*
 * Turn a binary name as typed into an absolute path: a name with a '/' is
 * taken as a path; otherwise the current directory, then $PATH (programs),
 * then the system library directories (so "libc.so.6" finds libc).
 */
int ustat_binary__resolve(const char *name, char *out, size_t len,
			  char *err, size_t errlen);

#endif /* __USTAT_ELF_SYMBOLS_H */
