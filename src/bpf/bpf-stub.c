// SPDX-License-Identifier: GPL-2.0
/*
 * -b where libbpf was not there to build with (inside perf's tree, or a
 * standalone build without libbpf-dev): say so, and record samples.
 */
#ifndef HAVE_UPROBE_STAT_BPF
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/compiler.h>

#include "bpf-kfunc.h"
#include "bpf-record.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/standalone/record.h"

void record__bpf_prepare(struct record *rec)
{
	rec->use_bpf = false;
	ustat_warn("-b: not built with BPF support (libbpf): counting with perf samples instead");
}

int record__bpf_attach(struct record *rec __maybe_unused, char *err, size_t errlen)
{
	snprintf(err, errlen, "not built with BPF support");
	return -EOPNOTSUPP;
}

void record__bpf_detach(struct record *rec __maybe_unused)
{
}

void record__bpf_close(struct record *rec __maybe_unused)
{
}

int record__bpf_meta(struct record *rec __maybe_unused, char ***recs, int *nr)
{
	*recs = NULL;
	*nr = 0;
	return 0;
}

int record__bpf_update(struct record *rec __maybe_unused, struct ustat_agg *agg __maybe_unused)
{
	return 0;
}
void record__kfunc_attach(struct record *rec)
{
	snprintf(rec->kfunc.state, sizeof(rec->kfunc.state),
		 "not built with BPF support (libbpf): no fentry");
}

void record__kfunc_detach(struct record *rec __maybe_unused)
{
}

void record__kfunc_close(struct record *rec __maybe_unused)
{
}

int record__kfunc_meta(struct record *rec, char ***recs, int *nr)
{
	struct ustat_meta_buf m = { 0 };

	*nr = 0;
	*recs = calloc(1, sizeof(**recs));
	if (!*recs || record_kfunc__head(&rec->kfunc, &m)) {
		ustat_meta__free(&m);
		free(*recs);
		*recs = NULL;
		return -ENOMEM;
	}
	(*recs)[(*nr)++] = m.s;
	return 0;
}
#endif /* HAVE_UPROBE_STAT_BPF */
