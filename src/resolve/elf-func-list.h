/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_ELF_FUNC_LIST_H
#define __USTAT_ELF_FUNC_LIST_H

/*
 * The names of the functions a binary has symbols for (list --funcs):
 * .symtab, or .dynsym when PATH is stripped, plus SYMFILE's .symtab when
 * given (a separate debug file).  Sorted, each name once; *NAMES and each
 * name are malloc'ed (ustat_func_names__free()).
 */
int ustat_elf__func_names(const char *path, const char *symfile, char ***names, int *nr);
void ustat_func_names__free(char **names, int nr);

#endif /* __USTAT_ELF_FUNC_LIST_H */
