// SPDX-License-Identifier: GPL-2.0
/*
 * Sample decoding (sample.h) on records laid out by hand from the
 * PERF_RECORD_SAMPLE description in linux/perf_event.h: the fields of
 * several sample_types, READ groups, callchains and raw data, records
 * that are too short, and sample_id trailers.
 */
#include "unit.h"
#include "sample-parse.h"

#include <errno.h>
#include <string.h>

/* A record: header, then up to 31 words. */
struct rec {
	struct perf_event_header	h;
	u64				w[31];
};

static const union perf_event *ev_of(struct rec *r, size_t nr_words)
{
	memset(&r->h, 0, sizeof(r->h));
	r->h.type = PERF_RECORD_SAMPLE;
	r->h.size = sizeof(r->h) + nr_words * 8;
	return (const union perf_event *)r;
}

/* Every shorter record (by whole words) is refused. */
static void check_truncations(const struct perf_event_attr *attr, struct rec *r, size_t nr)
{
	struct ustat_sample s;
	size_t k;

	for (k = 0; k < nr; k++) {
		r->h.size = sizeof(r->h) + k * 8;
		if (ustat_sample__parse(attr, (const union perf_event *)r, &s) != -EINVAL)
			fail_msg("a record cut to %zu of %zu words was accepted", k, nr);
	}
	r->h.size = sizeof(r->h) + nr * 8;
}

/*
 * The queue's quick time read agrees with the full decoding for every
 * combination of the fields that can come before TIME, and gives 0 for a
 * record cut before its time or a sample_type without TIME.
 */
static void test_time_quick(void **state)
{
	const u64 before[] = { PERF_SAMPLE_IDENTIFIER, PERF_SAMPLE_IP, PERF_SAMPLE_TID };
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;
	unsigned int m, i, words;

	for (m = 0; m < 8; m++) {
		attr.sample_type = PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
		for (i = 0, words = 0; i < 3; i++)
			if (m & (1u << i)) {
				attr.sample_type |= before[i];
				words++;
			}
		for (i = 0; i < 31; i++)
			r.w[i] = 1000 + i;
		ev = ev_of(&r, words + 3);
		assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
		assert_int_equal(s.time, 1000 + words);
		assert_int_equal(ustat_sample__time(&attr, ev), s.time);
		r.h.size = sizeof(r.h) + words * 8;
		assert_int_equal(ustat_sample__time(&attr, ev), 0);
	}
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID;
	assert_int_equal(ustat_sample__time(&attr, ev_of(&r, 2)), 0);
}

/*
 * The decoding by layout (report's, worked out once per event) gives what
 * the full decoding gives, field for field, for every combination of the
 * fixed fields, with READ or CALLCHAIN added (which leave it to the full
 * one), for records of every length up to one word past the fields:
 * refused when that refuses, the same times when it accepts.
 */
static void test_parse_by_layout(void **state)
{
	static const u64 fixed[] = {
		PERF_SAMPLE_IDENTIFIER, PERF_SAMPLE_IP, PERF_SAMPLE_TID, PERF_SAMPLE_TIME,
		PERF_SAMPLE_ADDR, PERF_SAMPLE_ID, PERF_SAMPLE_STREAM_ID, PERF_SAMPLE_CPU,
		PERF_SAMPLE_PERIOD,
	};
	static const u64 extra[] = { 0, PERF_SAMPLE_READ, PERF_SAMPLE_CALLCHAIN };
	struct perf_event_attr attr = { 0 };
	struct ustat_sample_layout l;
	struct ustat_sample a, b;
	/* as big as any record: the layout's inline reads go by the union */
	union {
		struct rec		r;
		union perf_event	ev;
	} u;
	const union perf_event *ev = &u.ev;
	unsigned int m, i, x, words, k, laid_ok = 0;
	int ra, rb;

	for (x = 0; x < 3; x++) {
		for (m = 0; m < (1u << 9); m++) {
			attr.sample_type = extra[x];
			for (i = 0, words = 0; i < 9; i++)
				if (m & (1u << i)) {
					attr.sample_type |= fixed[i];
					words++;
				}
			ustat_sample_layout__init(&l, attr.sample_type);
			assert_int_equal(l.simple, x == 0);
			if (x == 0)
				assert_int_equal(l.fixed, words);
			for (k = 0; k <= words + 2 && k < 31; k++) {
				for (i = 0; i < 31; i++)
					u.r.w[i] = 0x100000001ULL * (i + 1);
				u.r.w[words] = 0;	/* READ's value / a callchain of 0 */
				ev_of(&u.r, k);
				ra = ustat_sample__parse(&attr, ev, &a);
				rb = ustat_sample__parse_laid(&l, &attr, ev, &b);

				assert_int_equal(ra, rb);
				if (ra)
					continue;
				laid_ok++;
				/* field by field: padding is not a field */
				if (a.id != b.id || a.ip != b.ip || a.time != b.time ||
				    a.addr != b.addr || a.period != b.period || a.pid != b.pid ||
				    a.tid != b.tid || a.cpu != b.cpu ||
				    a.callchain_nr != b.callchain_nr || a.callchain != b.callchain ||
				    a.raw_size != b.raw_size || a.raw != b.raw ||
				    a.user_regs_abi != b.user_regs_abi ||
				    a.user_regs_mask != b.user_regs_mask ||
				    a.user_regs != b.user_regs ||
				    a.user_stack_size != b.user_stack_size ||
				    a.user_stack != b.user_stack || a.priv != b.priv)
					fail_msg("sample_type %#llx, %u words: the layout decodes otherwise",
						 (unsigned long long)attr.sample_type, k);
				assert_int_equal(ustat_sample__time_laid(&l, ev),
						 ustat_sample__time(&attr, ev));
			}
		}
	}
	assert_true(laid_ok > 512 * 2);
}

/* Without IDENTIFIER: the id sits after IP, TID, TIME and ADDR. */
static void test_parse_classic_layout(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;

	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			   PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID |
			   PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	r.w[0] = 0x401000;			/* ip */
	r.w[1] = 4242 | (u64)4243 << 32;	/* pid, tid */
	r.w[2] = 123456789;			/* time */
	r.w[3] = 0xdead0000;			/* addr */
	r.w[4] = 77;				/* id */
	r.w[5] = 78;				/* stream_id */
	r.w[6] = 3 | 0xffffffffULL << 32;	/* cpu, res: res is not the cpu */
	r.w[7] = 1000;				/* period */
	ev = ev_of(&r, 8);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
	assert_int_equal(s.ip, 0x401000);
	assert_int_equal(s.pid, 4242);
	assert_int_equal(s.tid, 4243);
	assert_int_equal(s.time, 123456789);
	assert_int_equal(s.addr, 0xdead0000);
	assert_int_equal(s.id, 77);
	assert_int_equal(s.cpu, 3);
	assert_int_equal(s.period, 1000);
	assert_null(s.callchain);
	assert_null(s.raw);
	check_truncations(&attr, &r, 8);
}

/* READ as a group, then CALLCHAIN and RAW behind it. */
static void test_parse_read_group_callchain_raw(void **state)
{
	static const u8 raw[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;
	u32 raw_size = sizeof(raw);

	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			   PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW;
	attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_LOST |
			   PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	r.w[0] = 555;				/* identifier */
	r.w[1] = 10 | (u64)11 << 32;
	r.w[2] = 999;
	r.w[3] = 2;				/* read: nr */
	r.w[4] = 1111;				/* time_enabled */
	r.w[5] = 2222;				/* time_running */
	r.w[6] = 5; r.w[7] = 555; r.w[8] = 0;	/* value, id, lost */
	r.w[9] = 6; r.w[10] = 556; r.w[11] = 1;
	r.w[12] = 3;				/* callchain: nr, ips */
	r.w[13] = PERF_CONTEXT_USER;
	r.w[14] = 0x401234;
	r.w[15] = 0x401300;
	memcpy(&r.w[16], &raw_size, 4);		/* raw: u32 size, data, 8-aligned */
	memcpy((char *)&r.w[16] + 4, raw, sizeof(raw));
	ev = ev_of(&r, 18);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
	assert_int_equal(s.id, 555);
	assert_int_equal(s.pid, 10);
	assert_int_equal(s.tid, 11);
	assert_int_equal(s.time, 999);
	assert_int_equal(s.cpu, (u32)-1);	/* no CPU in this layout */
	assert_int_equal(s.callchain_nr, 3);
	assert_ptr_equal(s.callchain, &r.w[13]);
	assert_int_equal(s.callchain[0], PERF_CONTEXT_USER);
	assert_int_equal(s.callchain[2], 0x401300);
	assert_int_equal(s.raw_size, 12);
	assert_memory_equal(s.raw, raw, sizeof(raw));
	check_truncations(&attr, &r, 18);

	/* Counts that run past the record are refused, however large. */
	r.w[3] = 1ULL << 61;
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	r.w[3] = 2;
	r.w[12] = ~0ULL;
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	r.w[12] = 6;				/* 5 words are left */
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	r.w[12] = 3;
	raw_size = 13;
	memcpy(&r.w[16], &raw_size, 4);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	raw_size = 0xffffffff;
	memcpy(&r.w[16], &raw_size, 4);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
}

/*
 * --call-graph dwarf's layout: CALLCHAIN, RAW (its padding skipped), then
 * REGS_USER (abi, a word per mask bit) and STACK_USER (size, the copy,
 * the size really copied), which must fit the record and the copy.
 */
static void test_parse_regs_stack_user(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;
	u32 raw_size = 4;

	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW |
			   PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	attr.sample_regs_user = (1ULL << 6) | (1ULL << 7) | (1ULL << 8);	/* bp, sp, ip */
	r.w[0] = 0x401000;			/* ip */
	r.w[1] = 1;				/* callchain: nr, ips */
	r.w[2] = PERF_CONTEXT_USER;
	memcpy(&r.w[3], &raw_size, 4);		/* raw: 4 + 4 bytes, one word */
	memset((char *)&r.w[3] + 4, 0xab, 4);
	r.w[4] = PERF_SAMPLE_REGS_ABI_64;
	r.w[5] = 0x7ff0; r.w[6] = 0x7fe0; r.w[7] = 0x401000;
	r.w[8] = 16;				/* stack: size, 2 words, dyn_size */
	r.w[9] = 0x1111; r.w[10] = 0x2222;
	r.w[11] = 8;
	ev = ev_of(&r, 12);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
	assert_int_equal(s.raw_size, 4);
	assert_int_equal(s.user_regs_abi, PERF_SAMPLE_REGS_ABI_64);
	assert_int_equal(s.user_regs_mask, attr.sample_regs_user);
	assert_ptr_equal(s.user_regs, &r.w[5]);
	assert_int_equal(s.user_regs[1], 0x7fe0);
	assert_ptr_equal(s.user_stack, &r.w[9]);
	assert_int_equal(s.user_stack_size, 8);
	check_truncations(&attr, &r, 12);

	/* More copied than the copy holds, or a copy not in words: refused. */
	r.w[11] = 24;
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	r.w[11] = 8;
	r.w[8] = 12;
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), -EINVAL);
	r.w[8] = 16;
	/* No registers (a kernel thread): abi 0 and nothing after it. */
	r.w[4] = 0;
	r.w[5] = 0;				/* the stack: size 0 */
	ev = ev_of(&r, 6);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
	assert_null(s.user_regs);
	assert_null(s.user_stack);
	assert_int_equal(s.user_stack_size, 0);
}

/* READ of one counter: value, time_enabled, id; then a callchain. */
static void test_parse_read_single(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;

	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_CPU | PERF_SAMPLE_READ |
			   PERF_SAMPLE_CALLCHAIN;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_ID;
	r.w[0] = 0x1234;
	r.w[1] = 7;
	r.w[2] = 100;				/* value */
	r.w[3] = 200;				/* time_enabled */
	r.w[4] = 300;				/* id */
	r.w[5] = 1;
	r.w[6] = 0x5678;
	ev = ev_of(&r, 7);
	assert_int_equal(ustat_sample__parse(&attr, ev, &s), 0);
	assert_int_equal(s.ip, 0x1234);
	assert_int_equal(s.cpu, 7);
	assert_int_equal(s.callchain_nr, 1);
	assert_int_equal(s.callchain[0], 0x5678);
	check_truncations(&attr, &r, 7);
}

/* Fields the attr lacks read as 0, CPU and thread as (u32)-1. */
static void test_parse_absent_fields(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;

	attr.sample_type = PERF_SAMPLE_IP;
	r.w[0] = 0xabc;
	assert_int_equal(ustat_sample__parse(&attr, ev_of(&r, 1), &s), 0);
	assert_int_equal(s.ip, 0xabc);
	assert_int_equal(s.id, 0);
	assert_int_equal(s.time, 0);
	assert_int_equal(s.addr, 0);
	assert_int_equal(s.cpu, (u32)-1);
	assert_int_equal(s.tid, (u32)-1);
	assert_int_equal(s.callchain_nr, 0);
	assert_null(s.callchain);
	assert_int_equal(s.raw_size, 0);
	assert_null(s.raw);
}

/* Sizes that are not whole words, or less than a header, are damage. */
static void test_parse_bad_header_size(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;

	attr.sample_type = PERF_SAMPLE_IP;
	attr.sample_id_all = 1;
	r.w[0] = 1;
	r.w[1] = 2;
	ev_of(&r, 1);
	r.h.size = 12;
	assert_int_equal(ustat_sample__parse(&attr, (union perf_event *)&r, &s), -EINVAL);
	assert_int_equal(ustat_sample__parse_id(&attr, (union perf_event *)&r, &s), -EINVAL);
	r.h.size = 4;
	assert_int_equal(ustat_sample__parse(&attr, (union perf_event *)&r, &s), -EINVAL);
	assert_int_equal(ustat_sample__parse_id(&attr, (union perf_event *)&r, &s), -EINVAL);
}

/* A COMM record's trailer, laid out by hand: TID TIME ID STREAM_ID CPU IDENTIFIER. */
static void test_parse_id_trailer(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s;
	struct rec r;
	const union perf_event *ev;

	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			   PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID |
			   PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	attr.sample_id_all = 1;
	r.w[0] = 1 | (u64)2 << 32;		/* comm: pid, tid */
	memcpy(&r.w[1], "comm-name\0\0\0\0\0\0", 16);
	r.w[3] = 1 | (u64)2 << 32;		/* trailer: pid, tid */
	r.w[4] = 5000;				/* time */
	r.w[5] = 64;				/* id */
	r.w[6] = 65;				/* stream_id */
	r.w[7] = 9;				/* cpu */
	r.w[8] = 64;				/* identifier */
	ev = ev_of(&r, 9);
	r.h.type = PERF_RECORD_COMM;
	assert_int_equal(ustat_sample__parse_id(&attr, ev, &s), 0);
	assert_int_equal(s.pid, 1);
	assert_int_equal(s.tid, 2);
	assert_int_equal(s.time, 5000);
	assert_int_equal(s.id, 64);
	assert_int_equal(s.cpu, 9);
	/* IP and PERIOD are sample-only: not in the trailer */
	assert_int_equal(s.ip, 0);

	/* A record too short for its trailer. */
	r.h.size = sizeof(r.h) + 5 * 8;
	assert_int_equal(ustat_sample__parse_id(&attr, ev, &s), -EINVAL);

	/* Without sample_id_all there is no trailer: nothing is read. */
	attr.sample_id_all = 0;
	r.h.size = sizeof(r.h) + 9 * 8;
	assert_int_equal(ustat_sample__parse_id(&attr, ev, &s), 0);
	assert_int_equal(s.time, 0);
	assert_int_equal(s.cpu, (u32)-1);
	assert_int_equal(s.tid, (u32)-1);
}

/* write_id lays the trailer out as the kernel does (perf_event_attr docs). */
static void test_write_id_layout(void **state)
{
	struct perf_event_attr attr = { 0 };
	struct ustat_sample s = { 0 };
	u64 buf[6];

	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			   PERF_SAMPLE_CPU | PERF_SAMPLE_IP | PERF_SAMPLE_PERIOD;
	attr.sample_id_all = 1;
	s.pid = 10;
	s.tid = 20;
	s.time = 30;
	s.cpu = 4;
	s.id = 50;
	s.ip = 0xffff;
	assert_int_equal(ustat_sample__write_id(&attr, &s, buf), 4 * 8);
	assert_int_equal(buf[0], 10 | (u64)20 << 32);
	assert_int_equal(buf[1], 30);
	assert_int_equal(buf[2], 4);
	assert_int_equal(buf[3], 50);

	attr.sample_id_all = 0;
	assert_int_equal(ustat_sample__write_id(&attr, &s, buf), 0);
}

/* Every combination of trailer fields: write_id, then parse_id, gives it back. */
static void test_write_id_round_trip(void **state)
{
	static const u64 bits[] = {
		PERF_SAMPLE_TID, PERF_SAMPLE_TIME, PERF_SAMPLE_ID, PERF_SAMPLE_STREAM_ID,
		PERF_SAMPLE_CPU, PERF_SAMPLE_IDENTIFIER,
	};
	unsigned int combo, i;

	for (combo = 0; combo < 1u << 6; combo++) {
		struct perf_event_attr attr = { 0 };
		struct ustat_sample in = { 0 }, out;
		struct rec r;
		size_t n, nbits = 0;

		for (i = 0; i < 6; i++) {
			if (combo & 1u << i) {
				attr.sample_type |= bits[i];
				nbits++;
			}
		}
		attr.sample_type |= PERF_SAMPLE_IP | PERF_SAMPLE_PERIOD;
		attr.sample_id_all = 1;
		in.pid = 100 + combo;
		in.tid = 200 + combo;
		in.time = 300 + combo;
		in.cpu = combo % 7;
		in.id = 400 + combo;
		/* a LOST record: id and count, then the trailer */
		r.w[0] = 0xaaaa;
		r.w[1] = 0xbbbb;
		n = ustat_sample__write_id(&attr, &in, &r.w[2]);
		assert_int_equal(n, nbits * 8);
		ev_of(&r, 2 + n / 8);
		r.h.type = PERF_RECORD_LOST;
		assert_int_equal(ustat_sample__parse_id(&attr, (union perf_event *)&r, &out), 0);
		if (attr.sample_type & PERF_SAMPLE_TID) {
			assert_int_equal(out.pid, in.pid);
			assert_int_equal(out.tid, in.tid);
		}
		assert_int_equal(out.time, attr.sample_type & PERF_SAMPLE_TIME ? in.time : 0);
		assert_int_equal(out.cpu, attr.sample_type & PERF_SAMPLE_CPU ? in.cpu : (u32)-1);
		assert_int_equal(out.id, attr.sample_type & (PERF_SAMPLE_ID |
							    PERF_SAMPLE_IDENTIFIER) ? in.id : 0);
		/* the body is untouched */
		assert_int_equal(r.w[0], 0xaaaa);
		assert_int_equal(r.w[1], 0xbbbb);
	}
}

/* Where the id is, counted by hand from the layouts. */
static void test_id_pos(void **state)
{
	const u64 I = PERF_SAMPLE_IDENTIFIER, ID = PERF_SAMPLE_ID;
	const u64 most = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			 PERF_SAMPLE_ADDR | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |
			 PERF_SAMPLE_PERIOD;

	assert_int_equal(ustat_sample__id_pos(I), 0);
	assert_int_equal(ustat_sample__id_pos(I | ID | most), 0);
	assert_int_equal(ustat_sample__id_pos_trailer(I | ID | most), 1);
	assert_int_equal(ustat_sample__id_pos(most), -1);
	assert_int_equal(ustat_sample__id_pos_trailer(most), -1);
	assert_int_equal(ustat_sample__id_pos(ID), 0);
	assert_int_equal(ustat_sample__id_pos_trailer(ID), 1);
	/* ip, tid, time, addr | id */
	assert_int_equal(ustat_sample__id_pos(ID | most), 4);
	/* id | stream_id, cpu: two words after it, the id third from the end */
	assert_int_equal(ustat_sample__id_pos_trailer(ID | most), 3);
	assert_int_equal(ustat_sample__id_pos(ID | PERF_SAMPLE_IP | PERF_SAMPLE_CPU), 1);
	assert_int_equal(ustat_sample__id_pos_trailer(ID | PERF_SAMPLE_IP | PERF_SAMPLE_CPU), 2);
	assert_int_equal(ustat_sample__id_pos(ID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD), 1);
	assert_int_equal(ustat_sample__id_pos_trailer(ID | PERF_SAMPLE_TIME |
						      PERF_SAMPLE_PERIOD), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_classic_layout),
		cmocka_unit_test(test_parse_read_group_callchain_raw),
		cmocka_unit_test(test_parse_regs_stack_user),
		cmocka_unit_test(test_parse_read_single),
		cmocka_unit_test(test_parse_absent_fields),
		cmocka_unit_test(test_parse_bad_header_size),
		cmocka_unit_test(test_parse_id_trailer),
		cmocka_unit_test(test_write_id_layout),
		cmocka_unit_test(test_write_id_round_trip),
		cmocka_unit_test(test_id_pos),
		cmocka_unit_test(test_time_quick),
		cmocka_unit_test(test_parse_by_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
