// SPDX-License-Identifier: GPL-2.0
/*
 * Synthesize a perf.data file through uprobe-stat's own writer, as record
 * would write it: PROBES entry probes (each with a %return), CPUS CPUs,
 * EVENTS samples spread over DURATION_MS, one thread per CPU, rounds every
 * 4096 records.  For the TUI's large-screen tests and the benchmarks: a
 * recording of 256 CPUs and 10 million events cannot be made on a
 * two-CPU VM.
 *
 *	gen-perf-data OUT CPUS PROBES EVENTS DURATION_MS [ROUND]
 *
 * ROUND: records per FINISHED_ROUND (default 4096; 0: none, one round of
 * the whole file, for the reorder queue's memory bound).
 *
 * Prints the hits of each probe it wrote, for tests to compare with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <perf/event.h>

#include "meta.h"
#include "perf-file.h"
#include "perf-writer.h"

#define SAMPLE_TYPE (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | \
		     PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

struct sample_rec {
	struct perf_event_header	header;
	u64				id, ip;
	u32				pid, tid;
	u64				time;
	u32				cpu, res;
	u64				period;
};

int main(int argc, char **argv)
{
	int cpus, probes, i, nev;
	u64 events, duration, e, *hits, round_every;
	struct ustat_file_event *ev;
	struct ustat_meta_buf *m, sm = { 0 };
	struct ustat_writer w;
	struct ustat_file_desc d = { 0 };
	char err[256], (*names)[64], (*display)[64];
	u64 *ids;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: gen-perf-data OUT CPUS PROBES EVENTS DURATION_MS [ROUND]\n");
		return 2;
	}
	cpus = atoi(argv[2]);
	probes = atoi(argv[3]);
	events = strtoull(argv[4], NULL, 0);
	duration = strtoull(argv[5], NULL, 0) * 1000000ULL;
	round_every = argc > 6 ? strtoull(argv[6], NULL, 0) : 4096;
	nev = 2 * probes;
	ev = calloc(nev, sizeof(*ev));
	m = calloc(nev, sizeof(*m));
	names = calloc(nev, sizeof(*names));
	display = calloc(nev, sizeof(*display));
	ids = calloc(nev * cpus, sizeof(u64));
	hits = calloc(nev, sizeof(u64));
	if (!ev || !m || !names || !display || !ids || !hits)
		return 1;
	for (i = 0; i < nev; i++) {
		int p = i / 2, ret = i % 2, c;
		char func[64];

		snprintf(names[i], sizeof(names[i]), "probe_gen:func%d%s", p, ret ? "__return" : "");
		snprintf(display[i], sizeof(display[i]), "func%d%s", p, ret ? "%return" : "");
		ev[i].attr.size = sizeof(ev[i].attr);
		ev[i].attr.type = 8;
		ev[i].attr.config = ret;
		ev[i].attr.sample_period = 1;
		ev[i].attr.sample_type = SAMPLE_TYPE;
		ev[i].attr.read_format = PERF_FORMAT_ID;
		ev[i].attr.sample_id_all = 1;
		ev[i].attr.use_clockid = 1;
		ev[i].attr.clockid = 1;
		for (c = 0; c < cpus; c++)
			ids[i * cpus + c] = 1000 + i * cpus + c;
		ev[i].ids = &ids[i * cpus];
		ev[i].nr_ids = cpus;
		ev[i].name = names[i];
		/* Entry and %return name one function: report pairs them. */
		snprintf(func, sizeof(func), "func%d", p);
		if (ustat_meta__begin(&m[i], "event") || ustat_meta__add_u64(&m[i], "idx", i) ||
		    ustat_meta__add(&m[i], "kind", "uprobe") ||
		    ustat_meta__add(&m[i], "display", display[i]) ||
		    ustat_meta__add(&m[i], "binary", "/usr/bin/gen") ||
		    ustat_meta__add(&m[i], "func", func) ||
		    ustat_meta__add_u64(&m[i], "func_offset", 0) ||
		    ustat_meta__add_u64(&m[i], "return", ret))
			return 1;
		ev[i].meta = m[i].s;
	}
	if (ustat_writer__open(&w, argv[1], true, err, sizeof(err)) ||
	    ustat_writer__begin(&w, ev, nev)) {
		fprintf(stderr, "gen-perf-data: %s\n", err);
		return 1;
	}
	/*
	 * Each CPU's thread calls func(p) then returns, in turn: an entry and
	 * a return sample per call, 1000 ns apart.
	 */
	for (e = 0; e < events; e++) {
		struct sample_rec s;
		u64 call = e / 2;
		int cpu = call % cpus, p = (call / cpus) % probes, is_ret = e % 2, idx = 2 * p + is_ret;

		memset(&s, 0, sizeof(s));
		s.header.type = PERF_RECORD_SAMPLE;
		s.header.size = sizeof(s);
		s.id = ids[idx * cpus + cpu];
		s.ip = 0x401000 + 0x100 * p + is_ret * 0x40;
		s.pid = 4242;
		s.tid = 5000 + cpu;
		s.time = 1000000000ULL + call * (duration / (events / 2 + 1)) + is_ret * 1000;
		s.cpu = cpu;
		s.period = 1;
		hits[idx]++;
		if (ustat_writer__write(&w, &s, sizeof(s)))
			return 1;
		if (round_every && e % round_every == round_every - 1) {
			struct perf_event_header round = {
				.type = PERF_RECORD_FINISHED_ROUND, .size = sizeof(round),
			};

			if (ustat_writer__write(&w, &round, sizeof(round)))
				return 1;
		}
	}
	ustat_meta__begin(&sm, "session");
	ustat_meta__add(&sm, "target", "synthetic");
	d.events = ev;
	d.nr_events = nev;
	d.session_meta = sm.s;
	d.time_start = 1000000000ULL;
	d.time_end = 1000000000ULL + duration;
	if (ustat_writer__finish(&w, &d)) {
		fprintf(stderr, "gen-perf-data: cannot write %s\n", argv[1]);
		ustat_writer__abort(&w);
		return 1;
	}
	for (i = 0; i < nev; i++)
		printf("%s %llu\n", display[i], (unsigned long long)hits[i]);
	return 0;
}
