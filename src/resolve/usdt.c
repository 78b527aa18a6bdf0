// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/uprobe-stat/util/array.h"
#include "elf-open.h"
#include "elf-symbols.h"
#include "usdt.h"

#define NT_STAPSDT		3
#define STAPSDT_OWNER		"stapsdt"
#define STAPSDT_BASE_SECTION	".stapsdt.base"

/* The address .stapsdt.base really has; 0 when the file lacks the section. */
static u64 sdt_base(Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, STAPSDT_BASE_SECTION))
			return sh.sh_addr;
	}
	return 0;
}

static u64 get_addr(const unsigned char *p, int size, bool swap)
{
	u64 v64;
	u32 v32;

	if (size == 8) {
		memcpy(&v64, p, 8);
		return swap ? __builtin_bswap64(v64) : v64;
	}
	memcpy(&v32, p, 4);
	return swap ? __builtin_bswap32(v32) : v32;
}

static int add_probe(struct ustat_usdt **probes, int *nr, int *cap)
{
	if (ustat_array_grow(*probes, *cap, *nr + 1))
		return -ENOMEM;
	memset(&(*probes)[*nr], 0, sizeof(**probes));
	(*nr)++;
	return 0;
}

/* One note's descriptor into P; -EINVAL when it is malformed. */
static int parse_desc(struct ustat_usdt *p, const unsigned char *desc, size_t len,
		      int asize, bool swap, u64 base)
{
	const char *s = (const char *)desc + 3 * asize, *end = (const char *)desc + len;
	const char *prov, *name, *args;
	u64 note_base;

	if (len < 3 * (size_t)asize + 2)
		return -EINVAL;
	p->pc = get_addr(desc, asize, swap);
	note_base = get_addr(desc + asize, asize, swap);
	p->semaphore = get_addr(desc + 2 * asize, asize, swap);
	/* Prelinked: everything moved by what .stapsdt.base moved by. */
	if (base && note_base) {
		p->pc += base - note_base;
		if (p->semaphore)
			p->semaphore += base - note_base;
	}
	prov = s;
	name = memchr(prov, '\0', end - prov);
	if (!name || name + 1 >= end)
		return -EINVAL;
	name++;
	args = memchr(name, '\0', end - name);
	if (!args || !*prov || !*name)
		return -EINVAL;
	args++;
	/* The argument format is only shown: a note cut short has none. */
	if (args >= end || !memchr(args, '\0', end - args))
		args = "";
	p->provider = strdup(prov);
	p->name = strdup(name);
	p->args = strdup(args);
	return p->provider && p->name && p->args ? 0 : -ENOMEM;
}

/* The nop must be code, the semaphore data the file provides: both as file offsets. */
static int place(Elf *elf, struct ustat_usdt *p)
{
	bool exec;

	if (ustat_elf__vaddr_to_offset(elf, p->pc, &p->pc_offset, &exec) || !exec)
		return -EINVAL;
	if (p->semaphore &&
	    (ustat_elf__vaddr_to_offset(elf, p->semaphore, &p->sem_offset, &exec) || exec ||
	     !p->sem_offset))
		return -EINVAL;
	return 0;
}

static int read_notes(Elf *elf, struct ustat_usdt **probes, int *nr, const char *path,
		      char *err, size_t errlen)
{
	bool swap = false;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int asize, cap = 0, ret;
	u64 base;

	if (!gelf_getehdr(elf, &eh))
		return -EINVAL;
	asize = gelf_getclass(elf) == ELFCLASS32 ? 4 : 8;
	swap = (eh.e_ident[EI_DATA] == ELFDATA2MSB) != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	base = sdt_base(elf);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		size_t off = 0, name_off, desc_off;
		Elf_Data *data;
		GElf_Shdr sh;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			const char *owner = (const char *)data->d_buf + name_off;
			struct ustat_usdt *p;

			if (nh.n_type != NT_STAPSDT || nh.n_namesz != sizeof(STAPSDT_OWNER) ||
			    memcmp(owner, STAPSDT_OWNER, sizeof(STAPSDT_OWNER)))
				continue;
			ret = add_probe(probes, nr, &cap);
			if (ret)
				return ret;
			p = &(*probes)[*nr - 1];
			ret = parse_desc(p, (const unsigned char *)data->d_buf + desc_off,
					 nh.n_descsz, asize, swap, base);
			if (ret == -EINVAL)
				snprintf(err, errlen, "'%s': malformed USDT note (stapsdt) #%d",
					 path, *nr);
			if (!ret && place(elf, p)) {
				snprintf(err, errlen,
					 "'%s': USDT probe %s:%s at %#llx (semaphore %#llx) is outside the file's loaded segments",
					 path, p->provider, p->name, (unsigned long long)p->pc,
					 (unsigned long long)p->semaphore);
				ret = -EINVAL;
			}
			if (ret)
				return ret;
		}
	}
	return 0;
}

int ustat_usdt__read(const char *path, struct ustat_usdt **probes, int *nr,
		     char *err, size_t errlen)
{
	int fd, ret;
	Elf *elf;

	*probes = NULL;
	*nr = 0;
	ret = ustat_elf__open(path, &fd, &elf, err, errlen);
	if (ret)
		return ret == -ENOEXEC ? -EINVAL : ret;
	ret = read_notes(elf, probes, nr, path, err, errlen);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	ustat_elf__close(fd, elf);
	if (ret) {
		ustat_usdt__free(*probes, *nr);
		*probes = NULL;
		*nr = 0;
	}
	return ret;
}

void ustat_usdt__free(struct ustat_usdt *probes, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		free(probes[i].provider);
		free(probes[i].name);
		free(probes[i].args);
	}
	free(probes);
}
