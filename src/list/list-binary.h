/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_LIST_BINARY_H
#define __USTAT_LIST_BINARY_H

#include <stddef.h>
#include <stdio.h>

/*
 * What can be probed in a binary (list -x BINARY): its functions, the
 * lines of one function, its USDT probes.  Each prints to OUT; on failure
 * ERR holds one line naming the problem.  BINARY is as typed: a path, a
 * program in $PATH or a library name.
 */
int ustat_list__funcs(const char *binary, FILE *out, char *err, size_t errlen);
int ustat_list__lines(const char *binary, const char *func, FILE *out,
		      char *err, size_t errlen);
int ustat_list__sdt(const char *binary, FILE *out, char *err, size_t errlen);

#endif /* __USTAT_LIST_BINARY_H */
