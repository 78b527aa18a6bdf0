// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a perf.data file for the core: perf_session__new() reads the
 * header, the attrs and ids, the features (perf_env) and the tracing data,
 * as for perf report; what the core needs of it is said once here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/zalloc.h>

#include "util/debug.h"
#include "util/env.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/header.h"
#include "util/session.h"
#include "perf-input.h"
#include "replay.h"
#include "fields.h"

/* The events as the core sees them, by evsel->core.idx. */
int ustat_input__setup(struct ustat_input *in, char *err, size_t errlen)
{
	struct evsel *evsel;
	int nr = 0;

	evlist__for_each_entry(in->session->evlist, evsel)
		nr++;
	in->events = calloc(nr ? nr : 1, sizeof(*in->events));
	in->evsels = calloc(nr ? nr : 1, sizeof(*in->evsels));
	if (!in->events || !in->evsels)
		goto nomem;
	evlist__for_each_entry(in->session->evlist, evsel) {
		int idx = evsel->core.idx;

		if (idx < 0 || idx >= nr) {
			snprintf(err, errlen, "%s: event %s out of place", in->rec.path ?: "live",
				 evsel__name(evsel));
			return -EINVAL;
		}
		in->evsels[idx] = evsel;
		in->events[idx].name = evsel__name(evsel);
		in->events[idx].tracepoint = evsel->core.attr.type == PERF_TYPE_TRACEPOINT;
		if (in->events[idx].tracepoint)
			in->events[idx].tp_id = evsel->core.attr.config;
	}
	in->nr_events = nr;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

/* What the file's header says of the recording (perf_env, as perf report -I). */
static void set_recording(struct ustat_input *in)
{
	struct perf_session *session = in->session;
	struct perf_env *env = &session->header.env;
	struct ustat_recording *rec = &in->rec;

	rec->hostname = env->hostname;
	rec->osrelease = env->os_release;
	rec->arch = env->arch;
	rec->version = env->version;
	rec->nr_cpus_avail = env->nr_cpus_avail > 0 ? env->nr_cpus_avail : 0;
	rec->nr_cpus_online = env->nr_cpus_online > 0 ? env->nr_cpus_online : 0;
	rec->cmdline = (char *const *)env->cmdline_argv;
	rec->cmdline_nr = env->nr_cmdline > 0 ? env->nr_cmdline : 0;
	rec->has_time = perf_header__has_feat(&session->header, HEADER_SAMPLE_TIME);
	if (rec->has_time) {
		rec->time_start = session->evlist->first_sample_time;
		rec->time_end = session->evlist->last_sample_time;
	}
}

#define SALVAGE_CHUNK	(1 << 20)

/* The bytes of whole records from OFF on, up to the end of the file. */
static u64 whole_records(int fd, u64 off, u64 end)
{
	char *buf = malloc(SALVAGE_CHUNK);
	u64 at = off, have_at = off;
	size_t have = 0, pos = 0;

	if (!buf)
		return 0;
	for (;;) {
		struct perf_event_header h;
		ssize_t n;

		if (have - pos < sizeof(h)) {
			/* Keep the record's start, read on after it. */
			memmove(buf, buf + pos, have - pos);
			have_at += pos;
			have -= pos;
			pos = 0;
			n = pread(fd, buf + have, SALVAGE_CHUNK - have, have_at + have);
			if (n <= 0)
				break;
			have += n;
			continue;
		}
		memcpy(&h, buf + pos, sizeof(h));
		/* A recorder killed mid-write may leave anything: stop there. */
		if (h.size < sizeof(h) || h.size % 8 || at + h.size > end)
			break;
		at += h.size;
		if (h.size <= have - pos) {
			pos += h.size;
		} else {
			/* A record bigger than what is buffered: skip it in the file. */
			have_at = at;
			have = pos = 0;
		}
	}
	free(buf);
	return at - off;
}

/*
 * An unfinished file (no data size, no features: the recorder was killed)
 * is read as the standalone reader reads it, to the end of its last whole
 * record: perf reads the data section its header gives, which is then
 * empty, so the header is told the size before the walk.
 */
static void salvage(struct ustat_input *in)
{
	struct perf_header *h = &in->session->header;
	struct stat st;

	if (h->data_size || !bitmap_empty(h->adds_features, HEADER_FEAT_BITS) ||
	    fstat(perf_data__fd(&in->data), &st) || (u64)st.st_size <= h->data_offset)
		return;
	h->data_size = whole_records(perf_data__fd(&in->data), h->data_offset, st.st_size);
	in->rec.salvaged = true;
	pr_warning("%s: data size is 0, the recording did not finish: reading to the end of the file\n",
		   in->rec.path);
}

int ustat_input__open(struct ustat_input **inp, const char *path, char *err, size_t errlen)
{
	struct ustat_input *in = zalloc(sizeof(*in));
	int ret;

	*inp = NULL;
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/*
	 * perf's session drops the HEADER_EVENT_TYPE records the pipe format
	 * carries uprobe-stat's notes in: a report without them would be
	 * wrong, so none.
	 */
	if (!strcmp(path, "-")) {
		snprintf(err, errlen,
			 "-i -: perf uprobe-stat does not read the pipe format yet: record to a file (perf-uprobe-stat can)");
		free(in);
		return -EINVAL;
	}
	in->rec.path = path;
	in->data.path = path;
	in->data.mode = PERF_DATA_MODE_READ;
	/* As the standalone reader: a file of someone else's is read all the same. */
	in->data.force = true;
	ustat_input__init_tool(in);
	in->session = perf_session__new(&in->data, &in->tool);
	if (IS_ERR(in->session)) {
		ret = PTR_ERR(in->session);
		in->session = NULL;
		/* perf said why on stderr; its -1 is no errno. */
		if (ret == -1 || ret == -EINVAL)
			ret = -EINVAL;
		snprintf(err, errlen, "%s: not a perf.data file perf can read%s%s", path,
			 ret == -EINVAL ? "" : ": ", ret == -EINVAL ? "" : strerror(-ret));
		ustat_input__close(in);
		return ret;
	}
	set_recording(in);
	salvage(in);
	ret = ustat_input__setup(in, err, errlen);
	if (!ret)
		ret = ustat_input__read_meta(in, err, errlen);
	if (!ret && !in->meta)
		ret = ustat_input__assign_meta(in, NULL, 0);
	if (!ret) {
		ret = ustat_event_infos__build(&in->infos, in->events, in->nr_events);
		if (ret)
			snprintf(err, errlen, "out of memory");
	}
	if (ret) {
		ustat_input__close(in);
		return ret;
	}
	*inp = in;
	return 0;
}

void ustat_input__close(struct ustat_input *in)
{
	int i;

	if (!in)
		return;
	/* First the replay's walk, which may still hold a record. */
	ustat_replay__free(in->replay);
	ustat_event_infos__exit(&in->infos);
	ustat_fields__free(in->fields);
	for (i = 0; in->events && i < in->nr_events; i++)
		free((char *)in->events[i].meta);
	if (in->live)
		ustat_input__live_free(in);
	free(in->events);
	free(in->evsels);
	for (i = 0; in->meta && i < in->rec.nr_meta; i++)
		free(in->meta[i]);
	free(in->meta);
	free(in->session_meta);
	free(in->stat_cpus);
	if (in->session)
		perf_session__delete(in->session);
	free(in);
}

const struct ustat_recording *ustat_input__recording(const struct ustat_input *in)
{
	return &in->rec;
}

const struct ustat_event_desc *ustat_input__events(const struct ustat_input *in, int *nr)
{
	*nr = in->nr_events;
	return in->events;
}

const struct ustat_event_infos *ustat_input__infos(const struct ustat_input *in)
{
	return &in->infos;
}

void ustat_input__set_filter(struct ustat_input *in, struct ustat_sample_filter *filter)
{
	in->filter = filter;
}

void ustat_input__stats(const struct ustat_input *in, struct ustat_input_stats *st)
{
	*st = in->stats;
	/* Samples of no event perf knows never reach the tool: perf counts them. */
	if (in->session && in->session->evlist)
		st->unknown_id += in->session->evlist->stats.nr_unknown_id;
}
