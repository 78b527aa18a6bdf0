// SPDX-License-Identifier: GPL-2.0
/*
 * A recording in progress (top), read as it is made: a perf_session of no
 * file, as builtin-top has, whose evlist is built from what the recorder
 * says of its events; records are queued on the session's ordered_events
 * as they are drained and flushed a round at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/err.h>
#include <linux/zalloc.h>

#include <traceevent/event-parse.h>

#include "util/debug.h"
#include "util/event.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/ordered-events.h"
#include "util/sample.h"
#include "util/session.h"
#include "util/trace-event.h"
#include "perf-evlist.h"
#include "perf-input.h"

struct ustat_live {
	struct evlist		*evlist;
	struct trace_event	 tevent;
	bool			 has_tevent;
};

void ustat_input__live_free(struct ustat_input *in)
{
	struct ustat_live *lv = in->lv;

	if (!lv)
		return;
	/* A session of no file leaves its evlist to whoever made it. */
	if (in->session)
		in->session->evlist = NULL;
	ustat_perf__evlist_free(lv->evlist);
	if (lv->has_tevent)
		trace_event__cleanup(&lv->tevent);
	free(lv);
	in->lv = NULL;
}

/*
 * The kernel events' formats: trace_report() reads tracing data from a
 * file descriptor only, so the recorder's copy goes through a memfd.
 */
static int read_formats(struct ustat_input *in, const void *data, size_t size)
{
	struct ustat_live *lv = in->lv;
	struct evsel *evsel;
	ssize_t n;
	int fd;

	fd = memfd_create("uprobe-stat-tracing-data", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, data, size);
	if (n != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return -EIO;
	}
	n = trace_report(fd, &lv->tevent, false);
	close(fd);
	if (n < 0)
		return -EINVAL;
	lv->has_tevent = true;
	evlist__for_each_entry(lv->evlist, evsel) {
		if (evsel->core.attr.type == PERF_TYPE_TRACEPOINT)
			evsel->tp_format = tep_find_event(lv->tevent.pevent,
							  evsel->core.attr.config);
	}
	return 0;
}

static int live_meta(struct ustat_input *in, const struct ustat_live_event *ev,
		     const struct ustat_recording *rec)
{
	char **recs = calloc(rec->nr_meta + 1, sizeof(char *));
	int i;

	if (!recs)
		return -ENOMEM;
	for (i = 0; i < rec->nr_meta; i++) {
		recs[i] = strdup(rec->meta[i]);
		if (!recs[i])
			goto nomem;
	}
	if (ustat_input__assign_meta(in, recs, rec->nr_meta)) {
		free(recs);
		return -ENOMEM;
	}
	free(recs);
	if (rec->session_meta) {
		in->session_meta = strdup(rec->session_meta);
		if (!in->session_meta)
			return -ENOMEM;
	}
	in->rec.session_meta = in->session_meta;
	for (i = 0; i < in->nr_events; i++) {
		if (!ev[i].meta)
			continue;
		in->events[i].meta = strdup(ev[i].meta);
		if (!in->events[i].meta)
			return -ENOMEM;
	}
	return 0;
nomem:
	while (i--)
		free(recs[i]);
	free(recs);
	return -ENOMEM;
}

int ustat_input__open_live(struct ustat_input **inp, const struct ustat_live_event *ev, int nr,
			   const struct ustat_recording *rec, const void *tracing_data,
			   size_t tracing_data_size, char *err, size_t errlen)
{
	struct ustat_input *in = zalloc(sizeof(*in));
	int i, ret = -ENOMEM;

	*inp = NULL;
	if (!in)
		goto fail;
	in->live = true;
	in->rec = *rec;
	in->rec.path = NULL;
	in->rec.meta = NULL;
	in->rec.nr_meta = 0;
	ustat_input__init_tool(in);
	in->lv = zalloc(sizeof(*in->lv));
	if (!in->lv)
		goto fail;
	in->session = perf_session__new(NULL, &in->tool);
	if (IS_ERR(in->session)) {
		ret = PTR_ERR(in->session);
		in->session = NULL;
		goto fail;
	}
	in->lv->evlist = evlist__new();
	if (!in->lv->evlist)
		goto fail;
	for (i = 0; i < nr; i++) {
		ret = ustat_perf__add_evsel(in->lv->evlist, ev[i].attr, ev[i].name, ev[i].ids,
					    ev[i].nr_ids, i);
		if (ret)
			goto fail;
	}
	in->session->evlist = in->lv->evlist;
	perf_session__set_id_hdr_size(in->session);
	/* Records are queued from the recorder's buffers, which are reused. */
	ordered_events__set_copy_on_queue(&in->session->ordered_events, true);
	/* Without formats the kernel events show as unavailable, not fatal. */
	if (tracing_data_size && read_formats(in, tracing_data, tracing_data_size))
		pr_warning("uprobe-stat: cannot read the kernel events' formats\n");
	ret = ustat_input__setup(in, err, errlen);
	if (ret)
		goto out;
	ret = live_meta(in, ev, rec);
	if (!ret)
		ret = ustat_event_infos__build(&in->infos, in->events, in->nr_events);
	if (ret)
		goto fail;
	*inp = in;
	return 0;
fail:
	snprintf(err, errlen, "cannot set up the live session: %s", strerror(-ret));
out:
	ustat_input__close(in);
	return ret;
}

/* Records without a time cannot wait for a round: they go out at once. */
static int deliver_now(struct ustat_input *in, union perf_event *event)
{
	struct perf_sample ps;

	memset(&ps, 0, sizeof(ps));
	if (evlist__parse_sample(in->lv->evlist, event, &ps)) {
		in->stats.bad_records++;
		return 0;
	}
	return ustat_input__deliver(in, event, &ps, evlist__id2evsel(in->lv->evlist, ps.id));
}

int ustat_input__feed(struct ustat_input *in, const union perf_event *ev)
{
	/* perf's queue takes a record it may copy, but not a const one. */
	union perf_event *event = (union perf_event *)ev;
	u64 timestamp = -1ULL;
	u32 type;
	int ret;

	if (in->error)
		return in->error;
	type = event->header.type;
	/* the counting consumer's totals: no time, no order */
	if (type == PERF_RECORD_STAT || type == PERF_RECORD_CPU_MAP)
		return ustat_input__deliver_stat(in, event, in->lv->evlist);
	/* mmaps, forks, ...: the core needs none of them */
	if (type != PERF_RECORD_SAMPLE && type != PERF_RECORD_COMM &&
	    type != PERF_RECORD_LOST && type != PERF_RECORD_LOST_SAMPLES)
		return 0;
	ret = evlist__parse_sample_timestamp(in->lv->evlist, event, &timestamp);
	if (ret || timestamp == -1ULL)
		return deliver_now(in, event);
	ret = perf_session__queue_event(in->session, event, timestamp, 0, NULL);
	return ret ?: in->error;
}

int ustat_input__round(struct ustat_input *in)
{
	int ret = ordered_events__flush(&in->session->ordered_events, OE_FLUSH__ROUND);

	return in->error ?: ret;
}

int ustat_input__end(struct ustat_input *in)
{
	int ret = ordered_events__flush(&in->session->ordered_events, OE_FLUSH__FINAL);

	return in->error ?: ret;
}
