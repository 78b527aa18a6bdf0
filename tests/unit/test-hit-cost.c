// SPDX-License-Identifier: GPL-2.0
#include "unit.h"
#include "calibration.h"
#include "cost-model.h"
#include "disasm.h"
#include "hit-path.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

/* The kernel's decision for instructions whose path is known (uprobes.c). */
static void test_paths(void **state)
{
	static const struct {
		const char	*what;
		u8		 code[10];
		int		 len;
		u64		 page_off;
		bool		 syscall;
		enum ustat_hit_path path;
	} cases[] = {
		{ "nop5, uprobe syscall", { 0x0f, 0x1f, 0x44, 0, 0 }, 5, 64, true, USTAT_PATH_OPTIMISED },
		{ "nop5, no syscall", { 0x0f, 0x1f, 0x44, 0, 0 }, 5, 64, false, USTAT_PATH_EMULATED },
		{ "nop5 across a page", { 0x0f, 0x1f, 0x44, 0, 0 }, 5, 4093, true, USTAT_PATH_EMULATED },
		{ "nop", { 0x90 }, 1, 0, true, USTAT_PATH_EMULATED },
		{ "push %rbp", { 0x55 }, 1, 0, true, USTAT_PATH_EMULATED },
		{ "push %r13", { 0x41, 0x55 }, 2, 0, true, USTAT_PATH_EMULATED },
		{ "call rel32", { 0xe8, 1, 2, 3, 4 }, 5, 0, true, USTAT_PATH_EMULATED },
		{ "jne rel8", { 0x75, 0x10 }, 2, 0, true, USTAT_PATH_EMULATED },
		{ "je rel32", { 0x0f, 0x84, 1, 0, 0, 0 }, 6, 0, true, USTAT_PATH_EMULATED },
		{ "mov %rdi,%rax", { 0x48, 0x89, 0xf8 }, 3, 0, true, USTAT_PATH_SINGLESTEP },
		{ "sub $8,%rsp", { 0x48, 0x83, 0xec, 0x08 }, 4, 0, true, USTAT_PATH_SINGLESTEP },
		{ "int3", { 0xcc }, 1, 0, true, USTAT_PATH_REFUSED },
		{ "hlt", { 0xf4 }, 1, 0, true, USTAT_PATH_REFUSED },
		{ "lock incl (%rax)", { 0xf0, 0xff, 0x00 }, 3, 0, true, USTAT_PATH_REFUSED },
		{ "cs nopw", { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 }, 10, 0, true, USTAT_PATH_REFUSED },
		{ "mov %eax,%ss", { 0x8e, 0xd0 }, 2, 0, true, USTAT_PATH_REFUSED },
		{ "callw", { 0x66, 0xe8, 1, 2 }, 4, 0, true, USTAT_PATH_REFUSED },
	};
	struct ustat_hit_kernel k = { .x86_64 = true, .emulates_nops = true };
	struct ustat_hit_site s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		k.uprobe_syscall = cases[i].syscall;
		ustat_hit_path__classify(&k, cases[i].code, cases[i].len, cases[i].page_off, &s);
		if (s.path != cases[i].path)
			fail_msg("%s: %s, expected %s (%s)", cases[i].what,
				 ustat_hit_path__name(s.path), ustat_hit_path__name(cases[i].path),
				 s.why);
		assert_string_equal(ustat_hit_path__name(ustat_hit_path__parse(
			ustat_hit_path__name(s.path))), ustat_hit_path__name(s.path));
	}
}

static void test_disasm(void **state)
{
	static const u8 mov[] = { 0x48, 0x89, 0xf8 };
	char buf[96];

	assert_int_equal(ustat_disasm(mov, sizeof(mov), buf, sizeof(buf)), 0);
#ifdef HAVE_UPROBE_STAT_CAPSTONE
	assert_non_null(strstr(buf, "mov"));
#else
	assert_non_null(strstr(buf, "48 89 f8 (3 bytes"));
#endif
}

static void fill(struct ustat_calib *c)
{
	static const double count[BENCH_NR_KINDS] = { 2, 700, 1000, 7000, 1500 };
	static const double rec[BENCH_NR_KINDS] = { 2, 1000, 1300, 9000, 1900 };
	int k;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		c->e[USTAT_CALIB_COUNT][k] = (struct ustat_calib_entry){ count[k], 10, true };
		c->e[USTAT_CALIB_RECORD][k] = (struct ustat_calib_entry){ rec[k], 20, true };
	}
	c->valid = true;
	strcpy(c->origin, "test\tvalue");
}

/* Parts add up; the single-step part is xol - int3; the total is bench's. */
static void test_model(void **state)
{
	struct ustat_calib c;
	struct ustat_cost cost;
	double sum = 0;
	int p;

	fill(&c);
	ustat_cost__model(&c, USTAT_PATH_SINGLESTEP, false, true, &cost);
	assert_true(cost.valid);
	for (p = 0; p < USTAT_PART_NR; p++)
		sum += cost.part_ns[p];
	assert_true(fabs(sum - cost.total_ns) < 1e-6);
	assert_true(fabs(cost.part_ns[USTAT_PART_SINGLESTEP] - 6000) < 1e-6);
	assert_true(fabs(cost.part_ns[USTAT_PART_CONSUMER] - 2000) < 1e-6);
	assert_true(fabs(cost.total_ns - 9000) < 1e-6);
	assert_string_equal(cost.bench_kind, "xol");

	ustat_cost__model(&c, USTAT_PATH_OPTIMISED, false, true, &cost);
	assert_true(fabs(cost.part_ns[USTAT_PART_SINGLESTEP]) < 1e-9);
	assert_true(fabs(cost.total_ns - 1000) < 1e-6);

	/* %return on an emulated site: int3 entry + return + the ret kind's sample. */
	ustat_cost__model(&c, USTAT_PATH_EMULATED, true, true, &cost);
	assert_true(fabs(cost.part_ns[USTAT_PART_RETURN] - 500) < 1e-6);
	assert_true(fabs(cost.total_ns - 1900) < 1e-6);

	/* A measured lookup wait adds to the total. */
	ustat_cost__add_lookup(&cost, 100, "measured: test");
	assert_true(fabs(cost.total_ns - 2000) < 1e-6);

	ustat_cost__model(&c, USTAT_PATH_REFUSED, false, true, &cost);
	assert_false(cost.valid);
}

static void test_calib_meta(void **state)
{
	struct ustat_calib c, back;
	char *rec;

	fill(&c);
	strcpy(c.release, "6.18.0");
	strcpy(c.boot_id, "abc");
	assert_int_equal(ustat_calib__to_meta(&c, &rec), 0);
	assert_int_equal(ustat_calib__from_meta(&back, rec), 0);
	assert_string_equal(back.release, "6.18.0");
	assert_string_equal(back.origin, "test\tvalue");
	assert_true(back.e[USTAT_CALIB_RECORD][BENCH_XOL].have);
	assert_true(fabs(back.e[USTAT_CALIB_RECORD][BENCH_XOL].ns - 9000) < 0.1);
	assert_false(back.have_bpf);
	assert_false(back.cpu_clock);	/* an older record: wall time */
	free(rec);

	/* The bpf part (-b's) goes into the same record, and back. */
	c.cpu_clock = true;
	c.have_bpf = true;
	c.bpf_format = 1;
	strcpy(c.bpf_origin, "measured at start");
	c.bpf[BENCH_XOL] = (struct ustat_calib_lat){ .p50 = 6000, .p10 = 5500, .p90 = 6300,
						     .have = true };
	assert_int_equal(ustat_calib__to_meta(&c, &rec), 0);
	assert_int_equal(ustat_calib__from_meta(&back, rec), 0);
	assert_true(back.valid && back.have_bpf && back.cpu_clock);
	assert_int_equal(back.bpf_format, 1);
	assert_true(back.bpf[BENCH_XOL].have);
	assert_false(back.bpf[BENCH_NOP5].have);
	assert_int_equal(back.bpf[BENCH_XOL].p50, 6000);
	assert_int_equal(back.bpf[BENCH_XOL].p90, 6300);
	assert_string_equal(back.bpf_origin, "measured at start");
	free(rec);
	assert_int_not_equal(ustat_calib__from_meta(&back, "event\tidx=1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_disasm),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_calib_meta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
