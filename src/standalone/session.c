// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/compiler.h>

#include <traceevent/event-parse.h>

#include "util/uprobe-stat/util/debug.h"
#include "session.h"
#include "tracing-data.h"

/* What a session knows once its reader is set: formats, order. */
static int session_setup(struct ustat_session *s)
{
	int i;

	if (s->reader.tracing_data_size) {
		char terr[256];

		/* Without formats the tracepoints are shown as unavailable, not fatal. */
		s->tep = ustat_tdata__parse(s->reader.tracing_data, s->reader.tracing_data_size,
					    terr, sizeof(terr));
		if (!s->tep)
			ustat_warn("%s: %s", s->reader.path, terr);
	}
	s->ordered = true;
	for (i = 0; i < s->reader.nr_evsels; i++)
		if (!(s->reader.evsels[i].attr.sample_type & PERF_SAMPLE_TIME))
			s->ordered = false;
	return 0;
}

int ustat_session__open(struct ustat_session *s, const char *path,
			char *err, size_t errlen)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = ustat_reader__open(&s->reader, path, err, errlen);
	if (ret)
		return ret;
	return session_setup(s);
}

int ustat_session__open_live(struct ustat_session *s, const struct ustat_file_event *events,
			     int nr, const char *session_meta, char *const *meta, int nr_meta,
			     const void *tracing_data, size_t tracing_data_size,
			     char *err, size_t errlen)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = ustat_reader__init_mem(&s->reader, events, nr, session_meta, meta, nr_meta,
				     tracing_data, tracing_data_size, err, errlen);
	if (ret)
		return ret;
	s->live = true;
	return session_setup(s);
}

void ustat_session__close(struct ustat_session *s)
{
	if (s->tep)
		tep_free(s->tep);
	ustat_reader__close(&s->reader);
	ustat_oe__exit(&s->oe);
	ustat_cursor__exit(&s->cursor);
	free(s->stat_cpus);
}

/*
 * PERF_RECORD_CPU_MAP as perf stat record writes it (a list of CPUs):
 * what the CPU index of each PERF_RECORD_STAT stands for.  Other forms
 * (masks, ranges) leave the indexes taken as CPU numbers.
 */
static int note_cpu_map(struct ustat_session *s, const union perf_event *ev)
{
	const u16 *p = (const u16 *)(&ev->header + 1);
	size_t words = (ev->header.size - sizeof(ev->header)) / 2;
	u16 *cpus;

	if (words < 2 || p[0] != PERF_CPU_MAP__CPUS || p[1] > words - 2) {
		s->bad_records += words < 2;
		return 0;
	}
	cpus = malloc((p[1] + 1) * sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	memcpy(cpus, p + 2, p[1] * sizeof(*cpus));
	free(s->stat_cpus);
	s->stat_cpus = cpus;
	s->nr_stat_cpus = p[1];
	return 0;
}

/* A counter's running total (record --count): to the consumer as a count. */
static int deliver_stat(struct ustat_session *s, const union perf_event *ev)
{
	struct ustat_evsel *evsel;
	u32 cpu;

	if (ev->header.size < sizeof(ev->stat)) {
		s->bad_records++;
		return 0;
	}
	evsel = ustat_reader__evsel_by_id(&s->reader, ev->stat.id);
	if (!evsel) {
		s->unknown_id++;
		return 0;
	}
	cpu = ev->stat.cpu;
	if (s->stat_cpus && cpu < s->nr_stat_cpus)
		cpu = s->stat_cpus[cpu];
	if (s->filter && !ustat_sample_filter__keep_cpu(s->filter, cpu))
		return 0;
	return s->ops->count ? s->ops->count(s->ctx, evsel->idx, cpu, ev->stat.thread,
					     ev->stat.val) : 0;
}

/*
 * A mapping of code, for callchains: MMAP says data with a misc bit, MMAP2
 * with its prot.  The file name is NUL-terminated inside the record.
 */
static int deliver_mmap(struct ustat_session *s, const union perf_event *ev)
{
	const char *name, *end = (const char *)ev + ev->header.size;
	bool two = ev->header.type == PERF_RECORD_MMAP2;

	if (!s->ops->mmap)
		return 0;
	name = two ? ev->mmap2.filename : ev->mmap.filename;
	if (name >= end || !memchr(name, '\0', end - name)) {
		s->bad_records++;
		return 0;
	}
	if (two ? !(ev->mmap2.prot & PROT_EXEC) : ev->header.misc & PERF_RECORD_MISC_MMAP_DATA)
		return 0;
	if (two)
		return s->ops->mmap(s->ctx, ev->mmap2.pid, ev->mmap2.start, ev->mmap2.len,
				    ev->mmap2.pgoff, name);
	return s->ops->mmap(s->ctx, ev->mmap.pid, ev->mmap.start, ev->mmap.len,
			    ev->mmap.pgoff, name);
}

/*
 * Hand one record to the consumer, in time order when the file allows.
 * TAG is its event's index + 1 when on_record() looked it up, else 0.
 */
static int deliver(void *ctx, union perf_event *ev, u64 time, u32 tag)
{
	struct ustat_session *s = ctx;
	struct ustat_evsel *evsel = tag ? &s->reader.evsels[tag - 1] :
					  ustat_reader__evsel_of(&s->reader, ev);
	struct ustat_sample sample;

	switch (ev->header.type) {
	case PERF_RECORD_SAMPLE:
		if (!evsel) {
			s->unknown_id++;
			return 0;
		}
		if (ustat_sample__parse_laid(&evsel->layout, &evsel->attr, ev, &sample)) {
			s->bad_records++;
			return 0;
		}
		if (s->filter && s->filter->active &&
		    !ustat_sample_filter__keep(s->filter, &sample))
			return 0;
		sample.priv = ev;
		return s->ops->sample ? s->ops->sample(s->ctx, evsel->idx, &sample) : 0;
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
	case PERF_RECORD_COMM: {
		char comm[sizeof(ev->comm.comm) + 1];

		if (s->filter && ustat_sample_filter__comm(s->filter, ev->comm.tid, ev->comm.comm))
			return -ENOMEM;
		if (!s->ops->comm)
			return 0;
		if (!evsel || ustat_sample__parse_id(&evsel->attr, ev, &sample))
			memset(&sample, 0xff, sizeof(sample));
		sample.priv = ev;
		memcpy(comm, ev->comm.comm, sizeof(ev->comm.comm));
		comm[sizeof(ev->comm.comm)] = '\0';
		return s->ops->comm(s->ctx, ev->comm.pid, ev->comm.tid, comm, &sample);
	}
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		return deliver_mmap(s, ev);
	case PERF_RECORD_FORK:
		if (ev->header.size < sizeof(ev->fork)) {
			s->bad_records++;
			return 0;
		}
		if (!s->ops->fork || ev->fork.pid == ev->fork.ppid)
			return 0;	/* a thread: its process's mappings */
		return s->ops->fork(s->ctx, ev->fork.pid, ev->fork.ppid);
	default:
		return 0;
	}
}

/* A record's timestamp; 0 (delivered first) when it has none. */
static u64 record_time(const union perf_event *ev, const struct ustat_evsel *evsel)
{
	struct ustat_sample sample;
	int ret;

	if (!evsel)
		return 0;
	if (ev->header.type == PERF_RECORD_SAMPLE)
		return ustat_sample__time_laid(&evsel->layout, ev);
	ret = ustat_sample__parse_id(&evsel->attr, ev, &sample);
	return ret ? 0 : sample.time;
}

/*
 * A mapped file's pages are given back each time this much more was read
 * (each madvise() walks page tables; 8 MiB steps made report's peak 6 MiB
 * higher, rounds or none).
 */
#define RELEASE_EVERY	(2ULL << 20)

/* A mapped file's pages behind the oldest record still queued go. */
static void release_behind(struct ustat_session *s, const union perf_event *ev)
{
	u64 below = ustat_oe__oldest(&s->oe);

	if (below == (u64)-1)
		below = (const char *)ev - s->reader.map;
	ustat_reader__release(&s->reader, below);
}

static int on_record(void *ctx, union perf_event *ev, u64 file_offset __maybe_unused)
{
	struct ustat_session *s = ctx;
	struct ustat_evsel *evsel;
	int ret;

	s->nr_records++;
	/*
	 * A recorder that writes FINISHED_INIT (perf record, ours) marks a
	 * round after every pass, the first too: its rounds are kept whole
	 * (ordered-events.c).  A file with neither stays bounded by memory.
	 */
	if (ev->header.type == PERF_RECORD_FINISHED_INIT)
		s->oe.rounds = true;
	switch (ev->header.type) {
	case PERF_RECORD_FINISHED_ROUND:
		return s->ordered ? ustat_oe__round(&s->oe) : 0;
	case PERF_RECORD_CPU_MAP:
		return note_cpu_map(s, ev);
	case PERF_RECORD_STAT:
		/* running totals: their order among the samples does not matter */
		return deliver_stat(s, ev);
	case PERF_RECORD_SAMPLE:
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
	case PERF_RECORD_COMM:
		break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_FORK:
		if (s->ops && s->ops->mmap)
			break;	/* callchains name their addresses by them */
		return 0;
	default:
		return 0;	/* forks, ... are not needed by the reports */
	}
	/* Looked up once: the queue hands it on with the record. */
	evsel = ustat_reader__evsel_of(&s->reader, ev);
	if (!s->ordered)
		ret = deliver(s, ev, 0, evsel ? evsel - s->reader.evsels + 1 : 0);
	else
		ret = ustat_oe__queue_tag(&s->oe, ev, record_time(ev, evsel),
					  evsel ? evsel - s->reader.evsels + 1 : 0);
	/* Whatever the rounds: the queue's limit bounds what stays behind. */
	if (!ret && s->oe.base &&
	    (u64)((const char *)ev - s->reader.map) >= s->reader.released + RELEASE_EVERY)
		release_behind(s, ev);
	return ret;
}

/* Records read from a mapped file stay where they are until it closes. */
static void session_oe_init(struct ustat_session *s)
{
	ustat_oe__init(&s->oe, deliver, s);
	if (s->reader.map)
		ustat_oe__borrow(&s->oe, s->reader.map);
}

int ustat_session__process(struct ustat_session *s, const struct ustat_input_ops *ops,
			   void *ctx, char *err, size_t errlen)
{
	int ret;

	s->ops = ops;
	s->ctx = ctx;
	session_oe_init(s);
	ret = ustat_reader__walk_events(&s->reader, on_record, s, err, errlen);
	if (!ret)
		ret = ustat_oe__flush_all(&s->oe);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (!ret && s->oe.raised)
		ustat_debug("%s: a round of more than %zu MiB, queued whole", s->reader.path,
			    (s->oe.raised / 2) >> 20);
	if (!ret && s->oe.out_of_order)
		ustat_warn("%s: %llu records arrived out of time order", s->reader.path,
			   (unsigned long long)s->oe.out_of_order);
	if (!ret && (s->unknown_id || s->bad_records))
		ustat_warn("%s: skipped %llu samples of unknown events and %llu malformed records",
			   s->reader.path, (unsigned long long)s->unknown_id,
			   (unsigned long long)s->bad_records);
	return ret;
}

int ustat_session__begin(struct ustat_session *s, const struct ustat_input_ops *ops, void *ctx)
{
	s->ops = ops;
	s->ctx = ctx;
	session_oe_init(s);
	/* top's memory stays small under a flood: see USTAT_OE_LIVE_LIMIT. */
	if (s->live)
		s->oe.limit = s->oe.limit_max = USTAT_OE_LIVE_LIMIT;
	return 0;
}

int ustat_session__feed(struct ustat_session *s, const union perf_event *ev)
{
	/* on_record() only reads the record; the walk's callback type is not const. */
	return on_record(s, (union perf_event *)ev, 0);
}

int ustat_session__round(struct ustat_session *s)
{
	return s->ordered ? ustat_oe__round(&s->oe) : 0;
}

int ustat_session__end(struct ustat_session *s)
{
	return ustat_oe__flush_all(&s->oe);
}

int ustat_session__replay_until(struct ustat_session *s, u64 limit, char *err, size_t errlen)
{
	union perf_event *ev;
	int ret;

	if (!s->cursor.open) {
		/*
		 * A replay runs for minutes in a terminal: read it by windows,
		 * where a file cut short meanwhile is an error the TUI reports
		 * and leaves by, not a SIGBUS that ends us in curses mode.
		 */
		if (s->reader.map && !s->oe.nr) {
			ustat_reader__unmap(&s->reader);
			ustat_oe__borrow(&s->oe, NULL);
		}
		if (ustat_reader__cursor_init(&s->reader, &s->cursor))
			return -ENOMEM;
	}
	/*
	 * Read on until a round has closed past LIMIT: by then every record
	 * up to LIMIT is queued (see ordered-events.h).  The rounds read on
	 * the way deliver nothing newer than LIMIT: a replay shows the
	 * recording as it was at LIMIT, not a round ahead of it.  A file
	 * without times has no order to wait for and goes out whole.
	 */
	s->oe.hold = limit;
	while (!s->at_end && (!s->ordered || s->oe.flushed < limit)) {
		ret = ustat_reader__next(&s->reader, &s->cursor, &ev, NULL, err, errlen);
		if (ret < 0)
			return ret;
		if (!ret) {
			s->at_end = true;
			break;
		}
		ret = on_record(s, ev, 0);
		if (ret)
			return ret < 0 ? ret : -EINVAL;
	}
	ret = ustat_oe__flush_limit(&s->oe, s->ordered ? limit : (u64)-1);
	if (ret < 0)
		return ret;
	return s->at_end && !s->oe.nr ? 0 : 1;
}

u64 ustat_session__start_time(struct ustat_session *s)
{
	struct ustat_cursor c;
	union perf_event *ev;
	char err[256];
	u64 t = 0;

	if (s->reader.has_sample_time)
		return s->reader.time_start;
	/* Files without HEADER_SAMPLE_TIME: the first record with a time. */
	if (ustat_reader__cursor_init(&s->reader, &c))
		return 0;
	while (!t && ustat_reader__next(&s->reader, &c, &ev, NULL, err, sizeof(err)) > 0)
		if (ev->header.type == PERF_RECORD_SAMPLE)
			t = record_time(ev, ustat_reader__evsel_of(&s->reader, ev));
	ustat_cursor__exit(&c);
	return t;
}
