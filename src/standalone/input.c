// SPDX-License-Identifier: GPL-2.0
/*
 * The standalone backend's inputs (core/backend.h): a session on the
 * tool's own perf.data reader, seen by the core as event descriptions, a
 * recording and decoded samples, with tracepoint fields found by name in
 * the file's formats through libtraceevent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "util/uprobe-stat/core/backend.h"
#include "util/uprobe-stat/core/event-info.h"
#include "session.h"
#include "tp-fields.h"

/* A field looked up once, found or not, for as long as the input lives. */
struct tp_field_node {
	struct tp_field_node	*next;
	int			 idx;
	char			*name;
	bool			 found;
	struct ustat_tp_field	 f;
};

struct ustat_input {
	struct ustat_session		 s;
	struct ustat_recording		 rec;
	struct ustat_event_desc		*ev;
	int				 nr_ev;
	struct ustat_event_infos	 infos;
	struct tp_field_node		*fields;
};

/* What the core is told of the reader's events and of its recording. */
static int describe(struct ustat_input *in, bool live, char *err, size_t errlen)
{
	const struct ustat_reader *r = &in->s.reader;
	struct ustat_recording *rec = &in->rec;
	int i;

	in->nr_ev = r->nr_evsels;
	in->ev = calloc(r->nr_evsels ? r->nr_evsels : 1, sizeof(*in->ev));
	if (!in->ev)
		goto nomem;
	for (i = 0; i < r->nr_evsels; i++) {
		const struct ustat_evsel *e = &r->evsels[i];

		in->ev[i].name = e->name;
		in->ev[i].meta = e->meta;
		in->ev[i].tracepoint = e->attr.type == PERF_TYPE_TRACEPOINT;
		in->ev[i].tp_id = in->ev[i].tracepoint ? e->attr.config : 0;
	}
	rec->path = live ? NULL : r->path;
	rec->hostname = r->hostname;
	rec->osrelease = r->osrelease;
	rec->arch = r->arch;
	rec->version = r->version;
	rec->nr_cpus_avail = r->nr_cpus_avail;
	rec->nr_cpus_online = r->nr_cpus_online;
	rec->cmdline = r->cmdline;
	rec->cmdline_nr = r->cmdline_nr;
	rec->has_time = r->has_sample_time;
	rec->time_start = r->time_start;
	rec->time_end = r->time_end;
	rec->session_meta = r->session_meta;
	rec->meta = r->meta;
	rec->nr_meta = r->nr_meta;
	rec->salvaged = r->salvaged;
	if (ustat_event_infos__build(&in->infos, in->ev, in->nr_ev))
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

int ustat_input__open(struct ustat_input **inp, const char *path, char *err, size_t errlen)
{
	struct ustat_input *in = calloc(1, sizeof(*in));
	int ret;

	*inp = NULL;
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = ustat_session__open(&in->s, path, err, errlen);
	if (ret) {
		free(in);
		return ret;
	}
	ret = describe(in, false, err, errlen);
	if (ret) {
		ustat_input__close(in);
		return ret;
	}
	*inp = in;
	return 0;
}

int ustat_input__open_live(struct ustat_input **inp, const struct ustat_live_event *ev, int nr,
			   const struct ustat_recording *rec, const void *tracing_data,
			   size_t tracing_data_size, char *err, size_t errlen)
{
	struct ustat_input *in = calloc(1, sizeof(*in));
	struct ustat_file_event *fe = calloc(nr > 0 ? nr : 1, sizeof(*fe));
	int i, ret = -ENOMEM;

	*inp = NULL;
	if (!in || !fe) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < nr; i++) {
		fe[i].attr = *ev[i].attr;
		fe[i].name = ev[i].name;
		fe[i].ids = ev[i].ids;
		fe[i].nr_ids = ev[i].nr_ids;
		fe[i].meta = ev[i].meta;
	}
	/* The reader copies what it keeps: the metadata lives as long as the input. */
	ret = ustat_session__open_live(&in->s, fe, nr, rec->session_meta, rec->meta,
				       rec->nr_meta, tracing_data, tracing_data_size, err, errlen);
	if (ret)
		goto out;
	ret = describe(in, true, err, errlen);
	if (ret) {
		ustat_input__close(in);
		in = NULL;
		goto out;
	}
	*inp = in;
	in = NULL;
out:
	free(in);
	free(fe);
	return ret;
}

void ustat_input__close(struct ustat_input *in)
{
	struct tp_field_node *n, *next;

	if (!in)
		return;
	for (n = in->fields; n; n = next) {
		next = n->next;
		free(n->name);
		free(n);
	}
	ustat_event_infos__exit(&in->infos);
	free(in->ev);
	ustat_session__close(&in->s);
	free(in);
}

const struct ustat_recording *ustat_input__recording(const struct ustat_input *in)
{
	return &in->rec;
}

const struct ustat_event_desc *ustat_input__events(const struct ustat_input *in, int *nr)
{
	*nr = in->nr_ev;
	return in->ev;
}

const struct ustat_event_infos *ustat_input__infos(const struct ustat_input *in)
{
	return &in->infos;
}

void ustat_input__set_filter(struct ustat_input *in, struct ustat_sample_filter *filter)
{
	in->s.filter = filter;
}

int ustat_input__process(struct ustat_input *in, const struct ustat_input_ops *ops,
			 void *ctx, char *err, size_t errlen)
{
	return ustat_session__process(&in->s, ops, ctx, err, errlen);
}

int ustat_input__begin(struct ustat_input *in, const struct ustat_input_ops *ops, void *ctx)
{
	return ustat_session__begin(&in->s, ops, ctx);
}

int ustat_input__replay_until(struct ustat_input *in, u64 limit, char *err, size_t errlen)
{
	return ustat_session__replay_until(&in->s, limit, err, errlen);
}

u64 ustat_input__start_time(const struct ustat_input *in)
{
	/* Finding the first time reads the file: the session is not changed by it. */
	return ustat_session__start_time((struct ustat_session *)&in->s);
}

void ustat_input__stats(const struct ustat_input *in, struct ustat_input_stats *st)
{
	st->nr_records = in->s.nr_records;
	st->unknown_id = in->s.unknown_id;
	st->bad_records = in->s.bad_records;
}

int ustat_input__feed(struct ustat_input *in, const union perf_event *ev)
{
	return ustat_session__feed(&in->s, ev);
}

int ustat_input__round(struct ustat_input *in)
{
	return ustat_session__round(&in->s);
}

int ustat_input__end(struct ustat_input *in)
{
	return ustat_session__end(&in->s);
}

const struct ustat_tp_field *ustat_input__tp_field(struct ustat_input *in, int idx,
						   const char *name)
{
	struct tp_field_node *n;

	if (idx < 0 || idx >= in->nr_ev || !in->ev[idx].tracepoint || !in->s.tep)
		return NULL;
	for (n = in->fields; n; n = n->next)
		if (n->idx == idx && !strcmp(n->name, name))
			return n->found ? &n->f : NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->name = strdup(name);
	if (!n->name) {
		free(n);
		return NULL;
	}
	n->idx = idx;
	n->found = !ustat_tp_field__find(&n->f, in->s.tep, in->ev[idx].tp_id, name);
	n->next = in->fields;
	in->fields = n;
	return n->found ? &n->f : NULL;
}

/* The seam's reading of a field; the recorder's tp-fields.c, also in perf, has none. */
u64 ustat_tp_field__value(const struct ustat_tp_field *f, const struct ustat_sample *s)
{
	return ustat_tp_field__get(f, s->raw, s->raw_size);
}
