// SPDX-License-Identifier: GPL-2.0
/*
 * perf's pipe format, written by perf-writer-pipe.c and read back by
 * perf-reader-pipe.c: many events (their names take several HEADER_FEATURE
 * records), metadata in HEADER_EVENT_TYPE records, and a cut stream.
 */
#include "unit.h"
#include "perf-reader.h"
#include "perf-file.h"
#include "perf-writer.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 600 events of 100-byte names: over 64 KiB of EVENT_DESC. */
#define NR_EV	600

static char dir[] = "/tmp/ustat-pipe-XXXXXX";
static char path[sizeof(dir) + 32];

struct events {
	struct ustat_file_event	 ev[NR_EV];
	char			 names[NR_EV][128];
	char			 metas[NR_EV][64];
	u64			 ids[NR_EV];
};

static void init_events(struct events *e)
{
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < NR_EV; i++) {
		struct ustat_file_event *ev = &e->ev[i];

		snprintf(e->names[i], sizeof(e->names[i]), "probe:%096d", i);
		snprintf(e->metas[i], sizeof(e->metas[i]), "event\tidx=%d\tdisplay=f%d", i, i);
		e->ids[i] = 1000 + i;
		ev->attr.type = 8;
		ev->attr.size = sizeof(ev->attr);
		ev->attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TIME;
		ev->attr.sample_id_all = 1;
		ev->name = e->names[i];
		ev->meta = e->metas[i];
		ev->ids = &e->ids[i];
		ev->nr_ids = 1;
	}
}

/* The stream on "stdout", which is PATH meanwhile; its size. */
static off_t write_stream(struct events *e)
{
	static const char *argv[] = { "perf-uprobe-stat", "record", "-o", "-" };	/* desc.argv: not const */
	struct ustat_file_desc d = { 0 };
	struct ustat_writer w;
	char err[256] = "";
	u64 sample[3];
	int fd, saved, i;
	struct stat st;

	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	if (ustat_writer__open(&w, "-", false, err, sizeof(err)))
		fail_msg("open -: %s", err);
	assert_true(w.out.pipe);
	assert_int_equal(ustat_writer__begin(&w, e->ev, NR_EV), 0);
	d.events = e->ev;
	d.nr_events = NR_EV;
	d.argc = 4;
	d.argv = argv;
	d.session_meta = "session\ttarget=x";
	d.time_start = 10;
	d.time_end = 20;
	assert_int_equal(ustat_writer__begin_desc(&w, &d), 0);
	for (i = 0; i < NR_EV; i++) {
		struct perf_event_header *h = (void *)sample;

		h->type = PERF_RECORD_SAMPLE;
		h->misc = 0;
		h->size = sizeof(sample);
		sample[1] = e->ids[i];		/* IDENTIFIER */
		sample[2] = 15;			/* TIME */
		assert_int_equal(ustat_writer__write(&w, sample, sizeof(sample)), 0);
	}
	assert_int_equal(ustat_writer__finish(&w, &d), 0);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	return st.st_size;
}

static int count(void *ctx, union perf_event *ev, u64 off)
{
	(void)off;
	if (ev->header.type == PERF_RECORD_SAMPLE)
		(*(int *)ctx)++;
	return 0;
}

static void test_pipe_round_trip(void **state)
{
	struct events *e = malloc(sizeof(*e));
	struct ustat_reader r;
	char err[256] = "";
	u64 hdr[2];
	int i, n = 0, fd;

	(void)state;
	assert_non_null(e);
	init_events(e);
	write_stream(e);
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, hdr, sizeof(hdr)), sizeof(hdr));
	close(fd);
	assert_true(hdr[0] == PERF_MAGIC2 && hdr[1] == PERF_PIPE_HEADER_SIZE);

	/* A file in pipe format is read as the stream it is. */
	if (ustat_reader__open(&r, path, err, sizeof(err)))
		fail_msg("read back: %s", err);
	assert_int_equal(r.nr_evsels, NR_EV);
	for (i = 0; i < NR_EV; i++) {
		assert_string_equal(r.evsels[i].name, e->names[i]);
		assert_non_null(r.evsels[i].meta);
		assert_string_equal(r.evsels[i].meta, e->metas[i]);
	}
	assert_string_equal(r.session_meta, "session\ttarget=x");
	assert_int_equal(r.cmdline_nr, 4);
	assert_string_equal(r.cmdline[3], "-");
	assert_true(r.has_sample_time && r.time_start == 10 && r.time_end == 20);
	assert_int_equal(ustat_reader__walk_events(&r, count, &n, err, sizeof(err)), 0);
	assert_int_equal(n, NR_EV);
	ustat_reader__close(&r);
	free(e);
}

static void test_pipe_cut(void **state)
{
	struct events *e = malloc(sizeof(*e));
	struct ustat_reader r;
	char err[256] = "";
	off_t size;

	(void)state;
	assert_non_null(e);
	init_events(e);
	size = write_stream(e);
	/* Inside the last record, and at a record boundary before the metadata. */
	assert_int_equal(truncate(path, size - 20), 0);
	assert_true(ustat_reader__open(&r, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "cut off"));
	assert_int_equal(truncate(path, 16), 0);
	assert_true(ustat_reader__open(&r, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "no events"));
	free(e);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/s.pipe", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_round_trip),
		cmocka_unit_test(test_pipe_cut),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
