/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TRACEFS_H
#define __USTAT_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Reading tracepoint descriptions from tracefs: the numeric id that
 * perf_event_open() takes as config, and the format text that
 * libtraceevent parses (and that goes into perf.data so a report works on
 * another machine).  DIR is the tracefs mount (NULL: find it, mounting it
 * if needed, through libapi).
 */
const char *ustat_tracefs__dir(void);

/* The event's id, or -ENOENT when this kernel does not have it. */
int ustat_tracefs__event_id(const char *dir, const char *sys, const char *name);
/* The event's format text (malloc'ed, NUL-terminated), or NULL. */
char *ustat_tracefs__event_format(const char *dir, const char *sys, const char *name,
				  size_t *len);
/* A file of the tracefs root, such as events/header_page. */
char *ustat_tracefs__read(const char *dir, const char *file, size_t *len);

#endif /* __USTAT_TRACEFS_H */
