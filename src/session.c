// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>

#include <traceevent/event-parse.h>

#include "debug.h"
#include "session.h"
#include "tracing-data.h"

int ustat_session__open(struct ustat_session *s, const char *path,
			char *err, size_t errlen)
{
	int i, ret;

	memset(s, 0, sizeof(*s));
	ret = ustat_reader__open(&s->reader, path, err, errlen);
	if (ret)
		return ret;
	ret = ustat_event_infos__build(&s->infos, &s->reader);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		ustat_reader__close(&s->reader);
		return ret;
	}
	if (s->reader.tracing_data_size) {
		char terr[256];

		/* Without formats the tracepoints are shown as unavailable, not fatal. */
		s->tep = ustat_tdata__parse(s->reader.tracing_data, s->reader.tracing_data_size,
					    terr, sizeof(terr));
		if (!s->tep)
			ustat_warn("%s: %s", path, terr);
	}
	s->ordered = true;
	for (i = 0; i < s->reader.nr_evsels; i++)
		if (!(s->reader.evsels[i].attr.sample_type & PERF_SAMPLE_TIME))
			s->ordered = false;
	return 0;
}

void ustat_session__close(struct ustat_session *s)
{
	if (s->tep)
		tep_free(s->tep);
	ustat_event_infos__exit(&s->infos);
	ustat_reader__close(&s->reader);
	ustat_oe__exit(&s->oe);
}

/* Hand one record to the consumer, in time order when the file allows. */
static int deliver(void *ctx, union perf_event *ev, u64 time)
{
	struct ustat_session *s = ctx;
	struct ustat_evsel *evsel = ustat_reader__evsel_of(&s->reader, ev);
	struct ustat_sample sample;

	switch (ev->header.type) {
	case PERF_RECORD_SAMPLE:
		if (!evsel) {
			s->unknown_id++;
			return 0;
		}
		if (ustat_sample__parse(&evsel->attr, ev, &sample)) {
			s->bad_records++;
			return 0;
		}
		return s->ops->sample ? s->ops->sample(s->ctx, evsel, &sample, ev) : 0;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES: {
		bool lost = ev->header.type == PERF_RECORD_LOST;

		if (ev->header.size < sizeof(ev->header) + (lost ? 16 : 8)) {
			s->bad_records++;
			return 0;
		}
		/* Without a sample_id trailer the CPU is unknown: (u32)-1. */
		if (!evsel || ustat_sample__parse_id(&evsel->attr, ev, &sample))
			memset(&sample, 0xff, sizeof(sample));
		if (!s->ops->lost)
			return 0;
		return s->ops->lost(s->ctx, sample.cpu,
				    lost ? ev->lost.lost : ev->lost_samples.lost, time);
	}
	case PERF_RECORD_COMM:
		if (!s->ops->comm)
			return 0;
		if (!evsel || ustat_sample__parse_id(&evsel->attr, ev, &sample))
			memset(&sample, 0xff, sizeof(sample));
		return s->ops->comm(s->ctx, &ev->comm, &sample);
	default:
		return 0;
	}
}

/* A record's timestamp; 0 (delivered first) when it has none. */
static u64 record_time(struct ustat_session *s, const union perf_event *ev)
{
	struct ustat_evsel *evsel = ustat_reader__evsel_of(&s->reader, ev);
	struct ustat_sample sample;
	int ret;

	if (!evsel)
		return 0;
	if (ev->header.type == PERF_RECORD_SAMPLE)
		ret = ustat_sample__parse(&evsel->attr, ev, &sample);
	else
		ret = ustat_sample__parse_id(&evsel->attr, ev, &sample);
	return ret ? 0 : sample.time;
}

static int on_record(void *ctx, union perf_event *ev, u64 file_offset __maybe_unused)
{
	struct ustat_session *s = ctx;

	s->nr_records++;
	switch (ev->header.type) {
	case PERF_RECORD_FINISHED_ROUND:
		return s->ordered ? ustat_oe__round(&s->oe) : 0;
	case PERF_RECORD_SAMPLE:
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
	case PERF_RECORD_COMM:
		break;
	default:
		return 0;	/* mmaps, forks, ... are not needed by the reports */
	}
	if (!s->ordered)
		return deliver(s, ev, 0);
	return ustat_oe__queue(&s->oe, ev, record_time(s, ev));
}

int ustat_session__process(struct ustat_session *s, const struct ustat_session_ops *ops,
			   void *ctx, char *err, size_t errlen)
{
	int ret;

	s->ops = ops;
	s->ctx = ctx;
	ustat_oe__init(&s->oe, deliver, s);
	ret = ustat_reader__walk_events(&s->reader, on_record, s, err, errlen);
	if (!ret)
		ret = ustat_oe__flush_all(&s->oe);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (!ret && s->oe.out_of_order)
		ustat_warn("%s: %llu records arrived out of time order", s->reader.path,
			   (unsigned long long)s->oe.out_of_order);
	if (!ret && (s->unknown_id || s->bad_records))
		ustat_warn("%s: skipped %llu samples of unknown events and %llu malformed records",
			   s->reader.path, (unsigned long long)s->unknown_id,
			   (unsigned long long)s->bad_records);
	return ret;
}
