// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the tracepoint side.  The input is a tracing-data blob
 * (perf's HEADER_TRACING_DATA) followed by raw sample data: the blob is
 * parsed with libtraceevent, each kernel signal's fields are looked up in
 * it, and the rest of the input is decoded as that signal's raw records,
 * through the same aggregation report uses.  The first 4 bytes give the
 * blob's length.
 */
#include <stdint.h>
#include <string.h>
#include <linux/perf_event.h>
#include <traceevent/event-parse.h>

#include "kevent-agg.h"
#include "tp-fields.h"
#include "tracing-data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ustat_tp_fields tf[USTAT_KEV_NR];
	struct ustat_kev_agg sa;
	struct tep_handle *tep;
	char err[256];
	u32 blob, id = 0;
	int sig, n = 0;
	size_t off;

	if (size < 4)
		return 0;
	memcpy(&blob, data, 4);
	if (blob > size - 4)
		return 0;
	tep = ustat_tdata__parse(data + 4, blob, err, sizeof(err));
	if (!tep)
		return 0;
	if (ustat_kev_agg__init(&sa, USTAT_KEV_NR)) {
		tep_free(tep);
		return 0;
	}
	/* Every event of the blob, tried as every signal: ids are the blob's. */
	for (sig = 0; sig < USTAT_KEV_NR; sig++) {
		struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
		const struct ustat_tp_field *f[USTAT_TP_MAX_FIELDS] = { NULL };
		int j;

		if (events && events[0])
			id = events[n++ % tep_get_events_count(tep)]->id;

		if (ustat_tp_fields__init(&tf[sig], tep, id, sig, err, sizeof(err)))
			continue;
		for (j = 0; j < tf[sig].nr; j++)
			f[j] = &tf[sig].f[j];
		ustat_kev_agg__set_signal(&sa, sig, sig, f);
	}
	/* The rest: raw records of 32 bytes, each a sample of signal byte % NR. */
	for (off = 4 + blob; off + 33 <= size; off += 33) {
		struct ustat_sample s;
		u64 chain[4] = { PERF_CONTEXT_KERNEL, 0xffffffff81000000ULL + data[off],
				 PERF_CONTEXT_USER, 0x401000 + data[off] };

		memset(&s, 0, sizeof(s));
		s.cpu = data[off] % 4;
		s.tid = data[off] % 3;
		s.pid = 1;
		s.time = off;
		s.raw = data + off + 1;
		s.raw_size = 32;
		s.callchain = chain;
		s.callchain_nr = 4;
		ustat_kev_agg__sample(&sa, data[off] % USTAT_KEV_NR, &s);
	}
	ustat_kev_agg__finish(&sa);
	ustat_kev_agg__exit(&sa);
	tep_free(tep);
	return 0;
}
