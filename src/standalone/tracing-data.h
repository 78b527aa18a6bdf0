/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TRACING_DATA_H
#define __USTAT_TRACING_DATA_H

#include <stddef.h>

struct tep_handle;

/*
 * perf.data's HEADER_TRACING_DATA: the tracepoint formats of the recorded
 * events, in the layout perf's trace-event-info.c writes (version 0.6):
 *
 *	"\027\010\104tracing" "0.6\0" endian(u8) long_size(u8) page_size(u32)
 *	"header_page\0" u64 size, text	"header_event\0" u64 size, text
 *	u32 nr ftrace formats (0)
 *	u32 nr systems; per system: "name\0" u32 nr events; per event: u64 size, format
 *	u32 kallsyms size (0)  u32 printk formats size (0)  u64 saved_cmdlines size (0)
 *
 * With it stock perf script decodes our tracepoint fields, and report
 * parses them on any machine.
 */
struct ustat_tdata {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

struct ustat_tdata_event {
	const char	*system;
	const char	*format;	/* the tracefs format text */
	size_t		 format_len;
};

int ustat_tdata__build(struct ustat_tdata *td, const char *header_page, size_t hp_len,
		       const char *header_event, size_t he_len,
		       const struct ustat_tdata_event *events, int nr);
void ustat_tdata__free(struct ustat_tdata *td);

/*
 * Parse a tracing-data blob into a libtraceevent handle holding every
 * event format in it.  NULL and a message in ERR when it is malformed.
 */
struct tep_handle *ustat_tdata__parse(const void *buf, size_t len, char *err, size_t errlen);

#endif /* __USTAT_TRACING_DATA_H */
