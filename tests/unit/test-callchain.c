// SPDX-License-Identifier: GPL-2.0
/*
 * callchain.h: hits counted per probe and stack through the process's
 * mappings (the same code at different addresses in two processes is one
 * stack), folded stacks that merge what names the same and add up to the
 * hits, frames named from a real binary's symbols and DWARF, and
 * --call-graph's argument checked.
 */
#include "unit.h"
#include "callchain.h"
#include "record-opts.h"
#include "util/uprobe-stat/resolve/elf-symbols.h"

#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>

#define CALLERS	TEST_BIN_DIR "/callers"

static struct ustat_event_info ev[2] = {
	{ .kind = USTAT_EVENT_PROBE, .display = (char *)"hot", .pair = -1, .func_idx = -1 },
	{ .kind = USTAT_EVENT_PROBE, .display = (char *)"other", .pair = -1, .func_idx = -1 },
};
static const struct ustat_event_infos infos = { .ev = ev, .nr = 2 };

static void hit(struct ustat_callchains *cc, int idx, u32 pid, const u64 *ips, int n)
{
	u64 chain[8];
	struct ustat_sample s = { .pid = pid, .tid = pid };
	int i;

	chain[0] = PERF_CONTEXT_USER;
	for (i = 0; i < n; i++)
		chain[i + 1] = ips[i];
	s.callchain = chain;
	s.callchain_nr = n + 1;
	assert_int_equal(ustat_callchains__add(cc, idx, &s), 0);
}

static u64 func_off(const char *func)
{
	struct ustat_sym_loc loc;
	char err[256];

	if (ustat_elf__resolve_func(CALLERS, func, &loc, err, sizeof(err)))
		fail_msg("%s: %s", func, err);
	return loc.file_offset;
}

static void test_count_and_fold(void **state)
{
	struct ustat_callchains cc;
	u64 hot = func_off("cg_hot"), a = func_off("cg_caller_a") + 0x1a;
	u64 b = func_off("cg_caller_b") + 0x1a, m = func_off("main") + 8;
	/* Process 1 maps the binary at 0x10000, process 2 at 0x50000. */
	u64 p1[3] = { 0x10000 + hot, 0x10000 + a, 0x10000 + m };
	u64 p2[3] = { 0x50000 + hot, 0x50000 + a, 0x50000 + m };
	u64 p1b[3] = { 0x10000 + hot, 0x10000 + b, 0x10000 + m };
	struct ustat_cc_stack **v;
	char buf[4096] = "";
	size_t nr;
	FILE *f;
	int i;

	ustat_callchains__init(&cc, &infos);
	assert_int_equal(ustat_callchains__mmap(&cc, 1, 0x10000, 0x10000, 0, CALLERS), 0);
	assert_int_equal(ustat_callchains__mmap(&cc, 2, 0x50000, 0x10000, 0, CALLERS), 0);
	for (i = 0; i < 3; i++)
		hit(&cc, 0, 1, p1, 3);
	for (i = 0; i < 2; i++)
		hit(&cc, 0, 2, p2, 3);
	for (i = 0; i < 7; i++)
		hit(&cc, 0, 1, p1b, 3);
	hit(&cc, 1, 1, p1b, 3);		/* another probe: its own stack */
	assert_int_equal(cc.samples, 13);
	assert_int_equal(cc.nr_stacks, 3);

	assert_int_equal(ustat_callchains__sorted(&cc, 0, &v, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(v[0]->count, 7);
	assert_int_equal(v[1]->count, 5);	/* both processes */
	assert_string_equal(ustat_callchains__name(&cc, &v[0]->frames[1], 1)->sym, "cg_caller_b");
	assert_int_equal(ustat_callchains__name(&cc, &v[0]->frames[1], 1)->sym_off, 0x1a);
	assert_string_equal(ustat_callchains__name(&cc, &v[0]->frames[0], 0)->sym, "cg_hot");
	assert_non_null(strstr(ustat_callchains__name(&cc, &v[0]->frames[0], 0)->srcline,
			       "callers.c:"));
	free(v);

	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	assert_int_equal(ustat_callchains__print_folded(&cc, f), 0);
	fclose(f);
	assert_string_equal(buf,
			    "main;cg_caller_a;cg_hot;hot 5\n"
			    "main;cg_caller_b;cg_hot;hot 7\n"
			    "main;cg_caller_b;cg_hot;other 1\n");
	ustat_callchains__exit(&cc);
}

/* Unmapped addresses keep their value; a remapping replaces what it covers. */
static void test_unmapped_and_remap(void **state)
{
	struct ustat_callchains cc;
	struct ustat_cc_frame fr[USTAT_CC_MAX_FRAMES];
	u64 chain[3] = { PERF_CONTEXT_USER, 0x12345, 0x20010 };
	struct ustat_sample s = { .pid = 7, .callchain = chain, .callchain_nr = 3 };

	ustat_callchains__init(&cc, &infos);
	assert_int_equal(ustat_callchains__mmap(&cc, 7, 0x20000, 0x1000, 0x3000, "/a"), 0);
	assert_int_equal(ustat_callchains__frames(&cc, &s, fr), 2);
	assert_int_equal(fr[0].dso, USTAT_CC_NO_DSO);
	assert_int_equal(fr[0].off, 0x12345);
	assert_string_equal(ustat_callchains__dso(&cc, &fr[0]), "[unknown]");
	assert_string_equal(ustat_callchains__dso(&cc, &fr[1]), "/a");
	assert_int_equal(fr[1].off, 0x3010);
	assert_int_equal(ustat_callchains__mmap(&cc, 7, 0x1f000, 0x2000, 0, "/b"), 0);
	assert_int_equal(ustat_callchains__frames(&cc, &s, fr), 2);
	assert_string_equal(ustat_callchains__dso(&cc, &fr[1]), "/b");
	assert_int_equal(fr[1].off, 0x1010);
	/* A forked child maps what its parent does; a thread's "fork" changes nothing. */
	assert_int_equal(ustat_callchains__fork(&cc, 8, 7), 0);
	s.pid = 8;
	assert_int_equal(ustat_callchains__frames(&cc, &s, fr), 2);
	assert_string_equal(ustat_callchains__dso(&cc, &fr[1]), "/b");
	assert_int_equal(ustat_callchains__fork(&cc, 9, 1234), 0);	/* parent unknown */
	s.pid = 9;
	assert_int_equal(ustat_callchains__frames(&cc, &s, fr), 2);
	assert_int_equal(fr[1].dso, USTAT_CC_NO_DSO);
	s.pid = 7;
	/* A file that cannot be read names nothing, and says so. */
	assert_string_equal(ustat_callchains__name(&cc, &fr[1], 1)->sym, "");
	ustat_callchains__exit(&cc);
}

static void test_callgraph_arg(void **state)
{
	enum ustat_callgraph mode;
	char err[256];
	u32 size;

	assert_int_equal(ustat_callgraph__parse("fp", &mode, &size, err, sizeof(err)), 0);
	assert_int_equal(mode, USTAT_CALLGRAPH_FP);
	assert_int_equal(ustat_callgraph__parse("dwarf", &mode, &size, err, sizeof(err)), 0);
	assert_int_equal(mode, USTAT_CALLGRAPH_DWARF);
	assert_int_equal(size, 8192);
	assert_int_equal(ustat_callgraph__parse("dwarf,4097", &mode, &size, err, sizeof(err)), 0);
	assert_int_equal(size, 4104);
	assert_int_equal(ustat_callgraph__parse("dwarf,65528", &mode, &size, err, sizeof(err)), 0);
	assert_int_equal(ustat_callgraph__parse("dwarf,65529", &mode, &size, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(ustat_callgraph__parse("dwarf,0", &mode, &size, err, sizeof(err)), -EINVAL);
	assert_int_equal(ustat_callgraph__parse("dwarf,-8", &mode, &size, err, sizeof(err)), -EINVAL);
	assert_int_equal(ustat_callgraph__parse("dwarfx", &mode, &size, err, sizeof(err)), -EINVAL);
	assert_int_equal(ustat_callgraph__parse("lbr", &mode, &size, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'lbr'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_and_fold),
		cmocka_unit_test(test_unmapped_and_remap),
		cmocka_unit_test(test_callgraph_arg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
