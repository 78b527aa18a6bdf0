// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <sys/wait.h>

#include "cmd-end.h"

static const char * const names[] = {
	[USTAT_CMD_EXITED]	= "exited",
	[USTAT_CMD_KILLED]	= "killed",
	[USTAT_CMD_STOPPED]	= "stopped",
};

enum ustat_cmd_end ustat_cmd_end__from_wait(int wstatus, bool stopped, int *code)
{
	int sig;

	if (WIFEXITED(wstatus)) {
		*code = WEXITSTATUS(wstatus);
		return USTAT_CMD_EXITED;
	}
	sig = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	*code = sig;
	/* The terminal's Ctrl-C reaches CMD too: that is the stop, not a crash. */
	if (stopped && (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGKILL))
		return USTAT_CMD_STOPPED;
	return USTAT_CMD_KILLED;
}

const char *ustat_cmd_end__name(enum ustat_cmd_end end)
{
	return end <= USTAT_CMD_STOPPED ? names[end] : "?";
}

int ustat_cmd_end__parse(const char *name, enum ustat_cmd_end *end)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(name, names[i])) {
			*end = i;
			return 0;
		}
	}
	return -1;
}

void ustat_cmd_end__describe(enum ustat_cmd_end end, int code, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(code);

	switch (end) {
	case USTAT_CMD_EXITED:
		snprintf(buf, len, "exited with status %d", code);
		break;
	case USTAT_CMD_KILLED:
		snprintf(buf, len, "killed by signal %d (SIG%s)", code, abbrev ? abbrev : "?");
		break;
	case USTAT_CMD_STOPPED:
	default:
		snprintf(buf, len, "stopped with the recording (SIG%s)", abbrev ? abbrev : "?");
		break;
	}
}

int ustat_cmd_end__exit_code(enum ustat_cmd_end end, int code)
{
	switch (end) {
	case USTAT_CMD_EXITED:
		return code;
	case USTAT_CMD_KILLED:
		return 128 + code;
	case USTAT_CMD_STOPPED:
	default:
		return 0;
	}
}
