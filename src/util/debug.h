/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DEBUG_H
#define __USTAT_DEBUG_H

#include <stdio.h>
#include <linux/compiler.h>

/*
 * Messages for the user.  Errors are one line, start with the tool's name
 * and name the problem, so that scripts and people both see what failed.
 */
extern int ustat_verbose;
extern const char *ustat_prog;

#define ustat_err(fmt, ...) ustat_msg("", fmt, ##__VA_ARGS__)
#define ustat_warn(fmt, ...) ustat_msg("warning: ", fmt, ##__VA_ARGS__)
#define ustat_info(fmt, ...) \
	fprintf(stderr, fmt "\n", ##__VA_ARGS__)
#define ustat_debug(fmt, ...)						\
	do {								\
		if (ustat_verbose > 0)					\
			fprintf(stderr, "debug: " fmt "\n", ##__VA_ARGS__); \
	} while (0)

/*
 * "PROG: PREFIX message" on stderr, on one line whatever the message holds:
 * names from files and the command line are escaped (str-escape.h).
 */
void ustat_msg(const char *prefix, const char *fmt, ...)
	__printf(2, 3);

/* Bind libperf's and libapi's messages to ours (called once at start). */
void ustat_debug_init(void);

#endif /* __USTAT_DEBUG_H */
