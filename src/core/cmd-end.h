/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_CMD_END_H
#define __USTAT_CMD_END_H

#include <stdbool.h>
#include <stddef.h>

/*
 * How 'record -- CMD' saw CMD end, for the summary line, the file (the
 * session metadata's cmd_end and cmd_code) and record's exit status.
 */
enum ustat_cmd_end {
	USTAT_CMD_EXITED,	/* code: its exit status */
	USTAT_CMD_KILLED,	/* code: the signal that killed it */
	USTAT_CMD_STOPPED,	/* code: the signal that stopped it with the recording */
};

/*
 * From a wait status.  STOPPED: the recording was stopped (Ctrl-C,
 * SIGTERM, SIGHUP) and CMD died of that or of the SIGTERM we sent it.
 */
enum ustat_cmd_end ustat_cmd_end__from_wait(int wstatus, bool stopped, int *code);
const char *ustat_cmd_end__name(enum ustat_cmd_end end);
int ustat_cmd_end__parse(const char *name, enum ustat_cmd_end *end);
/* "exited with status 3", "killed by signal 11 (SIGSEGV)", ... */
void ustat_cmd_end__describe(enum ustat_cmd_end end, int code, char *buf, size_t len);
/*
 * record's own exit status, as perf record's: CMD's exit status, 128 +
 * the signal that killed it; 0 when the recording stopped it.
 */
int ustat_cmd_end__exit_code(enum ustat_cmd_end end, int code);

#endif /* __USTAT_CMD_END_H */
