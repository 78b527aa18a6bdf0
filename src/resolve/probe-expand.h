/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_EXPAND_H
#define __USTAT_PROBE_EXPAND_H

#include <sys/types.h>

#include "probe-resolve.h"

/*
 * More functions than this for one pattern is a pattern too wide to mean
 * ("libc.so.6:*" has thousands): each is a probe and a file descriptor.
 */
#define USTAT_MAX_MATCHES	1024

/*
 * ustat_probe__resolve_sites_in() for every form a user types, also
 *
 *	BINARY:str*		every function matching a pattern (fnmatch(3),
 *				on the symbol and on the demangled C++ name)
 *	'ns::Class::method'	a C++ function by its demangled name: each
 *				overload, or one by signature ('f(int)')
 *	BINARY:0x1234		a link-time address, as nm and objdump print
 *				it: an instruction of the function holding it
 *
 * Each function matched is a probe of its own, named demangled.  Sites are
 * appended to *SITES (malloc'ed), *NR counting them.
 */
int ustat_probe__resolve_expanded(const char *text, const char *default_binary, pid_t pid,
				  struct ustat_probe **sites, int *nr,
				  char *err, size_t errlen);

#endif /* __USTAT_PROBE_EXPAND_H */
