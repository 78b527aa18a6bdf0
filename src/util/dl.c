// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <stdio.h>

#include "dl.h"

void *ustat_dl__open(const char *soname, const struct ustat_dl_sym *syms, int nr,
		     char *err, size_t errlen)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	int i;

	if (!h) {
		snprintf(err, errlen, "cannot load %s: %s", soname, dlerror());
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		*syms[i].slot = dlsym(h, syms[i].name);
		if (*syms[i].slot)
			continue;
		snprintf(err, errlen, "%s has no %s", soname, syms[i].name);
		while (i >= 0)
			*syms[i--].slot = NULL;
		dlclose(h);
		return NULL;
	}
	return h;
}
