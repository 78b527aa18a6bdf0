/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TOP_STDIO_H
#define __USTAT_TOP_STDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui.h"

struct ustat_agg;

/*
 * top --stdio: no terminal needed.  Every interval, one block of lines
 * (as 'perf stat -I' prints them), or with JSON one object a line (JSON
 * Lines, in 'perf stat -j''s key habits), computed by view.c like the
 * TUI's numbers.  Runs until the source ends or says stop (a signal); the
 * last, partial interval is printed too.  0, or -errno with ERR set.
 */
int ustat_top_stdio__run(struct ustat_tui_source *src, struct ustat_agg *agg,
			 const struct ustat_tui_opts *opts, bool json, FILE *out,
			 char *err, size_t errlen);

#endif /* __USTAT_TOP_STDIO_H */
