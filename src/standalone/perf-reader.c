// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/util/debug.h"
#include "perf-reader.h"
#include "perf-reader-int.h"
#include "sample-parse.h"


int ustat_reader__read_at(struct ustat_reader *r, void *buf, u64 size, u64 off)
{
	char *p = buf;

	if (off > r->file_size || size > r->file_size - off)
		return -EINVAL;
	while (size) {
		ssize_t n = pread(r->fd, p, size, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		size -= n;
		off += n;
	}
	return 0;
}

bool ustat_reader__section_ok(const struct ustat_reader *r, const struct perf_file_section *s)
{
	return s->offset <= r->file_size && s->size <= r->file_size - s->offset;
}

bool ustat_reader__has_feat(const struct ustat_reader *r, int feat)
{
	return r->hdr.features[feat / 64] & (1ULL << (feat % 64));
}

bool ustat_reader__any_feat(const struct ustat_reader *r)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(r->hdr.features); i++)
		if (r->hdr.features[i])
			return true;
	return false;
}

static int cmp_id(const void *a, const void *b)
{
	const struct ustat_id_map *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The id -> evsel map, and where samples keep their id. */
int ustat_reader__index_ids(struct ustat_reader *r, u64 total_ids, char *err, size_t errlen)
{
	int j, k, n;

	r->ids = calloc(total_ids ? total_ids : 1, sizeof(*r->ids));
	if (!r->ids)
		return -ENOMEM;
	for (j = 0, n = 0; j < r->nr_evsels; j++)
		for (k = 0; k < (int)r->evsels[j].nr_ids; k++) {
			r->ids[n].id = r->evsels[j].ids[k];
			r->ids[n++].idx = j;
		}
	r->nr_ids = n;
	qsort(r->ids, n, sizeof(*r->ids), cmp_id);
	for (j = 0; j < r->nr_evsels; j++)
		ustat_sample_layout__init(&r->evsels[j].layout, r->evsels[j].attr.sample_type);

	/* Without PERF_SAMPLE_IDENTIFIER every event must put its id in one place. */
	r->id_pos = ustat_sample__id_pos(r->evsels[0].attr.sample_type);
	r->id_pos_trailer = ustat_sample__id_pos_trailer(r->evsels[0].attr.sample_type);
	for (j = 1; j < r->nr_evsels; j++) {
		u64 st = r->evsels[j].attr.sample_type;

		if (ustat_sample__id_pos(st) != r->id_pos ||
		    ustat_sample__id_pos_trailer(st) != r->id_pos_trailer) {
			snprintf(err, errlen,
				 "%s: events have different sample layouts and no PERF_SAMPLE_IDENTIFIER",
				 r->path);
			return -EINVAL;
		}
	}
	if (r->nr_evsels > 1 && r->id_pos < 0) {
		snprintf(err, errlen, "%s: %d events but samples carry no event id", r->path,
			 r->nr_evsels);
		return -EINVAL;
	}
	return 0;
}

static int read_attrs(struct ustat_reader *r, char *err, size_t errlen)
{
	u64 attr_part = r->hdr.attr_size - sizeof(struct perf_file_section);
	u64 nr = r->hdr.attrs.size / r->hdr.attr_size, i, total_ids = 0;
	char *buf;

	if (!nr || nr > MAX_ATTRS || r->hdr.attrs.size % r->hdr.attr_size) {
		snprintf(err, errlen, "%s: bad attrs section (%llu bytes for %llu-byte entries)",
			 r->path, (unsigned long long)r->hdr.attrs.size,
			 (unsigned long long)r->hdr.attr_size);
		return -EINVAL;
	}
	r->evsels = calloc(nr, sizeof(*r->evsels));
	buf = malloc(r->hdr.attr_size);
	if (!r->evsels || !buf) {
		free(buf);
		return -ENOMEM;
	}
	r->nr_evsels = nr;
	for (i = 0; i < nr; i++) {
		struct ustat_evsel *evsel = &r->evsels[i];
		struct perf_file_section ids;

		evsel->idx = i;
		if (ustat_reader__read_at(r, buf, r->hdr.attr_size,
					  r->hdr.attrs.offset + i * r->hdr.attr_size))
			goto bad;
		memcpy(&evsel->attr, buf,
		       attr_part < sizeof(evsel->attr) ? attr_part : sizeof(evsel->attr));
		memcpy(&ids, buf + attr_part, sizeof(ids));
		if (!ustat_reader__section_ok(r, &ids) || ids.size % 8 || ids.size / 8 > MAX_IDS)
			goto bad;
		evsel->nr_ids = ids.size / 8;
		evsel->ids = calloc(evsel->nr_ids ? evsel->nr_ids : 1, 8);
		if (!evsel->ids) {
			free(buf);
			return -ENOMEM;
		}
		if (ustat_reader__read_at(r, evsel->ids, ids.size, ids.offset))
			goto bad;
		total_ids += evsel->nr_ids;
	}
	free(buf);

	return ustat_reader__index_ids(r, total_ids, err, errlen);
bad:
	free(buf);
	snprintf(err, errlen, "%s: attr %llu or its ids lie outside the file", r->path,
		 (unsigned long long)i);
	return -EINVAL;
}

static void name_unnamed(struct ustat_reader *r)
{
	int i;

	for (i = 0; i < r->nr_evsels; i++) {
		struct ustat_evsel *e = &r->evsels[i];
		char buf[64];

		if (e->name)
			continue;
		snprintf(buf, sizeof(buf), "event%d:type%u/config%#llx", i, e->attr.type,
			 (unsigned long long)e->attr.config);
		e->name = strdup(buf);
	}
}

static int nr_mapped;

/*
 * A mapped file cut shorter by someone else while we read it: a fault
 * past its new end is SIGBUS.  Our writers (and perf's) never truncate a
 * file in place -- they write another and rename it -- so this is some
 * other hand: say so in one line instead of dumping core.
 */
static void bus_handler(int sig)
{
	static const char msg[] =
		"perf-uprobe-stat: an input file was truncated while being read\n";

	if (nr_mapped) {
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(2);
		_exit(2);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * The data section, mapped: records are read where they lie and the
 * queue keeps them there, where the window copied each twice (read(),
 * then into the queue: a fifth of report's time on 10 M events).  Not an
 * unfinished recording, whose recorder may still be writing it, nor where
 * mmap fails: the window serves those.  Writable and private: a record
 * written to by mistake is our copy, never the file.
 */
static void map_data(struct ustat_reader *r)
{
	u64 end = r->hdr.data.offset + r->hdr.data.size;
	struct sigaction old;
	void *p;

	if (r->salvaged || !r->hdr.data.size || end != (size_t)end)
		return;
	if (sigaction(SIGBUS, NULL, &old) ||
	    (old.sa_handler != SIG_DFL && old.sa_handler != bus_handler))
		return;	/* someone else's handler: leave it be, read by windows */
	p = mmap(NULL, end, PROT_READ | PROT_WRITE, MAP_PRIVATE, r->fd, 0);
	if (p == MAP_FAILED)
		return;
	madvise(p, end, MADV_SEQUENTIAL);
	if (!nr_mapped++)
		signal(SIGBUS, bus_handler);
	r->map = p;
	r->map_size = end;
	r->released = 0;
}

void ustat_reader__unmap(struct ustat_reader *r)
{
	if (!r->map)
		return;
	munmap((void *)r->map, r->map_size);
	if (!--nr_mapped)
		signal(SIGBUS, SIG_DFL);
	r->map = NULL;
}

void ustat_reader__release(struct ustat_reader *r, u64 below)
{
	u64 to = below & ~(u64)(sysconf(_SC_PAGESIZE) - 1);

	if (!r->map || below > r->map_size || to <= r->released)
		return;
	madvise((char *)r->map + r->released, to - r->released, MADV_DONTNEED);
	r->released = to;
}

int ustat_reader__open(struct ustat_reader *r, const char *path,
		       char *err, size_t errlen)
{
	struct stat st;
	int ret;

	bool std_in = !strcmp(path, "-");

	memset(r, 0, sizeof(*r));
	/*
	 * "-" is standard input, as for perf report: a stream (pipe mode),
	 * or a file redirected in.  Any other path must be a regular file:
	 * O_NONBLOCK, so that opening a FIFO does not wait for a writer.
	 */
	r->fd = std_in ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) :
			 open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (r->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", std_in ? "stdin" : path,
			 strerror(errno));
		return ret;
	}
	r->path = strdup(std_in ? "stdin" : path);
	if (!r->path || fstat(r->fd, &st)) {
		snprintf(err, errlen, "cannot stat '%s'", path);
		ret = -EIO;
		goto fail;
	}
	if (std_in && isatty(r->fd)) {
		snprintf(err, errlen,
			 "-i -: standard input is a terminal: pipe a stream in (perf-uprobe-stat record -o - ... |)");
		ret = -EINVAL;
		goto fail;
	}
	if (std_in && !S_ISREG(st.st_mode)) {
		ret = ustat_reader__read_stream(r, err, errlen);
		if (ret)
			goto fail;
		name_unnamed(r);
		map_data(r);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		ret = -EINVAL;
		goto fail;
	}
	r->file_size = st.st_size;
	if (r->file_size < 8 || ustat_reader__read_at(r, &r->hdr.magic, 8, 0)) {
		snprintf(err, errlen, "%s: not a perf.data file (too short)", path);
		ret = -EINVAL;
		goto fail;
	}
	ret = -EINVAL;
	if (r->hdr.magic == PERF_MAGIC2_SWAPPED) {
		snprintf(err, errlen, "%s: perf.data of the other byte order is not supported",
			 path);
		goto fail;
	}
	if (r->hdr.magic == PERF_MAGIC1) {
		snprintf(err, errlen, "%s: version 1 perf.data (PERFFILE) is not supported", path);
		goto fail;
	}
	if (r->hdr.magic != PERF_MAGIC2) {
		snprintf(err, errlen, "%s: not a perf.data file (bad magic)", path);
		goto fail;
	}
	if (r->file_size >= 16 && !ustat_reader__read_at(r, &r->hdr.size, 8, 8) &&
	    r->hdr.size == PERF_PIPE_HEADER_SIZE) {
		/* perf record -o - > FILE: read in order, as from a pipe. */
		memset(&r->hdr, 0, sizeof(r->hdr));
		ret = ustat_reader__read_stream(r, err, errlen);
		if (ret)
			goto fail;
		name_unnamed(r);
		map_data(r);
		return 0;
	}
	if (ustat_reader__read_at(r, &r->hdr, sizeof(r->hdr), 0)) {
		snprintf(err, errlen, "%s: header is cut off (file truncated?)", path);
		goto fail;
	}
	if (r->hdr.size != sizeof(r->hdr)) {
		snprintf(err, errlen, "%s: unexpected header size %llu", path,
			 (unsigned long long)r->hdr.size);
		goto fail;
	}
	if (r->hdr.attr_size < PERF_ATTR_SIZE_VER0 + sizeof(struct perf_file_section) ||
	    r->hdr.attr_size > 4096) {
		snprintf(err, errlen, "%s: unexpected attr size %llu", path,
			 (unsigned long long)r->hdr.attr_size);
		goto fail;
	}
	if (!ustat_reader__section_ok(r, &r->hdr.attrs) || r->hdr.data.offset > r->file_size) {
		snprintf(err, errlen, "%s: header points outside the file (truncated?)", path);
		goto fail;
	}
	if (!r->hdr.data.size && !ustat_reader__any_feat(r)) {
		/*
		 * The writer fills in the data size and the features last; a
		 * recorder that was killed leaves neither.  Salvage what is
		 * there, as perf does.  (A finished empty recording has
		 * features.)
		 */
		r->hdr.data.size = r->file_size - r->hdr.data.offset;
		r->salvaged = true;
		ustat_warn("%s: data size is 0, the recording did not finish: reading to the end of the file",
			   path);
	}
	if (!ustat_reader__section_ok(r, &r->hdr.data)) {
		snprintf(err, errlen, "%s: data section runs past the end of the file (truncated?)",
			 path);
		goto fail;
	}
	if (ustat_reader__has_feat(r, 27)) {	/* HEADER_COMPRESSED */
		snprintf(err, errlen, "%s: compressed perf.data (perf record -z) is not supported",
			 path);
		goto fail;
	}
	if (ustat_reader__has_feat(r, 24)) {	/* HEADER_DIR_FORMAT */
		snprintf(err, errlen, "%s: directory-format perf.data is not supported", path);
		goto fail;
	}
	ret = read_attrs(r, err, errlen);
	if (ret)
		goto fail;
	ret = ustat_reader__read_features(r, err, errlen);
	if (ret)
		goto fail;
	name_unnamed(r);
	map_data(r);
	return 0;
fail:
	ustat_reader__close(r);
	return ret;
}

void ustat_reader__close(struct ustat_reader *r)
{
	int i;

	ustat_reader__unmap(r);
	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->nr_evsels; i++) {
		free(r->evsels[i].ids);
		free(r->evsels[i].name);
		free(r->evsels[i].meta);
	}
	for (i = 0; r->cmdline && i < (int)r->cmdline_nr; i++)
		free(r->cmdline[i]);
	free(r->cmdline);
	free(r->evsels);
	free(r->ids);
	free(r->path);
	free(r->hostname);
	free(r->osrelease);
	free(r->arch);
	free(r->version);
	free(r->session_meta);
	for (i = 0; i < r->nr_meta; i++)
		free(r->meta[i]);
	free(r->meta);
	free(r->tracing_data);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

int ustat_reader__init_mem(struct ustat_reader *r, const struct ustat_file_event *events,
			   int nr, const char *session_meta, char *const *meta, int nr_meta,
			   const void *tracing_data, size_t tracing_data_size,
			   char *err, size_t errlen)
{
	u64 total_ids = 0;
	int i;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->path = strdup("(live)");
	r->evsels = calloc(nr ? nr : 1, sizeof(*r->evsels));
	r->meta = calloc(nr_meta ? nr_meta : 1, sizeof(*r->meta));
	if (!r->path || !r->evsels || !r->meta)
		goto nomem;
	r->nr_evsels = nr;
	for (i = 0; i < nr; i++) {
		struct ustat_evsel *e = &r->evsels[i];

		e->idx = i;
		e->attr = events[i].attr;
		e->nr_ids = events[i].nr_ids;
		e->ids = calloc(e->nr_ids ? e->nr_ids : 1, sizeof(u64));
		e->name = strdup(events[i].name);
		e->meta = events[i].meta ? strdup(events[i].meta) : NULL;
		if (!e->ids || !e->name || (events[i].meta && !e->meta))
			goto nomem;
		if (e->nr_ids)	/* -b opens no event: no ids, and no array */
			memcpy(e->ids, events[i].ids, e->nr_ids * sizeof(u64));
		total_ids += e->nr_ids;
	}
	for (i = 0; i < nr_meta; i++) {
		r->meta[i] = strdup(meta[i]);
		if (!r->meta[i])
			goto nomem;
		r->nr_meta++;
	}
	if (session_meta) {
		r->session_meta = strdup(session_meta);
		if (!r->session_meta)
			goto nomem;
	}
	if (tracing_data_size) {
		r->tracing_data = malloc(tracing_data_size);
		if (!r->tracing_data)
			goto nomem;
		memcpy(r->tracing_data, tracing_data, tracing_data_size);
		r->tracing_data_size = tracing_data_size;
	}
	if (ustat_reader__index_ids(r, total_ids, err, errlen)) {
		ustat_reader__close(r);
		return -EINVAL;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	ustat_reader__close(r);
	return -ENOMEM;
}
