/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DL_H
#define __USTAT_DL_H

#include <stddef.h>

/*
 * A library loaded when a command first needs it, not linked into every
 * command (explain/disasm.c: capstone; ui/top-http.c: libmicrohttpd).
 * SLOT is the address of a function pointer, as *(void **)&fn in dlsym(3).
 */
struct ustat_dl_sym {
	const char	*name;
	void		**slot;
};

/*
 * dlopen() SONAME and fill each of the NR symbols' slots: the handle, or
 * NULL with ERR saying why when the library or one of its calls is missing
 * (then no slot is left set).
 */
void *ustat_dl__open(const char *soname, const struct ustat_dl_sym *syms, int nr,
		     char *err, size_t errlen);

#endif /* __USTAT_DL_H */
