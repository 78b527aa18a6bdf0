/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_WORKLOAD_H
#define __USTAT_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/*
 * The command of 'record -- CMD': forked first and held before exec, so
 * that events opened on its pid with enable_on_exec start counting at the
 * exec and see the whole run, and nothing of our own start-up.
 */
struct ustat_workload {
	pid_t	pid;
	int	go_fd;		/* writing one byte lets the child exec */
	int	err_fd;		/* the child writes errno here if exec fails */
	bool	exited;
	bool	stopped;	/* ustat_workload__stop() had to signal it */
	int	status;
	struct rusage	ru;	/* once exited: what it used (wait4) */
};

/*
 * OUTPUT: NULL to leave the command our stdin, stdout and stderr, else a
 * file for its stdout and stderr, with stdin from /dev/null ('top': the
 * view owns the terminal).  STDOUT_TO_STDERR (record -o -): its stdout is
 * our stderr, our stdout being the stream.
 */
int ustat_workload__prepare(struct ustat_workload *w, const char **argv, const char *output,
			    bool stdout_to_stderr, char *err, size_t errlen);
/* Release the child; fails with a message if exec failed. */
int ustat_workload__start(struct ustat_workload *w, const char *cmd,
			  char *err, size_t errlen);
/* Reap the child if it has exited (non-blocking); true once it has. */
bool ustat_workload__reap(struct ustat_workload *w);
/* Stop a child that is still running (SIGTERM, then SIGKILL) and reap it. */
void ustat_workload__stop(struct ustat_workload *w);

/* The thread ids of PID (from /proc/PID/task); caller frees *TIDS. */
int ustat_pid__threads(pid_t pid, pid_t **tids, int *nr);

/*
 * The thread ids of the processes PIDS[0..NR) in one array.  A process
 * that is gone is skipped if SKIP_GONE, else -ESRCH with its pid in *GONE.
 */
int ustat_pids__threads(const pid_t *pids, int nr, bool skip_gone, pid_t **tids, int *nr_tids,
			pid_t *gone);

#endif /* __USTAT_WORKLOAD_H */
