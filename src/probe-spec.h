/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_SPEC_H
#define __USTAT_PROBE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * A probe as the user wrote it, in perf probe's habits:
 *
 *	func			entry of func
 *	func+0x10		an instruction inside func (bytes from its start)
 *	func%return		return of func (a uretprobe)
 *	BINARY:func		func in BINARY instead of the default binary
 *
 * Parsing only splits the text; the binary and symbol are resolved later
 * (probe-resolve.c) so that syntax errors are reported before any file is
 * opened.
 */
struct ustat_probe_spec {
	char	*text;		/* the spec as given, for names and messages */
	char	*binary;	/* BINARY: prefix, or NULL for the default */
	char	*func;
	u64	 offset;	/* +OFF */
	bool	 has_offset;
	bool	 is_return;	/* %return */
};

int ustat_probe_spec__parse(struct ustat_probe_spec *spec, const char *text,
			    char *err, size_t errlen);
void ustat_probe_spec__exit(struct ustat_probe_spec *spec);

/* The name reports show: "func", "func+0x10", "func%return", "lib:func". */
int ustat_probe_spec__display(const struct ustat_probe_spec *spec,
			      char *buf, size_t len);

#endif /* __USTAT_PROBE_SPEC_H */
