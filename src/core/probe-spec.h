/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_SPEC_H
#define __USTAT_PROBE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * A probe as the user wrote it, in perf probe's habits:
 *
 *	func			entry of func (and of each inlined copy)
 *	func+0x10		an instruction inside func (bytes from its start)
 *	func%return		return of func (a uretprobe)
 *	file.c:LINE		every place the code of a source line starts
 *	func:LINE		LINE lines below func's first line (perf probe's
 *				relative lines), inside func
 *	sdt:provider:name	a USDT probe of the default binary
 *	BINARY:...		any of the above in BINARY instead
 *
 * The fields are split at ':'.  A last field that starts with a digit is
 * a line; the field before it is a source file when it holds a '.' or a
 * '/', a function otherwise.  Three fields not ending in a line are a
 * USDT probe: "sdt" as the first field means the default binary.
 *
 * Parsing only splits the text; the binary and addresses are resolved
 * later (probe-resolve.c) so that syntax errors are reported before any
 * file is opened.
 */
enum ustat_spec_kind {
	USTAT_SPEC_FUNC,	/* func, func+OFF, func%return */
	USTAT_SPEC_LINE,	/* file.c:LINE */
	USTAT_SPEC_FUNC_LINE,	/* func:LINE */
	USTAT_SPEC_SDT,		/* sdt:provider:name, BINARY:provider:name */
};

struct ustat_probe_spec {
	char			*text;		/* the spec as given, for names and messages */
	enum ustat_spec_kind	 kind;
	char			*binary;	/* BINARY: prefix, or NULL for the default */
	char			*func;		/* FUNC and FUNC_LINE */
	u64			 offset;	/* +OFF */
	bool			 has_offset;
	bool			 is_return;	/* %return */
	char			*file;		/* LINE: the source file as typed */
	unsigned int		 line;		/* LINE and FUNC_LINE */
	char			*provider;	/* SDT */
	char			*name;		/* SDT */
};

int ustat_probe_spec__parse(struct ustat_probe_spec *spec, const char *text,
			    char *err, size_t errlen);
void ustat_probe_spec__exit(struct ustat_probe_spec *spec);

/*
 * The name reports show: "func", "func+0x10", "func%return", "lib:func",
 * "file.c:12", "func:3", "sdt:provider:name".
 */
int ustat_probe_spec__display(const struct ustat_probe_spec *spec,
			      char *buf, size_t len);

#endif /* __USTAT_PROBE_SPEC_H */
