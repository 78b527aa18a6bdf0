// SPDX-License-Identifier: GPL-2.0
/*
 * record's perf.data inside perf (standalone/rec-file.h), written as perf
 * record writes it: a perf_session in write mode on perf_data, its header,
 * attrs, ids and features by perf_session__write_header() and
 * perf_session__inject_header() (header.c), the COMM and MMAP2 records of
 * running processes by perf_event__synthesize_thread_map() and
 * perf_event__synthesize_threads(), the kernel events' formats by
 * trace-event-info's tracing_data_get(), the build ids of the objects the
 * samples hit by build-id.c, as perf record finds them: the data read back
 * at the end with build_id__mark_dso_hit().  What stays the tool's: the file's
 * life (out-file.c: PATH.XXXXXX until the recording starts) and its own
 * feature section (bit 250), which header.c has no writer for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/zalloc.h>

#include "util/build-id.h"
#include "util/data.h"
#include "util/debug.h"
#include "util/event.h"
#include "util/evlist.h"
#include "util/evsel.h"
#include "util/header.h"
#include "util/session.h"
#include "util/symbol_conf.h"
#include "util/synthetic-events.h"
#include "util/thread_map.h"
#include "util/tool.h"
#include "util/trace-event.h"
#include "util/uprobe-stat/standalone/out-file.h"
#include "util/uprobe-stat/standalone/rec-file.h"
#include "perf-evlist.h"

#define REC_FILE_BUF_SIZE	(4 << 20)
#define USTAT_FEAT_META		250	/* standalone/perf-file.h */
#define USTAT_STRING_ALIGN	64	/* header.c's NAME_ALIGN */

struct ustat_rec_file {
	struct perf_tool	 tool;		/* the synthesizers' callback finds us */
	struct ustat_out_file	 out;
	struct perf_data	 data;
	struct perf_session	*session;
	struct evlist		*evlist;
	struct tracing_data	*tdata;		/* the formats, taken while they exist */
	char			*buf;
	size_t			 buf_used;
	u64			 size;		/* of the file so far */
	int			 error;
	bool			 done;
};

/*
 * perf's pipe format needs its own header and synthesized attrs, features
 * and tracing data (perf_header__write_pipe(), perf_event__synthesize_for_pipe());
 * not written here yet: refused before anything is attached.
 */
int ustat_rec_file__check_path(const char *path, char *err, size_t errlen)
{
	if (!strcmp(path, "-")) {
		snprintf(err, errlen,
			 "-o -: perf uprobe-stat does not write the pipe format yet: record to a file (perf-uprobe-stat can)");
		return -EINVAL;
	}
	return ustat_out_file__check_path(path, err, errlen);
}

bool ustat_rec_file__pipe(const struct ustat_rec_file *f __maybe_unused)
{
	return false;
}

int ustat_rec_file__open(struct ustat_rec_file **fp, const char *path, bool force,
			 char *err, size_t errlen)
{
	struct ustat_rec_file *f = zalloc(sizeof(*f));
	int ret;

	*fp = f;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	f->out.fd = -1;
	ret = ustat_out_file__create(&f->out, path, force, err, errlen);
	if (ret)
		return ret;
	f->buf = malloc(REC_FILE_BUF_SIZE);
	if (!f->buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* What perf record's tool does when it reads its file back for build ids. */
	perf_tool__init(&f->tool, /*ordered_events=*/true);
	f->tool.sample = build_id__mark_dso_hit;
	f->tool.fork = perf_event__process_fork;
	f->tool.exit = perf_event__process_exit;
	f->tool.comm = perf_event__process_comm;
	f->tool.mmap = perf_event__process_mmap;
	f->tool.mmap2 = perf_event__process_mmap2;
	/* The file out-file.c made, empty: perf_data keeps no backup of it. */
	f->data.path = f->out.tmp_path;
	f->data.mode = PERF_DATA_MODE_WRITE;
	f->session = perf_session__new(&f->data, &f->tool);
	if (IS_ERR(f->session)) {
		ret = PTR_ERR(f->session);
		f->session = NULL;
		snprintf(err, errlen, "cannot create '%s': %s", path, strerror(-ret));
		return ret;
	}
	return 0;
}

/* What perf record writes but for what it has and uprobe-stat does not. */
static void init_features(struct ustat_rec_file *f)
{
	struct perf_header *h = &f->session->header;
	int feat;

	for (feat = HEADER_FIRST_FEATURE; feat < HEADER_LAST_FEATURE; feat++)
		perf_header__set_feat(h, feat);
	perf_header__clear_feat(h, HEADER_BRANCH_STACK);
	perf_header__clear_feat(h, HEADER_AUXTRACE);
	perf_header__clear_feat(h, HEADER_DIR_FORMAT);
	perf_header__clear_feat(h, HEADER_COMPRESSED);
	perf_header__clear_feat(h, HEADER_STAT);
	if (!f->tdata)
		perf_header__clear_feat(h, HEADER_TRACING_DATA);
}

int ustat_rec_file__begin(struct ustat_rec_file *f, const struct ustat_file_desc *d)
{
	const struct ustat_file_event *events = d->events;
	int i, ret, nr_events = d->nr_events;

	f->evlist = evlist__new();
	if (!f->evlist)
		return f->error = -ENOMEM;
	for (i = 0; i < nr_events; i++) {
		ret = ustat_perf__add_evsel(f->evlist, &events[i].attr, events[i].name,
					    events[i].ids, events[i].nr_ids, i);
		if (ret)
			return f->error = ret;
	}
	f->session->evlist = f->evlist;
	/* The synthesized records' sample_id trailer: as long as the evlist's. */
	perf_session__set_id_hdr_size(f->session);
	/*
	 * The formats now: tracefs uprobes are gone from tracefs by the time
	 * the file is finished, which is when header.c would read them.
	 */
	if (have_tracepoints(&f->evlist->core.entries)) {
		f->tdata = tracing_data_get(&f->evlist->core.entries,
					    perf_data__fd(&f->data), /*temp=*/true);
		if (!f->tdata)
			pr_warning("uprobe-stat: cannot read the tracepoints' formats\n");
	}
	/*
	 * The header and attrs; the data size reads 0 until the end, and no
	 * feature is set until the features are there, so that a recorder
	 * killed mid-run leaves a file readers take to its end (input-file.c,
	 * the standalone reader), not one whose feature table is its data.
	 */
	ret = perf_session__write_header(f->session, f->evlist, perf_data__fd(&f->data), false);
	if (ret < 0)
		return f->error = -EIO;
	init_features(f);
	f->size = f->session->header.data_offset;
	return 0;
}

static int flush_buf(struct ustat_rec_file *f)
{
	ssize_t n;

	if (f->error || !f->buf_used)
		return f->error;
	n = perf_data__write(&f->data, f->buf, f->buf_used);
	if (n != (ssize_t)f->buf_used)
		return f->error = n < 0 ? (int)n : -EIO;
	f->session->header.data_size += f->buf_used;
	f->buf_used = 0;
	return 0;
}

int ustat_rec_file__write(struct ustat_rec_file *f, const void *data, size_t len)
{
	if (f->error)
		return f->error;
	if (f->buf_used + len > REC_FILE_BUF_SIZE && flush_buf(f))
		return f->error;
	if (len > REC_FILE_BUF_SIZE) {
		/* perf_data__write() takes what it does not change as void *. */
		ssize_t n = perf_data__write(&f->data, (void *)data, len);

		if (n != (ssize_t)len)
			return f->error = n < 0 ? (int)n : -EIO;
		f->session->header.data_size += len;
	} else {
		memcpy(f->buf + f->buf_used, data, len);
		f->buf_used += len;
	}
	f->size += len;
	return 0;
}

static int synth_out(const struct perf_tool *tool, union perf_event *event,
		     struct perf_sample *sample __maybe_unused,
		     struct machine *machine __maybe_unused)
{
	struct ustat_rec_file *f = container_of(tool, struct ustat_rec_file, tool);

	return ustat_rec_file__write(f, event, event->header.size);
}

int ustat_rec_file__synthesize(struct ustat_rec_file *f, const pid_t *pids, int nr_pids,
			       bool all)
{
	struct machine *machine = &f->session->machines.host;
	int i;

	for (i = 0; i < nr_pids; i++) {
		struct perf_thread_map *threads = thread_map__new_by_pid(pids[i]);

		/* A process that is gone has nothing to name: not an error. */
		if (!threads)
			continue;
		perf_event__synthesize_thread_map(&f->tool, threads, synth_out, machine,
						  /*needs_mmap=*/true, /*mmap_data=*/false);
		perf_thread_map__put(threads);
	}
	if (all)
		perf_event__synthesize_threads(&f->tool, synth_out, machine,
					       /*needs_mmap=*/true, /*mmap_data=*/false,
					       /*nr_threads_synthesize=*/1);
	return f->error;
}

int ustat_rec_file__commit(struct ustat_rec_file *f, char *err, size_t errlen)
{
	return ustat_out_file__commit(&f->out, err, errlen);
}

struct copier {
	struct feat_copier	 fc;
	struct ustat_rec_file	*f;
};

/* The formats taken at the start go where header.c would have read them. */
static int copy_feat(struct feat_copier *fc, int feat, struct feat_writer *fw __maybe_unused)
{
	struct ustat_rec_file *f = container_of(fc, struct copier, fc)->f;
	struct tracing_data *td = f->tdata;

	if (feat != HEADER_TRACING_DATA || !td)
		return 0;
	/* tracing_data_put() copies them to the fd of tracing_data_get(), here. */
	f->tdata = NULL;
	return tracing_data_put(td) ? -EIO : 1;
}

/* ---- uprobe-stat's own feature, bit 250 ---------------------------------- */

struct strbuf_feat {
	char	*p;
	size_t	 len;
	size_t	 size;
	int	 error;
};

static void put(struct strbuf_feat *b, const void *data, size_t len)
{
	if (b->error)
		return;
	if (b->len + len > b->size) {
		size_t size = (b->len + len) * 2;
		char *p = realloc(b->p, size);

		if (!p) {
			b->error = -ENOMEM;
			return;
		}
		b->p = p;
		b->size = size;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

/* As header.c's do_write_string(): u32 padded length, text, NUL padding. */
static void put_string(struct strbuf_feat *b, const char *s)
{
	static const char zeros[USTAT_STRING_ALIGN];
	u32 len = strlen(s) + 1;
	u32 padded = (len + USTAT_STRING_ALIGN - 1) & ~(USTAT_STRING_ALIGN - 1);

	put(b, &padded, sizeof(padded));
	put(b, s, len - 1);
	put(b, zeros, padded - len + 1);
}

static int meta_section(struct strbuf_feat *b, const struct ustat_file_desc *d)
{
	u32 nr = 1 + d->nr_extra_meta;
	int i;

	for (i = 0; i < d->nr_events; i++)
		nr += d->events[i].meta != NULL;
	put(b, &nr, sizeof(nr));
	put_string(b, d->session_meta);
	for (i = 0; i < d->nr_events; i++)
		if (d->events[i].meta)
			put_string(b, d->events[i].meta);
	for (i = 0; i < d->nr_extra_meta; i++)
		put_string(b, d->extra_meta[i]);
	return b->error;
}

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

/*
 * header.c writes only the features it knows (up to HEADER_LAST_FEATURE),
 * a table of NR_TABLE entries at feat_offset, then their bodies.  Add
 * bit 250 after them: the table one entry longer, the bodies moved by
 * what that takes, the section at the end, the bit in the file's header.
 */
static int add_meta(struct ustat_rec_file *f, int nr_table, const struct ustat_file_desc *d)
{
	struct perf_header *h = &f->session->header;
	int fd = perf_data__fd(&f->data), nr = bitmap_weight(h->adds_features, HEADER_FEAT_BITS);
	struct strbuf_feat meta = { 0 };
	struct perf_file_section *sec = NULL;
	struct perf_file_header fh;
	u64 bodies = h->feat_offset + nr_table * sizeof(*sec), moved;
	off_t end = lseek(fd, 0, SEEK_END);
	char *body = NULL;
	size_t body_len;
	int i, ret = -ENOMEM;

	if (end < 0 || (u64)end < bodies)
		return -EIO;
	body_len = end - bodies;
	moved = h->feat_offset + (nr + 1) * sizeof(*sec);
	sec = calloc(nr + 1, sizeof(*sec));
	body = malloc(body_len + 1);
	if (!sec || !body || meta_section(&meta, d))
		goto out;
	ret = -EIO;
	if (pread_all(fd, sec, nr * sizeof(*sec), h->feat_offset) ||
	    pread_all(fd, body, body_len, bodies))
		goto out;
	for (i = 0; i < nr; i++)
		sec[i].offset = sec[i].offset - bodies + moved;
	sec[nr].offset = moved + body_len;
	sec[nr].size = meta.len;
	if (pwrite_all(fd, sec, (nr + 1) * sizeof(*sec), h->feat_offset) ||
	    pwrite_all(fd, body, body_len, moved) ||
	    pwrite_all(fd, meta.p, meta.len, sec[nr].offset) ||
	    ftruncate(fd, sec[nr].offset + meta.len) ||
	    pread_all(fd, &fh, sizeof(fh), 0))
		goto out;
	__set_bit(USTAT_FEAT_META, fh.adds_features);
	ret = pwrite_all(fd, &fh, sizeof(fh), 0);
	if (!ret)
		f->size = sec[nr].offset + meta.len;
out:
	free(meta.p);
	free(body);
	free(sec);
	return ret;
}

int ustat_rec_file__finish(struct ustat_rec_file *f, const struct ustat_file_desc *d)
{
	struct perf_env *env = &f->session->header.env;
	struct copier c = { .fc = { .copy = copy_feat }, .f = f };
	int fd = perf_data__fd(&f->data), nr_table, ret;

	if (flush_buf(f))
		return f->error;
	if (d->time_end >= d->time_start && d->time_end) {
		f->evlist->first_sample_time = d->time_start;
		f->evlist->last_sample_time = d->time_end;
	} else {
		perf_header__clear_feat(&f->session->header, HEADER_SAMPLE_TIME);
	}
	if (d->use_clockid) {
		env->clock.clockid = d->clockid;
		env->clock.clockid_res_ns = d->clock_res_ns;
		env->clock.tod_ns = d->clock_wall_ns;
		env->clock.clockid_ns = d->clock_ref_ns;
	} else {
		perf_header__clear_feat(&f->session->header, HEADER_CLOCKID);
		perf_header__clear_feat(&f->session->header, HEADER_CLOCK_DATA);
	}
	/* HEADER_CMDLINE: the recording's, as the tool's writer has it. */
	if (perf_env__set_cmdline(env, d->argc, d->argv))
		return f->error = -ENOMEM;
	/*
	 * Build ids, as perf record has them: the samples' objects marked hit
	 * reading the data back, their ids then written by header.c.  Not
	 * copied to ~/.debug: the recording touches nothing but its file.
	 */
	symbol_conf.ignore_vmlinux_buildid = true;
	disable_buildid_cache();
	if (f->session->header.data_size && perf_session__process_events(f->session))
		perf_header__clear_feat(&f->session->header, HEADER_BUILD_ID);
	nr_table = bitmap_weight(f->session->header.adds_features, HEADER_FEAT_BITS);
	if (perf_session__inject_header(f->session, f->evlist, fd, &c.fc,
					/*write_attrs_after_data=*/false) < 0)
		return f->error = -EIO;
	f->size = lseek(fd, 0, SEEK_END);
	ret = d->session_meta ? add_meta(f, nr_table, d) : 0;
	/* Some file systems report a full disk only here. */
	if (!ret && fsync(fd))
		ret = -errno;
	if (!ret)
		ret = ustat_out_file__commit(&f->out, NULL, 0);
	if (ret)
		return f->error = ret;
	f->done = true;
	return 0;
}

int ustat_rec_file__error(const struct ustat_rec_file *f)
{
	return f->error;
}

u64 ustat_rec_file__size(const struct ustat_rec_file *f)
{
	return f->size;
}

void ustat_rec_file__close(struct ustat_rec_file *f)
{
	if (!f)
		return;
	if (f->tdata)
		tracing_data_put(f->tdata);	/* its temporary file removed */
	if (f->session) {
		/* The session would free the evlist it was given: it is ours. */
		f->session->evlist = NULL;
		perf_session__delete(f->session);	/* closes perf_data's fd */
	}
	ustat_perf__evlist_free(f->evlist);
	if (f->done)
		ustat_out_file__close(&f->out);
	else
		ustat_out_file__abort(&f->out);
	free(f->buf);
	free(f);
}
