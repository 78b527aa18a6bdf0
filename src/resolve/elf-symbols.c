// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-open.h"
#include "elf-symbols.h"

/* A candidate symbol: several entries may name one address (aliases). */
struct sym_match {
	u64	vaddr;
	u64	size;
	bool	global;
	bool	dynsym;
};

#define MAX_MATCHES 16

/* "malloc" matches "malloc" and versioned "malloc@GLIBC_2.2.5" / "malloc@@...". */
static bool sym_name_matches(const char *sym, const char *func)
{
	size_t n = strlen(func);

	if (strncmp(sym, func, n))
		return false;
	return sym[n] == '\0' || (sym[n] == '@' && !strchr(func, '@'));
}

/*
 * Call FN for each symbol of the sections of type TYPE (SHT_SYMTAB or
 * SHT_DYNSYM), with its name (NULL if the string table lacks it), until
 * FN returns non-zero: that value is returned, else 0.
 */
typedef int (*sym_fn)(const GElf_Sym *, const char *, void *);

static int walk_symbols(Elf *elf, Elf64_Word type, sym_fn fn, void *ctx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		Elf_Data *data;
		size_t i, count;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != type || !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		count = shdr.sh_size / shdr.sh_entsize;
		for (i = 0; i < count; i++) {
			GElf_Sym sym;
			int ret;

			if (!gelf_getsym(data, i, &sym))
				continue;
			ret = fn(&sym, elf_strptr(elf, shdr.sh_link, sym.st_name), ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct scan_ctx {
	const char		*func;
	struct sym_match	*m;
	int			 nr;
	bool			 dynsym;
};

static int scan_one(const GElf_Sym *sym, const char *name, void *arg)
{
	struct scan_ctx *c = arg;
	int t = GELF_ST_TYPE(sym->st_info), j;

	if ((t != STT_FUNC && t != STT_GNU_IFUNC) || sym->st_shndx == SHN_UNDEF ||
	    !sym->st_value || !name || !sym_name_matches(name, c->func))
		return 0;
	for (j = 0; j < c->nr; j++)
		if (c->m[j].vaddr == sym->st_value)
			break;
	if (j < c->nr) {
		/* An alias: keep the larger size, note a global binding. */
		if (sym->st_size > c->m[j].size)
			c->m[j].size = sym->st_size;
		c->m[j].global |= GELF_ST_BIND(sym->st_info) != STB_LOCAL;
		return 0;
	}
	if (c->nr == MAX_MATCHES)
		return 0;
	c->m[c->nr].vaddr = sym->st_value;
	c->m[c->nr].size = sym->st_size;
	c->m[c->nr].global = GELF_ST_BIND(sym->st_info) != STB_LOCAL;
	c->m[c->nr].dynsym = c->dynsym;
	c->nr++;
	return 0;
}

static int scan_symbols(Elf *elf, Elf64_Word type, const char *func,
			struct sym_match *m, int nr)
{
	struct scan_ctx c = { .func = func, .m = m, .nr = nr, .dynsym = type == SHT_DYNSYM };

	walk_symbols(elf, type, scan_one, &c);
	return c.nr;
}

static bool has_section(Elf *elf, Elf64_Word type)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == type)
			return true;
	return false;
}

/* The PT_LOAD whose file contents hold X: a link-time address (BY_VADDR) or a file offset. */
static int covering_load(Elf *elf, u64 x, bool by_vaddr, GElf_Phdr *ph)
{
	size_t i, phnum;

	if (elf_getphdrnum(elf, &phnum))
		return -EINVAL;
	for (i = 0; i < phnum; i++) {
		u64 start;

		if (!gelf_getphdr(elf, i, ph) || ph->p_type != PT_LOAD)
			continue;
		start = by_vaddr ? ph->p_vaddr : ph->p_offset;
		if (x >= start && x < start + ph->p_filesz)
			return 0;
	}
	return -ENOENT;
}

static int vaddr_to_offset(Elf *elf, u64 vaddr, u64 *off, bool *exec)
{
	GElf_Phdr ph;
	int ret = covering_load(elf, vaddr, true, &ph);

	if (ret)
		return ret;
	*off = vaddr - ph.p_vaddr + ph.p_offset;
	*exec = ph.p_flags & PF_X;
	return 0;
}

int ustat_elf__vaddr_to_offset(Elf *elf, u64 vaddr, u64 *off, bool *exec)
{
	return vaddr_to_offset(elf, vaddr, off, exec);
}

/*
 * The symbols of a separate debug file (objcopy --only-keep-debug keeps
 * .symtab): what a stripped binary's static functions are known by.
 */
static int scan_symfile(const char *symfile, const char *func, struct sym_match *m)
{
	int fd, nr = 0;
	Elf *elf;

	if (ustat_elf__open(symfile, &fd, &elf, NULL, 0))
		return 0;
	nr = scan_symbols(elf, SHT_SYMTAB, func, m, 0);
	ustat_elf__close(fd, elf);
	return nr;
}

static int resolve_func(const char *path, const char *symfile, const char *func,
			struct ustat_sym_loc *loc, char *err, size_t errlen)
{
	struct sym_match m[MAX_MATCHES];
	int fd, nr, i, pick = -1, nglobal = 0, ret = -EINVAL;
	GElf_Ehdr ehdr;
	bool exec;
	Elf *elf;

	ret = ustat_elf__open(path, &fd, &elf, err, errlen);
	if (ret)
		return ret == -ENOEXEC ? -EINVAL : ret;
	ret = -EINVAL;
	if (!gelf_getehdr(elf, &ehdr)) {
		snprintf(err, errlen, "'%s' is not an ELF file", path);
		goto out;
	}
	if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
		snprintf(err, errlen, "'%s' is not an executable or shared library", path);
		goto out;
	}

	/* .symtab also has static functions; .dynsym is all a stripped file keeps. */
	nr = scan_symbols(elf, SHT_SYMTAB, func, m, 0);
	if (!nr)
		nr = scan_symbols(elf, SHT_DYNSYM, func, m, 0);
	if (!nr && symfile)
		nr = scan_symfile(symfile, func, m);
	if (!nr) {
		ret = -ENOENT;
		/* Stripped, but its debug file was searched too: the hint would mislead. */
		if (symfile)
			snprintf(err, errlen,
				 "symbol '%s' not found in '%s' nor in its debug file '%s'",
				 func, path, symfile);
		else
			snprintf(err, errlen, "symbol '%s' not found in '%s'%s", func, path,
				 has_section(elf, SHT_SYMTAB) ? "" :
				 " (it is stripped: only exported symbols are left)");
		goto out;
	}
	for (i = 0; i < nr; i++) {
		if (m[i].global) {
			nglobal++;
			pick = i;
		}
	}
	if (nr == 1) {
		pick = 0;
	} else if (nglobal != 1) {
		snprintf(err, errlen,
			 "symbol '%s' is ambiguous in '%s': %d functions have that name", func,
			 path, nr);
		goto out;
	}
	/* The debug file's addresses are the binary's: its program headers place them. */
	if (vaddr_to_offset(elf, m[pick].vaddr, &loc->file_offset, &exec)) {
		snprintf(err, errlen, "symbol '%s' at %#llx is not in a loaded segment of '%s'",
			 func, (unsigned long long)m[pick].vaddr, path);
		goto out;
	}
	if (!exec) {
		snprintf(err, errlen, "symbol '%s' is not in an executable segment of '%s'",
			 func, path);
		goto out;
	}
	loc->vaddr = m[pick].vaddr;
	loc->size = m[pick].size;
	loc->from_dynsym = m[pick].dynsym;
	ret = 0;
out:
	ustat_elf__close(fd, elf);
	return ret;
}

int ustat_elf__resolve_func(const char *path, const char *func,
			    struct ustat_sym_loc *loc, char *err, size_t errlen)
{
	return resolve_func(path, NULL, func, loc, err, errlen);
}

int ustat_elf__resolve_func_split(const char *path, const char *symfile, const char *func,
				  struct ustat_sym_loc *loc, char *err, size_t errlen)
{
	return resolve_func(path, symfile, func, loc, err, errlen);
}

int ustat_elf__offset_to_vaddr(Elf *elf, u64 off, u64 *vaddr)
{
	GElf_Phdr ph;
	int ret = covering_load(elf, off, false, &ph);

	if (ret)
		return ret;
	*vaddr = off - ph.p_offset + ph.p_vaddr;
	return 0;
}

struct covering_ctx {
	u64	 vaddr;
	char	*name;
	size_t	 len;
	u64	*sym_off;
};

static int covering_one(const GElf_Sym *sym, const char *name, void *arg)
{
	struct covering_ctx *c = arg;

	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || c->vaddr < sym->st_value ||
	    c->vaddr >= sym->st_value + sym->st_size || !name)
		return 0;
	snprintf(c->name, c->len, "%s", name);
	*c->sym_off = c->vaddr - sym->st_value;
	return 1;
}

/* The function symbol of section type TYPE covering VADDR. */
static int covering_symbol(Elf *elf, Elf64_Word type, u64 vaddr, char *name, size_t len,
			   u64 *sym_off)
{
	struct covering_ctx c = { .vaddr = vaddr, .name = name, .len = len, .sym_off = sym_off };

	return walk_symbols(elf, type, covering_one, &c) ? 0 : -ENOENT;
}

int ustat_elf__func_at(Elf *elf, u64 vaddr, char *name, size_t len, u64 *sym_off)
{
	if (!covering_symbol(elf, SHT_SYMTAB, vaddr, name, len, sym_off))
		return 0;
	return covering_symbol(elf, SHT_DYNSYM, vaddr, name, len, sym_off);
}

int ustat_elf__symbolize(const char *path, u64 file_offset, char *name, size_t len,
			 u64 *sym_off)
{
	int fd, ret = -ENOENT;
	u64 vaddr;
	Elf *elf;

	if (ustat_elf__open(path, &fd, &elf, NULL, 0))
		return ret;
	if (!ustat_elf__offset_to_vaddr(elf, file_offset, &vaddr)) {
		ret = covering_symbol(elf, SHT_SYMTAB, vaddr, name, len, sym_off);
		if (ret)
			ret = covering_symbol(elf, SHT_DYNSYM, vaddr, name, len, sym_off);
	}
	ustat_elf__close(fd, elf);
	return ret;
}

static bool is_regular(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int search_dirs(const char *name, const char *dirs, char *out, size_t len)
{
	char *copy = strdup(dirs), *dir, *save = NULL;
	int ret = -ENOENT;

	if (!copy)
		return -ENOMEM;
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char cand[PATH_MAX];

		snprintf(cand, sizeof(cand), "%s/%s", *dir ? dir : ".", name);
		if (is_regular(cand) && realpath(cand, out)) {
			ret = 0;
			break;
		}
	}
	free(copy);
	(void)len;
	return ret;
}

/* Where Debian and most distributions keep shared libraries. */
static const char lib_dirs[] = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib";

int ustat_binary__resolve(const char *name, char *out, size_t len,
			  char *err, size_t errlen)
{
	const char *path = getenv("PATH");

	if (len < PATH_MAX) {
		snprintf(err, errlen, "internal: path buffer too small");
		return -EINVAL;
	}
	if (strchr(name, '/')) {
		if (!realpath(name, out)) {
			snprintf(err, errlen, "cannot find binary '%s': %s", name,
				 strerror(errno));
			return -ENOENT;
		}
		if (!is_regular(out)) {
			snprintf(err, errlen, "binary '%s' is not a regular file", name);
			return -EINVAL;
		}
		return 0;
	}
	if (is_regular(name) && realpath(name, out))
		return 0;
	if (path && !search_dirs(name, path, out, len))
		return 0;
	if (!search_dirs(name, lib_dirs, out, len))
		return 0;
	snprintf(err, errlen,
		 "cannot find binary '%s' (not a path, not in $PATH or the library directories)",
		 name);
	return -ENOENT;
}
