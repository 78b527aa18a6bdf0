// SPDX-License-Identifier: GPL-2.0
/*
 * record's perf.data, standalone: the tool's own writer (perf-writer.c)
 * and the COMM and MMAP2 records of running processes read from /proc
 * (synthesize.c).  Inside perf, perf/rec-file.c does it with perf's code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/uprobe-stat/util/debug.h"
#include "perf-writer.h"
#include "rec-file.h"
#include "synthesize.h"

struct ustat_rec_file {
	struct ustat_writer		 w;
	const struct ustat_file_event	*first;	/* synthesized records are of it */
	bool				 open;
};

int ustat_rec_file__check_path(const char *path, char *err, size_t errlen)
{
	return ustat_out_file__check_path(path, err, errlen);
}

int ustat_rec_file__open(struct ustat_rec_file **fp, const char *path, bool force,
			 char *err, size_t errlen)
{
	struct ustat_rec_file *f = calloc(1, sizeof(*f));
	int ret;

	*fp = f;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = ustat_writer__open(&f->w, path, force, err, errlen);
	f->open = !ret;
	return ret;
}

int ustat_rec_file__begin(struct ustat_rec_file *f, const struct ustat_file_desc *d)
{
	f->first = d->nr_events ? &d->events[0] : NULL;
	if (ustat_writer__begin(&f->w, d->events, d->nr_events) ||
	    ustat_writer__begin_desc(&f->w, d))
		return f->w.error;
	if (f->w.out.pipe)
		return 0;
	/* The samples go past the page cache: see perf-writer-direct.c. */
	if (ustat_writer__direct_begin(&f->w))
		return f->w.error;
	ustat_debug("output: %s", f->w.dfd >= 0 ? "O_DIRECT, past the page cache" :
		    "buffered: the file system refuses O_DIRECT");
	return 0;
}

bool ustat_rec_file__pipe(const struct ustat_rec_file *f)
{
	return f->w.out.pipe;
}

static int write_synth(void *ctx, const void *ev, size_t len)
{
	return ustat_writer__write(ctx, ev, len);
}

int ustat_rec_file__synthesize(struct ustat_rec_file *f, const pid_t *pids, int nr_pids,
			       bool all)
{
	const struct ustat_file_event *e = f->first;
	u64 id;
	int i;

	if (!e)
		return 0;
	id = e->nr_ids ? e->ids[0] : 0;
	/* A process that is gone has nothing to name: not an error. */
	for (i = 0; i < nr_pids; i++)
		ustat_synth__process(pids[i], &e->attr, id, write_synth, &f->w);
	if (all)
		ustat_synth__all(&e->attr, id, write_synth, &f->w);
	return f->w.error;
}

int ustat_rec_file__write(struct ustat_rec_file *f, const void *data, size_t len)
{
	return ustat_writer__write(&f->w, data, len);
}

int ustat_rec_file__commit(struct ustat_rec_file *f, char *err, size_t errlen)
{
	return ustat_out_file__commit(&f->w.out, err, errlen);
}

int ustat_rec_file__finish(struct ustat_rec_file *f, const struct ustat_file_desc *d)
{
	int ret = ustat_writer__finish(&f->w, d);

	if (!ret)
		f->open = false;
	return ret;
}

int ustat_rec_file__error(const struct ustat_rec_file *f)
{
	return f->w.error;
}

u64 ustat_rec_file__size(const struct ustat_rec_file *f)
{
	return f->w.file_pos + f->w.buf_used;
}

void ustat_rec_file__close(struct ustat_rec_file *f)
{
	if (!f)
		return;
	if (f->open)
		ustat_writer__abort(&f->w);
	free(f);
}
