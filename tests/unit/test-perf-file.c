// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data round trip: a file written with perf-writer.h, read back with
 * perf-reader.h and session.h.  Every record is built by hand here, from
 * the layout in perf_event.h, so that what comes back is checked against
 * what was meant, not against what the writer happened to produce.  Then
 * the reader's answers to damaged files.
 */
#include "unit.h"
/* perf-reader.h before perf-file.h: libperf's event.h must come first. */
#include "perf-reader.h"
#include "perf-file.h"
#include "perf-writer.h"
#include "meta.h"
#include "session.h"
#include "event-info.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kernel.h>

#define SAMPLE_TYPE	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | \
			 PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)
#define PMU_TYPE	8
#define NR_EVENTS	3

static const u64 ids0[] = { 11, 12 }, ids1[] = { 21, 22 }, ids2[] = { 31 };
static const char *const names[NR_EVENTS] = {
	"probe_bin:work", "probe_bin:work__return", "probe_bin:other",
};
static const char *argv_rec[] = { "perf-uprobe-stat", "record", "-e", "work%return" };

/* The metadata records as meta.h escapes them, written out by hand. */
#define META_EV0	"event\tidx=0\tdisplay=work\tbinary=/usr/bin/x\tfunc=work" \
			"\treturn=0\tkind=uprobe"
#define META_EV1	"event\tidx=1\tdisplay=work%25return\tbinary=/usr/bin/x\tfunc=work" \
			"\treturn=1\tkind=uprobe"
#define META_SESSION	"session\ttarget=/usr/bin/x a%09b"
#define META_EXTRA	"signal\tname=uprobe_lookup\tstate=absent"

/* One record of the data section and what the session must make of it. */
enum rec_kind { REC_SAMPLE, REC_LOST, REC_COMM, REC_ROUND };

struct rec {
	enum rec_kind	kind;
	int		idx;		/* evsel, -1 for FINISHED_ROUND */
	u64		id;
	u64		ip;
	u32		pid, tid, cpu;
	u64		time;
	u64		period;		/* samples; lost count for REC_LOST */
};

/*
 * Two passes over two CPUs' buffers, as a recorder drains them: CPU 0's
 * records, then CPU 1's, then FINISHED_ROUND.  Round 2 holds a CPU 1
 * sample (time 280) older than round 1's newest (300): the session must
 * deliver it before that one.
 */
static const struct rec recs[] = {
	{ REC_COMM,   0, 11, 0,      1000, 1001, 0, 50,  0 },
	{ REC_SAMPLE, 0, 11, 0x1000, 1000, 1001, 0, 100, 1 },
	{ REC_SAMPLE, 1, 21, 0x2000, 1000, 1001, 0, 300, 2 },
	{ REC_SAMPLE, 0, 12, 0x1000, 1000, 1002, 1, 200, 3 },
	{ REC_LOST,   0, 12, 0,      1000, 1002, 1, 250, 7 },
	{ REC_ROUND, -1, 0, 0, 0, 0, 0, 0, 0 },
	{ REC_SAMPLE, 2, 31, 0x3000, 1000, 1001, 0, 500, 4 },
	{ REC_SAMPLE, 1, 22, 0x2004, 1000, 1002, 1, 280, 5 },
	{ REC_LOST,   2, 31, 0,      1000, 1001, 0, 450, 3 },
	{ REC_ROUND, -1, 0, 0, 0, 0, 0, 0, 0 },
};
#define NR_RECS		(ARRAY_SIZE(recs))

/* recs[] indexes in the time order the session must deliver them. */
static const int delivery_order[] = { 0, 1, 3, 4, 7, 2, 8, 6 };
#define NR_DELIVERED	(ARRAY_SIZE(delivery_order))

/* The sample_id trailer for SAMPLE_TYPE: TID, TIME, CPU, IDENTIFIER. */
static size_t put_trailer(u64 *p, const struct rec *r)
{
	p[0] = r->pid | (u64)r->tid << 32;
	p[1] = r->time;
	p[2] = r->cpu;
	p[3] = r->id;
	return 4;
}

/* Lay out R in BUF (8-byte words); returns its size in bytes. */
static size_t build_rec(u64 *buf, const struct rec *r)
{
	struct perf_event_header *h = (struct perf_event_header *)buf;
	size_t n = 1;

	memset(h, 0, sizeof(*h));
	switch (r->kind) {
	case REC_SAMPLE:
		h->type = PERF_RECORD_SAMPLE;
		h->misc = PERF_RECORD_MISC_USER;
		buf[n++] = r->id;
		buf[n++] = r->ip;
		buf[n++] = r->pid | (u64)r->tid << 32;
		buf[n++] = r->time;
		buf[n++] = r->cpu;
		buf[n++] = r->period;
		break;
	case REC_LOST:
		h->type = PERF_RECORD_LOST;
		buf[n++] = r->id;
		buf[n++] = r->period;
		n += put_trailer(buf + n, r);
		break;
	case REC_COMM: {
		u32 *pt = (u32 *)(buf + n);

		h->type = PERF_RECORD_COMM;
		pt[0] = r->pid;
		pt[1] = r->tid;
		n++;
		memset(buf + n, 0, 16);
		memcpy(buf + n, "worker", 6);
		n += 2;
		n += put_trailer(buf + n, r);
		break;
	}
	case REC_ROUND:
	default:
		h->type = PERF_RECORD_FINISHED_ROUND;
		break;
	}
	h->size = n * 8;
	return n * 8;
}

static char tmpdir[PATH_MAX];

static int make_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ustat-perf-file-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void init_events(struct ustat_file_event *ev)
{
	static const u64 *const ids[NR_EVENTS] = { ids0, ids1, ids2 };
	static const u32 nr_ids[NR_EVENTS] = { 2, 2, 1 };
	int i;

	memset(ev, 0, NR_EVENTS * sizeof(*ev));
	for (i = 0; i < NR_EVENTS; i++) {
		ev[i].attr.type = PMU_TYPE;
		ev[i].attr.size = sizeof(ev[i].attr);
		ev[i].attr.config = i == 1;	/* the retprobe bit */
		ev[i].attr.config1 = 0x7f0000001000ULL + i;
		ev[i].attr.config2 = 0x1100 + i;
		ev[i].attr.sample_period = 1;
		ev[i].attr.sample_type = SAMPLE_TYPE;
		ev[i].attr.sample_id_all = 1;
		ev[i].attr.disabled = 1;
		ev[i].name = names[i];
		ev[i].ids = ids[i];
		ev[i].nr_ids = nr_ids[i];
	}
}

/* The event records, made with meta.h; checked against the literals above. */
static void build_meta(struct ustat_meta_buf *m0, struct ustat_meta_buf *m1,
		       struct ustat_meta_buf *ms, struct ustat_meta_buf *mx)
{
	int i;

	memset(m0, 0, sizeof(*m0));
	memset(m1, 0, sizeof(*m1));
	memset(ms, 0, sizeof(*ms));
	memset(mx, 0, sizeof(*mx));
	for (i = 0; i < 2; i++) {
		struct ustat_meta_buf *m = i ? m1 : m0;

		assert_int_equal(ustat_meta__begin(m, "event"), 0);
		assert_int_equal(ustat_meta__add_u64(m, "idx", i), 0);
		assert_int_equal(ustat_meta__add(m, "display", i ? "work%return" : "work"), 0);
		assert_int_equal(ustat_meta__add(m, "binary", "/usr/bin/x"), 0);
		assert_int_equal(ustat_meta__add(m, "func", "work"), 0);
		assert_int_equal(ustat_meta__add_u64(m, "return", i), 0);
		assert_int_equal(ustat_meta__add(m, "kind", "uprobe"), 0);
	}
	assert_int_equal(ustat_meta__begin(ms, "session"), 0);
	assert_int_equal(ustat_meta__add(ms, "target", "/usr/bin/x a\tb"), 0);
	assert_int_equal(ustat_meta__begin(mx, "signal"), 0);
	assert_int_equal(ustat_meta__add(mx, "name", "uprobe_lookup"), 0);
	assert_int_equal(ustat_meta__add(mx, "state", "absent"), 0);
	assert_string_equal(m0->s, META_EV0);
	assert_string_equal(m1->s, META_EV1);
	assert_string_equal(ms->s, META_SESSION);
	assert_string_equal(mx->s, META_EXTRA);
}

/* What write_file() wrote, for the damage tests. */
struct written {
	u64	data_offset;
	u64	data_size;
	u64	rec_off[NR_RECS];	/* file offset of each record */
};

static void write_file(const char *path, bool force, struct written *wr)
{
	struct ustat_meta_buf m0, m1, ms, mx;
	struct ustat_file_event ev[NR_EVENTS];
	static const struct ustat_file_pmu pmu = { PMU_TYPE, "uprobe" };
	const char *extra[1];
	struct ustat_file_desc desc;
	struct ustat_writer w;
	char err[512] = "";
	u64 buf[16];
	size_t i;

	init_events(ev);
	build_meta(&m0, &m1, &ms, &mx);
	ev[0].meta = m0.s;
	ev[1].meta = m1.s;
	extra[0] = mx.s;

	if (ustat_writer__open(&w, path, force, err, sizeof(err)))
		fail_msg("open %s: %s", path, err);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	wr->data_offset = w.data_offset;
	wr->data_size = 0;
	for (i = 0; i < NR_RECS; i++) {
		size_t n = build_rec(buf, &recs[i]);

		wr->rec_off[i] = wr->data_offset + wr->data_size;
		assert_int_equal(ustat_writer__write(&w, buf, n), 0);
		wr->data_size += n;
	}

	memset(&desc, 0, sizeof(desc));
	desc.events = ev;
	desc.nr_events = NR_EVENTS;
	desc.pmus = &pmu;
	desc.nr_pmus = 1;
	desc.argc = 4;
	desc.argv = argv_rec;
	desc.session_meta = ms.s;
	desc.extra_meta = extra;
	desc.nr_extra_meta = 1;
	desc.time_start = 100;
	desc.time_end = 500;
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);
	ustat_meta__free(&m0);
	ustat_meta__free(&m1);
	ustat_meta__free(&ms);
	ustat_meta__free(&mx);
}

static void test_reader_header_and_features(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_reader r;
	struct written wr;
	struct utsname u;
	int i;

	tmp_path(path, sizeof(path), "features.data");
	write_file(path, false, &wr);
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);

	assert_int_equal(r.hdr.magic, PERF_MAGIC2);
	assert_int_equal(r.hdr.data.offset, wr.data_offset);
	assert_int_equal(r.hdr.data.size, wr.data_size);
	assert_int_equal(r.nr_evsels, NR_EVENTS);
	for (i = 0; i < NR_EVENTS; i++) {
		const struct ustat_evsel *e = &r.evsels[i];

		assert_int_equal(e->idx, i);
		assert_string_equal(e->name, names[i]);
		assert_int_equal(e->attr.type, PMU_TYPE);
		assert_int_equal(e->attr.config, i == 1);
		assert_int_equal(e->attr.config1, 0x7f0000001000ULL + i);
		assert_int_equal(e->attr.config2, 0x1100 + i);
		assert_int_equal(e->attr.sample_type, SAMPLE_TYPE);
		assert_int_equal(e->attr.sample_period, 1);
		assert_int_equal(e->attr.sample_id_all, 1);
		assert_int_equal(e->attr.disabled, 1);
		/* The entry is the attr as the file sizes it, then its ids section. */
		assert_int_equal(r.hdr.attr_size, e->attr.size + sizeof(struct perf_file_section));
	}
	assert_int_equal(r.evsels[0].nr_ids, 2);
	assert_int_equal(r.evsels[0].ids[0], 11);
	assert_int_equal(r.evsels[0].ids[1], 12);
	assert_int_equal(r.evsels[1].nr_ids, 2);
	assert_int_equal(r.evsels[1].ids[0], 21);
	assert_int_equal(r.evsels[1].ids[1], 22);
	assert_int_equal(r.evsels[2].nr_ids, 1);
	assert_int_equal(r.evsels[2].ids[0], 31);

	/* The id -> evsel map, sorted by id for lookups. */
	assert_int_equal(r.nr_ids, 5);
	{
		static const u64 want_id[] = { 11, 12, 21, 22, 31 };
		static const int want_idx[] = { 0, 0, 1, 1, 2 };

		for (i = 0; i < 5; i++) {
			assert_int_equal(r.ids[i].id, want_id[i]);
			assert_int_equal(r.ids[i].idx, want_idx[i]);
		}
	}
	assert_int_equal(r.id_pos, 0);		/* IDENTIFIER: first word */
	assert_int_equal(r.id_pos_trailer, 1);	/* and last of a trailer */

	assert_string_equal(r.evsels[0].meta, META_EV0);
	assert_string_equal(r.evsels[1].meta, META_EV1);
	assert_null(r.evsels[2].meta);
	assert_string_equal(r.session_meta, META_SESSION);
	assert_int_equal(r.nr_meta, 1);
	assert_string_equal(r.meta[0], META_EXTRA);

	assert_int_equal(r.cmdline_nr, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(r.cmdline[i], argv_rec[i]);
	assert_true(r.has_sample_time);
	assert_int_equal(r.time_start, 100);
	assert_int_equal(r.time_end, 500);
	assert_false(r.has_clockid);
	assert_int_equal(r.tracing_data_size, 0);

	assert_int_equal(uname(&u), 0);
	assert_string_equal(r.hostname, u.nodename);
	assert_string_equal(r.osrelease, u.release);
	assert_string_equal(r.arch, u.machine);
	assert_int_equal(strncmp(r.version, "uprobe-stat ", 12), 0);
	assert_int_equal(r.nr_cpus_avail, sysconf(_SC_NPROCESSORS_CONF));
	assert_int_equal(r.nr_cpus_online, sysconf(_SC_NPROCESSORS_ONLN));

	assert_true(ustat_reader__has_feat(&r, PERF_FEAT_CMDLINE));
	assert_true(ustat_reader__has_feat(&r, PERF_FEAT_EVENT_DESC));
	assert_true(ustat_reader__has_feat(&r, PERF_FEAT_PMU_MAPPINGS));
	assert_true(ustat_reader__has_feat(&r, PERF_FEAT_SAMPLE_TIME));
	assert_true(ustat_reader__has_feat(&r, PERF_FEAT_USTAT_META));
	assert_false(ustat_reader__has_feat(&r, PERF_FEAT_TRACING_DATA));
	assert_false(ustat_reader__has_feat(&r, PERF_FEAT_CLOCKID));
	ustat_reader__close(&r);
}

struct walk_log {
	struct ustat_reader	*r;
	const struct written	*wr;
	size_t			 n;
	size_t			 stop_after;	/* 0: never */
};

static int walk_cb(void *ctx, union perf_event *ev, u64 file_offset)
{
	struct walk_log *log = ctx;
	const struct rec *want;
	struct ustat_evsel *evsel;
	u64 buf[16];
	size_t size;

	if (log->n >= NR_RECS)
		fail_msg("more records than were written");
	want = &recs[log->n];
	size = build_rec(buf, want);
	assert_int_equal(file_offset, log->wr->rec_off[log->n]);
	assert_int_equal(ev->header.size, size);
	assert_memory_equal(ev, buf, size);
	evsel = ustat_reader__evsel_of(log->r, ev);
	if (want->idx < 0) {
		assert_null(evsel);
	} else {
		assert_non_null(evsel);
		assert_int_equal(evsel->idx, want->idx);
	}
	log->n++;
	return log->stop_after && log->n == log->stop_after ? 42 : 0;
}

/* The data section in file order, each record where and as it was written. */
static void test_reader_walk_file_order(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_reader r;
	struct walk_log log;
	struct written wr;

	tmp_path(path, sizeof(path), "walk.data");
	write_file(path, false, &wr);
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	memset(&log, 0, sizeof(log));
	log.r = &r;
	log.wr = &wr;
	assert_int_equal(ustat_reader__walk_events(&r, walk_cb, &log, err, sizeof(err)), 0);
	assert_int_equal(log.n, NR_RECS);

	/* A callback's non-zero return stops the walk and is passed back. */
	memset(&log, 0, sizeof(log));
	log.r = &r;
	log.wr = &wr;
	log.stop_after = 3;
	assert_int_equal(ustat_reader__walk_events(&r, walk_cb, &log, err, sizeof(err)), 42);
	assert_int_equal(log.n, 3);
	ustat_reader__close(&r);
}

/* What the session handed over, one entry per callback. */
struct got {
	enum rec_kind	kind;
	int		idx;
	struct ustat_sample s;
	u64		lost;
	char		comm[16];
};

struct session_log {
	struct got	got[NR_RECS * 2];
	size_t		n;
};

static struct got *next_got(struct session_log *log)
{
	if (log->n >= ARRAY_SIZE(log->got))
		fail_msg("too many callbacks");
	memset(&log->got[log->n], 0, sizeof(log->got[0]));
	return &log->got[log->n++];
}

static int on_sample(void *ctx, int idx, const struct ustat_sample *s)
{
	const union perf_event *ev = s->priv;
	struct got *g = next_got(ctx);

	g->kind = REC_SAMPLE;
	g->idx = idx;
	g->s = *s;
	/* The standalone backend's priv is the record the sample was decoded from. */
	assert_int_equal(ev->header.type, PERF_RECORD_SAMPLE);
	return 0;
}

static int on_lost(void *ctx, u32 cpu, u64 nr, u64 time)
{
	struct got *g = next_got(ctx);

	g->kind = REC_LOST;
	g->s.cpu = cpu;
	g->s.time = time;
	g->lost = nr;
	return 0;
}

static int on_comm(void *ctx, u32 pid, u32 tid, const char *comm, const struct ustat_sample *s)
{
	struct got *g = next_got(ctx);

	g->kind = REC_COMM;
	g->s = *s;
	g->s.pid = pid;
	g->s.tid = tid;
	snprintf(g->comm, sizeof(g->comm), "%s", comm);
	return 0;
}

static const struct ustat_input_ops ops = {
	.sample	= on_sample,
	.lost	= on_lost,
	.comm	= on_comm,
};

static void check_delivery(const struct session_log *log)
{
	size_t i;

	assert_int_equal(log->n, NR_DELIVERED);
	for (i = 0; i < NR_DELIVERED; i++) {
		const struct rec *w = &recs[delivery_order[i]];
		const struct got *g = &log->got[i];

		if (g->kind != w->kind || g->s.time != w->time)
			fail_msg("callback %zu: kind %d time %llu, want kind %d time %llu", i,
				 g->kind, (unsigned long long)g->s.time, w->kind,
				 (unsigned long long)w->time);
		assert_int_equal(g->s.cpu, w->cpu);
		switch (w->kind) {
		case REC_SAMPLE:
			assert_int_equal(g->idx, w->idx);
			assert_int_equal(g->s.id, w->id);
			assert_int_equal(g->s.ip, w->ip);
			assert_int_equal(g->s.pid, w->pid);
			assert_int_equal(g->s.tid, w->tid);
			assert_int_equal(g->s.period, w->period);
			break;
		case REC_LOST:
			assert_int_equal(g->lost, w->period);
			break;
		case REC_COMM:
			assert_int_equal(g->s.pid, w->pid);
			assert_int_equal(g->s.tid, w->tid);
			assert_string_equal(g->comm, "worker");
			break;
		case REC_ROUND:
		default:
			fail_msg("FINISHED_ROUND delivered");
		}
	}
}

/* Records come out in time order across CPUs and rounds, every field intact. */
static void test_session_time_order(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct session_log *log = calloc(1, sizeof(*log));
	const struct ustat_event_infos *infos;
	struct ustat_input_stats st;
	struct ustat_session s;
	struct ustat_input *in;
	struct written wr;

	assert_non_null(log);
	tmp_path(path, sizeof(path), "session.data");
	write_file(path, false, &wr);

	/* Through the seam: the entry/return pair comes from the metadata records. */
	if (ustat_input__open(&in, path, err, sizeof(err)))
		fail_msg("%s", err);
	infos = ustat_input__infos(in);
	assert_int_equal(infos->nr, NR_EVENTS);
	assert_int_equal(infos->nr_funcs, 1);
	assert_int_equal(infos->ev[0].kind, USTAT_EVENT_PROBE);
	assert_int_equal(infos->ev[1].kind, USTAT_EVENT_RETPROBE);
	assert_string_equal(infos->ev[0].display, "work");
	assert_string_equal(infos->ev[1].display, "work%return");
	assert_int_equal(infos->ev[0].pair, 1);
	assert_int_equal(infos->ev[1].pair, 0);
	assert_int_equal(infos->ev[2].pair, -1);
	if (ustat_input__process(in, &ops, log, err, sizeof(err)))
		fail_msg("%s", err);
	check_delivery(log);
	ustat_input__stats(in, &st);
	assert_int_equal(st.nr_records, NR_RECS);
	assert_int_equal(st.unknown_id, 0);
	assert_int_equal(st.bad_records, 0);
	ustat_input__close(in);

	/* The session under it: in order, nothing out of order. */
	memset(log, 0, sizeof(*log));
	if (ustat_session__open(&s, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(s.ordered);
	if (ustat_session__process(&s, &ops, log, err, sizeof(err)))
		fail_msg("%s", err);
	check_delivery(log);
	assert_int_equal(s.nr_records, NR_RECS);
	assert_int_equal(s.unknown_id, 0);
	assert_int_equal(s.bad_records, 0);
	assert_int_equal(s.oe.out_of_order, 0);
	ustat_session__close(&s);
	free(log);
}

static void test_output_mode_and_old(void **state)
{
	char path[PATH_MAX + 32], old[PATH_MAX + 64], err[512] = "", buf[32] = "";
	struct ustat_reader r;
	struct written wr;
	struct stat st;
	FILE *f;

	tmp_path(path, sizeof(path), "out.data");
	snprintf(old, sizeof(old), "%s.old", path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("previous run", f);
	fclose(f);

	write_file(path, false, &wr);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The previous file is kept as FILE.old, untouched. */
	f = fopen(old, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "previous run");
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	ustat_reader__close(&r);

	/* force: the output is replaced and FILE.old is left as it was. */
	write_file(path, true, &wr);
	f = fopen(old, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "previous run");
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	ustat_reader__close(&r);

	/* Without force, the second run's file is what becomes FILE.old. */
	write_file(path, false, &wr);
	if (ustat_reader__open(&r, old, err, sizeof(err)))
		fail_msg("FILE.old is not the previous perf.data: %s", err);
	ustat_reader__close(&r);
}

/* Never through a symlink, never onto a directory; "-" (stdout) not to a terminal. */
static void test_output_refuses_non_regular(void **state)
{
	char path[PATH_MAX + 32], target[PATH_MAX + 32], err[512] = "";
	struct ustat_writer w;
	struct stat st;

	tmp_path(target, sizeof(target), "link-target");
	tmp_path(path, sizeof(path), "link.data");
	assert_int_equal(symlink(target, path), 0);
	assert_true(ustat_writer__open(&w, path, true, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(lstat(target, &st), -1);	/* nothing created through it */

	assert_true(ustat_writer__open(&w, tmpdir, false, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "not a regular file"));

	assert_int_equal(ustat_out_file__check_path("-", err, sizeof(err)) < 0,
			 isatty(STDOUT_FILENO));
}

/* A writer that gives up leaves no file behind. */
static void test_abort_removes_file(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_file_event ev[NR_EVENTS];
	struct ustat_writer w;
	struct stat st;

	init_events(ev);
	tmp_path(path, sizeof(path), "aborted.data");
	assert_int_equal(ustat_writer__open(&w, path, false, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	assert_int_equal(stat(path, &st), -1);	/* not until the recording starts */
	assert_int_equal(ustat_out_file__commit(&w.out, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	ustat_writer__abort(&w);
	assert_int_equal(stat(path, &st), -1);
}

/* ---- damaged files ------------------------------------------------------ */

static void copy_file(const char *from, const char *to)
{
	char cmd[3 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

static void patch(const char *path, u64 off, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, off), len);
	close(fd);
}

static void expect_open_error(const char *path, const char *want)
{
	struct ustat_reader r;
	char err[512] = "";

	assert_int_equal(ustat_reader__open(&r, path, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_non_null(strstr(err, path));
}

/* A good file to damage, written once. */
static char good_path[PATH_MAX + 32];
static struct written good;

static void make_good(void)
{
	if (!good_path[0]) {
		tmp_path(good_path, sizeof(good_path), "good.data");
		write_file(good_path, false, &good);
	}
}

static void test_error_empty(void **state)
{
	char path[PATH_MAX + 32];
	FILE *f;

	tmp_path(path, sizeof(path), "empty.data");
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	expect_open_error(path, "too short");
}

static void test_error_bad_magic(void **state)
{
	char path[PATH_MAX + 32];

	make_good();
	tmp_path(path, sizeof(path), "magic.data");
	copy_file(good_path, path);
	patch(path, 0, "NOTPERF!", 8);
	expect_open_error(path, "bad magic");
}

static void test_error_swapped_magic(void **state)
{
	char path[PATH_MAX + 32];
	u64 magic = PERF_MAGIC2_SWAPPED;

	make_good();
	tmp_path(path, sizeof(path), "swapped.data");
	copy_file(good_path, path);
	patch(path, 0, &magic, 8);
	expect_open_error(path, "other byte order");
}

static void test_error_truncated(void **state)
{
	char path[PATH_MAX + 32];

	make_good();
	tmp_path(path, sizeof(path), "truncated.data");
	copy_file(good_path, path);
	assert_int_equal(truncate(path, good.data_offset + good.data_size / 2), 0);
	expect_open_error(path, "data section runs past the end of the file");
}

static void test_error_attr_size(void **state)
{
	char path[PATH_MAX + 32];
	u64 attr_size = 1 << 20;

	make_good();
	tmp_path(path, sizeof(path), "attrsize.data");
	copy_file(good_path, path);
	patch(path, offsetof(struct perf_file_header, attr_size), &attr_size, 8);
	expect_open_error(path, "unexpected attr size 1048576");
}

static int count_cb(void *ctx, union perf_event *ev, u64 file_offset)
{
	(*(size_t *)ctx)++;
	return 0;
}

/* A record of size 0 would loop forever: the walk stops there, saying where. */
static void test_error_zero_size_record(void **state)
{
	char path[PATH_MAX + 32], err[512] = "", want[64];
	struct session_log *log = calloc(1, sizeof(*log));
	struct ustat_session s;
	struct ustat_reader r;
	u16 zero = 0;
	size_t n = 0;

	assert_non_null(log);
	make_good();
	tmp_path(path, sizeof(path), "zerosize.data");
	copy_file(good_path, path);
	patch(path, good.rec_off[3] + offsetof(struct perf_event_header, size), &zero, 2);
	snprintf(want, sizeof(want), "bad record size 0 at offset %#llx",
		 (unsigned long long)good.rec_off[3]);

	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ustat_reader__walk_events(&r, count_cb, &n, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(n, 3);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	ustat_reader__close(&r);

	err[0] = '\0';
	if (ustat_session__open(&s, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ustat_session__process(&s, &ops, log, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, want));
	ustat_session__close(&s);
	free(log);
}

/* In a finished file, a record running past the data section is damage. */
static void test_error_record_overruns_section(void **state)
{
	char path[PATH_MAX + 32], err[512] = "", want[96];
	struct ustat_reader r;
	u16 size = 64;
	size_t n = 0;

	make_good();
	tmp_path(path, sizeof(path), "overrun.data");
	copy_file(good_path, path);
	/* the last record, FINISHED_ROUND (8 bytes), now claims 64 */
	patch(path, good.rec_off[NR_RECS - 1] + offsetof(struct perf_event_header, size),
	      &size, 2);
	snprintf(want, sizeof(want), "record at offset %#llx overruns the data section",
		 (unsigned long long)good.rec_off[NR_RECS - 1]);
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ustat_reader__walk_events(&r, count_cb, &n, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(n, NR_RECS - 1);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	ustat_reader__close(&r);
}

/*
 * A recorder killed before it finished leaves the header ustat_writer__begin()
 * wrote, data.size 0 and no features, and nothing after the data: the
 * records are still read, up to the end of the file.
 */
static void test_salvage_data_size_zero(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct session_log *log = calloc(1, sizeof(*log));
	u64 zero[PERF_FEAT_BITS / 64] = { 0 };
	struct ustat_session s;
	struct ustat_reader r;
	size_t n = 0;

	assert_non_null(log);
	make_good();
	tmp_path(path, sizeof(path), "salvage.data");
	copy_file(good_path, path);
	patch(path, offsetof(struct perf_file_header, data.size), zero, 8);
	patch(path, offsetof(struct perf_file_header, features), zero, sizeof(zero));
	assert_int_equal(truncate(path, good.data_offset + good.data_size), 0);

	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(r.hdr.data.size, good.data_size);
	assert_int_equal(r.nr_evsels, NR_EVENTS);
	/* Its recorder may still be writing it: read by windows, not mapped. */
	assert_null(r.map);
	assert_int_equal(ustat_reader__walk_events(&r, count_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, NR_RECS);
	ustat_reader__close(&r);

	if (ustat_session__open(&s, path, err, sizeof(err)))
		fail_msg("%s", err);
	if (ustat_session__process(&s, &ops, log, err, sizeof(err)))
		fail_msg("%s", err);
	check_delivery(log);
	ustat_session__close(&s);
	free(log);

	/* Killed in the middle of a record: the complete ones are read. */
	assert_int_equal(truncate(path, good.rec_off[NR_RECS - 2] + 12), 0);
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	n = 0;
	assert_int_equal(ustat_reader__walk_events(&r, count_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, NR_RECS - 2);
	ustat_reader__close(&r);
}

/*
 * A recording that finished with no records: data.size 0 is the truth
 * there (the features follow), not a sign of a killed recorder.
 */
static void test_empty_recording(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_file_event ev[NR_EVENTS];
	struct ustat_file_desc desc;
	struct ustat_writer w;
	struct ustat_reader r;
	size_t n = 0;

	init_events(ev);
	tmp_path(path, sizeof(path), "empty-rec.data");
	assert_int_equal(ustat_writer__open(&w, path, false, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	memset(&desc, 0, sizeof(desc));
	desc.events = ev;
	desc.nr_events = NR_EVENTS;
	desc.argc = 4;
	desc.argv = argv_rec;
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);

	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(r.hdr.data.size, 0);
	assert_int_equal(ustat_reader__walk_events(&r, count_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	/* the features were read, not taken for records */
	assert_int_equal(r.cmdline_nr, 4);
	assert_string_equal(r.cmdline[3], argv_rec[3]);
	assert_string_equal(r.evsels[1].name, names[1]);
	ustat_reader__close(&r);
}

/*
 * More data than the reader's window (8 MiB): records that straddle a
 * refill come out whole and in order.
 */
#define BIG_NR	250000
#define BIG_SIZE(i)	(16 + ((i) % 7) * 8)

static int big_cb(void *ctx, union perf_event *ev, u64 file_offset)
{
	u64 *n = ctx;
	const u64 *w = (const u64 *)ev;

	/* Sizes 16 to 64 in turn, each word after the header = the index. */
	if (ev->header.size != BIG_SIZE(*n))
		fail_msg("record %llu has size %u", (unsigned long long)*n, ev->header.size);
	if (w[1] != *n || w[ev->header.size / 8 - 1] != *n)
		fail_msg("record %llu holds %llu", (unsigned long long)*n,
			 (unsigned long long)w[1]);
	(*n)++;
	return 0;
}

static void test_big_data_section(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_file_event ev[NR_EVENTS];	/* only the first is written */
	struct ustat_file_desc desc;
	struct ustat_writer w;
	struct ustat_reader r;
	u64 i, j, n = 0, buf[8];

	init_events(ev);
	tmp_path(path, sizeof(path), "big.data");
	assert_int_equal(ustat_writer__open(&w, path, false, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, 1), 0);
	for (i = 0; i < BIG_NR; i++) {
		struct perf_event_header *h = (struct perf_event_header *)buf;

		h->type = PERF_RECORD_MAX + 100;	/* a type nobody knows */
		h->misc = 0;
		h->size = BIG_SIZE(i);
		for (j = 1; j < 8; j++)
			buf[j] = i;
		assert_int_equal(ustat_writer__write(&w, buf, h->size), 0);
	}
	memset(&desc, 0, sizeof(desc));
	desc.events = ev;
	desc.nr_events = 1;
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);

	/* cmocka catches SIGBUS; the reader maps only where nobody does */
	signal(SIGBUS, SIG_DFL);
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(r.hdr.data.size > (8 << 20));
	/* A finished file is read in place. */
	assert_non_null(r.map);
	assert_int_equal(ustat_reader__walk_events(&r, big_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, BIG_NR);

	/* Pages given back are read again from the file, the same. */
	ustat_reader__release(&r, r.map_size / 2);
	assert_true(r.released > (4 << 20));
	n = 0;
	assert_int_equal(ustat_reader__walk_events(&r, big_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, BIG_NR);

	/*
	 * Cut short by someone else under the mapping: the walk that reaches
	 * past the new end says so in one line and exits 2, no core dump.
	 */
	{
		int fds[2], status, ret;
		char msg[256] = "";
		ssize_t got;
		pid_t pid;

		/* at a page's end: the next page is no longer there at all */
		assert_int_equal(truncate(path, 65536), 0);
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (!pid) {
			dup2(fds[1], STDERR_FILENO);
			n = 0;
			ret = ustat_reader__walk_events(&r, big_cb, &n, err, sizeof(err));
			fprintf(stderr, "walked %llu records: %d %s\n", (unsigned long long)n, ret, err);
			_exit(0);
		}
		close(fds[1]);
		got = read(fds[0], msg, sizeof(msg) - 1);
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
			fail_msg("status %#x: %s", status, got > 0 ? msg : "(nothing said)");
		assert_true(got > 0);
		assert_non_null(strstr(msg, "truncated while being read"));
	}
	ustat_reader__close(&r);
	unlink(path);
}

/* The records of test_big_data_section, with one of 65528 bytes in 1000. */
static void write_big(struct ustat_writer *w, struct ustat_file_event *ev)
{
	static u64 huge[65528 / 8];
	u64 i, j, buf[8];

	for (i = 0; i < BIG_NR; i++) {
		struct perf_event_header *h = (struct perf_event_header *)buf;

		h->type = PERF_RECORD_MAX + 100;
		h->misc = 0;
		h->size = BIG_SIZE(i);
		for (j = 1; j < 8; j++)
			buf[j] = i;
		assert_int_equal(ustat_writer__write(w, buf, h->size), 0);
		if (i % 1000 == 999) {
			h = (struct perf_event_header *)huge;
			h->type = PERF_RECORD_MAX + 101;
			h->size = sizeof(huge);
			for (j = 1; j < ARRAY_SIZE(huge); j++)
				huge[j] = i * j;
			assert_int_equal(ustat_writer__write(w, huge, h->size), 0);
		}
	}
}

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *p;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	p = malloc(st.st_size);
	assert_non_null(p);
	assert_int_equal(pread(fd, p, st.st_size, 0), st.st_size);
	close(fd);
	*len = st.st_size;
	return p;
}

/*
 * The data section written with O_DIRECT, in whole blocks from a stream
 * that starts mid-block and records that straddle the buffer's end, is the
 * same file byte for byte as the buffered one.
 */
static void test_direct_same_bytes(void **state)
{
	char a[PATH_MAX + 32], b[PATH_MAX + 32], err[512] = "";
	struct ustat_file_event ev[NR_EVENTS];
	struct ustat_file_desc desc;
	struct ustat_writer w;
	size_t la, lb;
	char *pa, *pb;

	init_events(ev);
	memset(&desc, 0, sizeof(desc));
	desc.events = ev;
	desc.nr_events = NR_EVENTS;
	desc.argc = 4;
	desc.argv = argv_rec;
	tmp_path(a, sizeof(a), "buffered.data");
	tmp_path(b, sizeof(b), "direct.data");

	assert_int_equal(ustat_writer__open(&w, a, false, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	write_big(&w, ev);
	assert_false(w.direct_written);
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);

	assert_int_equal(ustat_writer__open(&w, b, false, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	assert_int_equal(ustat_writer__direct_begin(&w), 0);
	if (w.dfd < 0) {
		ustat_writer__abort(&w);
		unlink(a);
		print_message("skip: %s refuses O_DIRECT\n", tmpdir);
		skip();
	}
	/* The stream now starts on a block, the header's bytes read back. */
	assert_int_equal(w.file_pos % USTAT_DIO_ALIGN, 0);
	assert_int_equal(w.file_pos + w.buf_used, w.data_offset);
	write_big(&w, ev);
	assert_true(w.direct_written);
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);
	assert_int_equal(w.dfd, -1);

	pa = slurp(a, &la);
	pb = slurp(b, &lb);
	assert_true(la > (8 << 20));
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pb);

	/*
	 * A file system that takes O_DIRECT at open and refuses its first
	 * write (here a descriptor that cannot write: EBADF): buffered from
	 * there, and still the same bytes.
	 */
	assert_int_equal(ustat_writer__open(&w, b, true, err, sizeof(err)), 0);
	assert_int_equal(ustat_writer__begin(&w, ev, NR_EVENTS), 0);
	assert_int_equal(ustat_writer__direct_begin(&w), 0);
	assert_true(w.dfd >= 0);
	close(w.dfd);
	w.dfd = open(b, O_RDONLY);
	assert_true(w.dfd >= 0);
	write_big(&w, ev);
	assert_int_equal(w.dfd, -1);
	assert_false(w.direct_written);
	assert_int_equal(ustat_writer__finish(&w, &desc), 0);
	pb = slurp(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
	unlink(a);
	unlink(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_header_and_features),
		cmocka_unit_test(test_reader_walk_file_order),
		cmocka_unit_test(test_session_time_order),
		cmocka_unit_test(test_output_mode_and_old),
		cmocka_unit_test(test_output_refuses_non_regular),
		cmocka_unit_test(test_abort_removes_file),
		cmocka_unit_test(test_error_empty),
		cmocka_unit_test(test_error_bad_magic),
		cmocka_unit_test(test_error_swapped_magic),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_error_attr_size),
		cmocka_unit_test(test_error_zero_size_record),
		cmocka_unit_test(test_error_record_overruns_section),
		cmocka_unit_test(test_salvage_data_size_zero),
		cmocka_unit_test(test_empty_recording),
		cmocka_unit_test(test_big_data_section),
		cmocka_unit_test(test_direct_same_bytes),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
