/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_OUT_FILE_H
#define __USTAT_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The life of record's output file, whoever writes its bytes (the tool's
 * writer, or perf's header code inside perf): created as PATH.XXXXXX,
 * mode 0600, never through a symlink, so that a recording that fails to
 * start leaves PATH and PATH.old alone; named PATH once it started.
 * Or "-", as perf record -o -: a copy of standard output (so that the
 * command's stdout can be sent elsewhere, workload.c), nothing to name.
 */
struct ustat_out_file {
	int	 fd;
	char	*path;
	char	*tmp_path;	/* where the data goes until ustat_out_file__commit() */
	bool	 force;
	bool	 pipe;		/* "-": perf's pipe format on standard output */
};

/* Fail early, before any probe is set, if PATH could never be written. */
int ustat_out_file__check_path(const char *path, char *err, size_t errlen);
int ustat_out_file__create(struct ustat_out_file *f, const char *path, bool force,
			   char *err, size_t errlen);
/*
 * The recording has started: keep an existing PATH as PATH.old as perf
 * record does (unless FORCE said overwrite it), and give the file its name.
 */
int ustat_out_file__commit(struct ustat_out_file *f, char *err, size_t errlen);
/* Done with it: close; 0 or -errno. */
int ustat_out_file__close(struct ustat_out_file *f);
/* Give up: close and remove the file, so no broken file is left as good. */
void ustat_out_file__abort(struct ustat_out_file *f);

#endif /* __USTAT_OUT_FILE_H */
