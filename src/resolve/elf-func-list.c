// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/uprobe-stat/util/array.h"
#include "elf-func-list.h"
#include "elf-open.h"

struct names {
	char	**v;
	int	  nr;
	int	  cap;
};

static int add_name(struct names *n, const char *name)
{
	if (ustat_array_grow(n->v, n->cap, n->nr + 1))
		return -ENOMEM;
	n->v[n->nr] = strdup(name);
	if (!n->v[n->nr])
		return -ENOMEM;
	n->nr++;
	return 0;
}

/* Add the defined functions of ELF's sections of TYPE; how many there were. */
static int scan(Elf *elf, Elf64_Word type, struct names *n, int *found)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		Elf_Data *data;
		size_t i, count;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		count = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < count; i++) {
			const char *name;
			GElf_Sym sym;
			int t;

			if (!gelf_getsym(data, i, &sym))
				continue;
			t = GELF_ST_TYPE(sym.st_info);
			if ((t != STT_FUNC && t != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
			    !sym.st_value)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			if (add_name(n, name))
				return -ENOMEM;
			(*found)++;
		}
	}
	return 0;
}

static int scan_file(const char *path, bool symtab_only, struct names *n)
{
	int fd, ret = 0, found = 0;
	Elf *elf;

	ret = ustat_elf__open(path, &fd, &elf, NULL, 0);
	if (ret)
		return ret;
	ret = scan(elf, SHT_SYMTAB, n, &found);
	/* A stripped file keeps the exported functions only. */
	if (!ret && !found && !symtab_only)
		ret = scan(elf, SHT_DYNSYM, n, &found);
	ustat_elf__close(fd, elf);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

int ustat_elf__func_names(const char *path, const char *symfile, char ***names, int *nr)
{
	struct names n = { 0 };
	int ret, i, k = 0;

	ret = scan_file(path, false, &n);
	if (!ret && symfile)
		ret = scan_file(symfile, true, &n);
	if (ret) {
		ustat_func_names__free(n.v, n.nr);
		return ret;
	}
	if (n.nr)
		qsort(n.v, n.nr, sizeof(*n.v), cmp_str);
	for (i = 0; i < n.nr; i++) {
		if (k && !strcmp(n.v[k - 1], n.v[i])) {
			free(n.v[i]);
			continue;
		}
		n.v[k++] = n.v[i];
	}
	*names = n.v;
	*nr = k;
	return 0;
}

void ustat_func_names__free(char **names, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}
