// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: one input is one perf.data file, read the way report
 * reads it -- header, attrs, ids, features, tracing data, every record in
 * time order -- aggregated (callchains too) and printed as JSON and folded.  Nothing it is fed may
 * crash, hang or read out of bounds; errors must be errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aggregate.h"
#include "report.h"
#include "backend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_sample(void *ctx, int idx, const struct ustat_sample *s)
{
	return ustat_agg__add(ctx, idx, s);
}

static int on_lost(void *ctx, u32 cpu, u64 nr, u64 time)
{
	(void)time;
	ustat_agg__lost(ctx, cpu, nr);
	return 0;
}

/* Mappings and forks, for the callchains of -g files. */
static int on_mmap(void *ctx, u32 pid, u64 start, u64 len, u64 pgoff, const char *name)
{
	struct ustat_agg *agg = ctx;

	return ustat_callchains__mmap(agg->cc, pid, start, len, pgoff, name);
}

static int on_fork(void *ctx, u32 pid, u32 ppid)
{
	struct ustat_agg *agg = ctx;

	return ustat_callchains__fork(agg->cc, pid, ppid);
}

static const struct ustat_input_ops ops = {
	.sample	= on_sample,
	.lost	= on_lost,
	.mmap	= on_mmap,
	.fork	= on_fork,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct ustat_input *in;
	struct ustat_report rep;
	int nr;
	struct ustat_agg agg;
	struct ustat_callchains cc;
	char path[64], err[512];
	int fd;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	fd = memfd_create("fuzz-perf-data", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (ustat_input__open(&in, path, err, sizeof(err))) {
		close(fd);
		return 0;
	}
	ustat_callchains__init(&cc, ustat_input__infos(in));
	if (!ustat_agg__init(&agg, ustat_input__infos(in))) {
		ustat_agg__init_kevents(&agg, in);
		agg.cc = &cc;
		if (!ustat_input__process(in, &ops, &agg, err, sizeof(err))) {
			ustat_agg__finish(&agg);
			memset(&rep, 0, sizeof(rep));
			rep.input = path;
			rep.rec = ustat_input__recording(in);
			rep.events = ustat_input__events(in, &nr);
			rep.agg = &agg;
			rep.cc = &cc;
			rep.duration_ns = agg.last_time - agg.first_time;
			ustat_report__parse_sort(&rep, "probe,cpu", err, sizeof(err));
			ustat_report__print_json(&rep, devnull);
			ustat_report__print_stdio(&rep, devnull);
			ustat_report__print_csv(&rep, devnull);
			ustat_callchains__print_folded(&cc, devnull);
		}
	}
	ustat_agg__exit(&agg);
	ustat_callchains__exit(&cc);
	ustat_input__close(in);
	close(fd);
	return 0;
}
