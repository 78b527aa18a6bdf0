/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UPROBE_STAT_FORMAT_CHECK_H
#define __UPROBE_STAT_FORMAT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Strict shape checks for the tracefs texts a perf.data file carries.
 * libtraceevent 1.7.1 trusts them and crashes on some malformed ones
 * (fuzzing found several), so a text is handed to it only when every line
 * has the shape the kernel prints.
 */
bool ustat_format__event_ok(const char *text, size_t len);
bool ustat_format__header_page_ok(const char *text, size_t len);

#endif
