// SPDX-License-Identifier: GPL-2.0
/*
 * bench's workload (bench-workload.c, bench-workers.c), without probes:
 * each function starts with the instruction its kind needs and counts its
 * calls; the file offset given to the uprobe PMU is the one libelf finds
 * for the symbol; the threads count every call, by phase.
 */
#include "unit.h"
#include "bench-workers.h"
#include "bench-workload.h"
#include "elf-symbols.h"

#include <limits.h>
#include <sched.h>
#include <string.h>
#include <time.h>

static const char * const fn_names[BENCH_NR_KINDS] = {
	[BENCH_BASE] = "ustat_bench_base",
	[BENCH_NOP5] = "ustat_bench_nop5",
	[BENCH_INT3] = "ustat_bench_int3",
	[BENCH_XOL]  = "ustat_bench_xol",
	[BENCH_RET]  = "ustat_bench_ret",
};

static void test_first_instruction(void **state)
{
	int k;

	if (!bench_workload__supported())
		skip();
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		const struct bench_kind_desc *kd = &bench_kinds[k];
		u8 bytes[5];

		bench_workload__read(k, bytes, sizeof(bytes));
		assert_true(kd->nr_bytes >= 1 && kd->nr_bytes <= 5);
		assert_memory_equal(bytes, kd->bytes, kd->nr_bytes);
	}
	/* The optimisable nop is the 5-byte one, and nowhere else. */
	assert_int_equal(bench_kinds[BENCH_NOP5].nr_bytes, 5);
	assert_int_equal(bench_kinds[BENCH_INT3].bytes[0], 0x90);
}

static void test_counts_calls(void **state)
{
	int k, i;

	for (k = 0; k < BENCH_NR_KINDS; k++) {
		bench_fn_t fn = bench_workload__fn(k);
		u64 calls = 40;

		for (i = 0; i < 1000; i++)
			fn(&calls);
		assert_int_equal(calls, 1040);
	}
}

/* Functions start a cache line each: a nop5 never straddles a page. */
static void test_alignment(void **state)
{
	int k;

	if (!bench_workload__supported())
		skip();
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		bench_fn_t fn = bench_workload__fn(k);

		assert_int_equal((unsigned long)fn % 64, 0);
	}
}

static void test_offset_matches_elf(void **state)
{
	char kpath[PATH_MAX], path[PATH_MAX], err[256];
	int k;

	if (!bench_workload__supported())
		skip();
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		struct ustat_sym_loc loc;
		u64 offset;

		assert_int_equal(bench_workload__locate(k, kpath, sizeof(kpath), path, sizeof(path),
							&offset, err, sizeof(err)), 0);
		assert_string_equal(kpath, "/proc/self/exe");
		assert_int_equal(ustat_elf__resolve_func(path, fn_names[k], &loc, err, sizeof(err)), 0);
		assert_int_equal(offset, loc.file_offset);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Two rounds of three unpinned threads: every call lands in its phase.
 * (A loaded machine may not run each thread in a 10 ms window: only the
 * sum must be there.)
 */
static void test_workers_rounds(void **state)
{
	struct bench_workers w;
	char err[256];
	int round, t;
	u64 timed;

	assert_int_equal(bench_workers__start(&w, 3, NULL, bench_workload__fn(BENCH_BASE),
					      err, sizeof(err)), 0);
	for (round = 0; round < 2; round++) {
		bench_workers__release(&w);
		sleep_ms(5);
		bench_workers__set_phase(&w, BENCH_PHASE_TIMED);
		sleep_ms(10);
		bench_workers__set_phase(&w, BENCH_PHASE_STOP);
		bench_workers__wait(&w);
		for (t = 0, timed = 0; t < 3; t++) {
			assert_int_equal(w.wk[t].cpu, -1);
			assert_true(w.wk[t].timed <= w.wk[t].loops);
			timed += w.wk[t].timed;
		}
		assert_true(timed > 0);
	}
	bench_workers__stop(&w);
	assert_null(w.wk);
}

static void test_workers_bad_cpu(void **state)
{
	const int cpus[] = { 0, CPU_SETSIZE - 1 };
	struct bench_workers w;
	char err[256];

	/* No machine has this CPU online: the second thread cannot be pinned. */
	assert_int_not_equal(bench_workers__start(&w, 2, cpus, bench_workload__fn(BENCH_BASE),
						  err, sizeof(err)), 0);
	assert_non_null(strstr(err, "cannot create thread 2 of 2 (pinned)"));
	assert_null(w.wk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_instruction),
		cmocka_unit_test(test_counts_calls),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_offset_matches_elf),
		cmocka_unit_test(test_workers_rounds),
		cmocka_unit_test(test_workers_bad_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
