// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a file: all of it at once (report, script), or a step at a time
 * on the recording's clock (report --tui).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/zalloc.h>

#include "util/debug.h"
#include "util/event.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/header.h"
#include "util/sample.h"
#include "util/session.h"
#include "perf-input.h"
#include "replay.h"

struct ustat_replay {
	char	*buf;		/* the records, one after the other */
	size_t	 len;
	size_t	 cap;
	size_t	 pos;		/* the next to deliver */
	bool	 collecting;
	bool	 collected;
};

struct ustat_replay *ustat_replay__new(void)
{
	return zalloc(sizeof(struct ustat_replay));
}

void ustat_replay__free(struct ustat_replay *r)
{
	if (r)
		free(r->buf);
	free(r);
}

bool ustat_replay__collecting(const struct ustat_replay *r)
{
	return r->collecting;
}

int ustat_replay__add(struct ustat_replay *r, const union perf_event *event)
{
	size_t size = event->header.size;

	if (r->len + size > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1 << 20;
		char *buf;

		while (cap < r->len + size)
			cap *= 2;
		buf = realloc(r->buf, cap);
		if (!buf)
			return -ENOMEM;
		r->buf = buf;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, event, size);
	r->len += size;
	return 0;
}

static int walk(struct ustat_input *in, char *err, size_t errlen)
{
	int ret = perf_session__process_events(in->session);

	if (in->error) {
		ret = in->error;
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		return ret;
	}
	if (ret) {
		snprintf(err, errlen, "%s: cannot read its events: %s", in->rec.path,
			 strerror(ret < 0 ? -ret : EINVAL));
		return ret < 0 ? ret : -EINVAL;
	}
	return 0;
}

int ustat_input__process(struct ustat_input *in, const struct ustat_input_ops *ops,
			 void *ctx, char *err, size_t errlen)
{
	in->ops = ops;
	in->ctx = ctx;
	return walk(in, err, errlen);
}

int ustat_input__begin(struct ustat_input *in, const struct ustat_input_ops *ops, void *ctx)
{
	in->ops = ops;
	in->ctx = ctx;
	if (!in->live && !in->replay) {
		in->replay = ustat_replay__new();
		if (!in->replay)
			return -ENOMEM;
	}
	return 0;
}

static int collect(struct ustat_input *in, char *err, size_t errlen)
{
	struct ustat_replay *r = in->replay;
	int ret;

	if (r->collected)
		return 0;
	r->collecting = true;
	ret = walk(in, err, errlen);
	r->collecting = false;
	r->collected = true;
	return ret;
}

/* Parse a kept record again: the perf_sample points into it. */
static struct evsel *replay_parse(struct ustat_input *in, union perf_event *event,
				  struct perf_sample *ps)
{
	memset(ps, 0, sizeof(*ps));
	if (evlist__parse_sample(in->session->evlist, event, ps))
		return NULL;
	return evlist__id2evsel(in->session->evlist, ps->id);
}

static bool has_time(struct evsel *evsel, union perf_event *event)
{
	if (!evsel || !(evsel->core.attr.sample_type & PERF_SAMPLE_TIME))
		return false;
	return event->header.type == PERF_RECORD_SAMPLE || evsel->core.attr.sample_id_all;
}

int ustat_input__replay_until(struct ustat_input *in, u64 limit, char *err, size_t errlen)
{
	struct ustat_replay *r = in->replay;
	int ret;

	if (!r)
		return -EINVAL;
	ret = collect(in, err, errlen);
	if (ret)
		return ret;
	while (r->pos < r->len) {
		union perf_event *event = (union perf_event *)(r->buf + r->pos);
		struct perf_sample ps;
		struct evsel *evsel = replay_parse(in, event, &ps);

		/* Records in time order: the first past LIMIT waits for the next step. */
		if (has_time(evsel, event) && ps.time > limit)
			return 1;
		r->pos += event->header.size;
		ret = ustat_input__deliver(in, event, &ps, evsel);
		if (ret)
			return ret < 0 ? ret : -EINVAL;
	}
	return 0;
}

u64 ustat_input__start_time(const struct ustat_input *in)
{
	struct ustat_replay *r = in->replay;
	size_t pos;
	char err[256];

	if (in->rec.has_time)
		return in->rec.time_start;
	/* Files without HEADER_SAMPLE_TIME: the first record with a time. */
	if (!r || collect((struct ustat_input *)in, err, sizeof(err)))
		return 0;
	for (pos = 0; pos < r->len; ) {
		union perf_event *event = (union perf_event *)(r->buf + pos);
		struct perf_sample ps;
		struct evsel *evsel = replay_parse((struct ustat_input *)in, event, &ps);

		if (event->header.type == PERF_RECORD_SAMPLE && has_time(evsel, event))
			return ps.time;
		pos += event->header.size;
	}
	return 0;
}
