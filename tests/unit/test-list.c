// SPDX-License-Identifier: GPL-2.0
/*
 * list (list-binary.h, list-kernel.h): what it prints for the fixtures,
 * and for made-up kernels that have everything, nothing, or a stock
 * kernel's share -- each missing piece must say what gives it.
 */
#include "unit.h"
#include "list-binary.h"
#include "list-kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG	TEST_BIN_DIR "/dwarf/prog-O0-pie"
#define USDT	TEST_BIN_DIR "/dwarf/usdt-nopie"

struct capture {
	char	*buf;
	size_t	 len;
	FILE	*f;
};

static FILE *capture(struct capture *c)
{
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static const char *captured(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("output lacks \"%s\":\n%s", want, text);
}

static void test_funcs(void **state)
{
	struct capture c;
	char err[512] = "";
	const char *out;

	assert_int_equal(ustat_list__funcs(PROG, capture(&c), err, sizeof(err)), 0);
	out = captured(&c);
	has(out, "\ncaller_a\n");
	has(out, "\ncaller_b\n");
	has(out, "\nmain\n");
	/* An inlined function: its symbol and its inlined copies. */
	has(out, "\nadd_one                                  4 sites (3 inlined)\n");
	free(c.buf);
	assert_int_equal(ustat_list__funcs("/nonexistent/x", capture(&c), err, sizeof(err)),
			 -ENOENT);
	captured(&c);
	free(c.buf);
	has(err, "cannot find binary '/nonexistent/x'");
}

static void test_lines(void **state)
{
	struct capture c;
	char err[512] = "";
	const char *out;

	assert_int_equal(ustat_list__lines(PROG, "caller_b", capture(&c), err, sizeof(err)), 0);
	out = captured(&c);
	has(out, "<caller_b@");
	has(out, "dwarf-prog.c:");
	has(out, "\n      0  noinline void caller_b(void)\n");
	has(out, "\n      2  \tadd_one();\n");
	has(out, "\n      3  \tsink += 100;\t/* LINE:b_stmt */\n");
	free(c.buf);
	assert_int_equal(ustat_list__lines(PROG, "nosuch", capture(&c), err, sizeof(err)),
			 -ENOENT);
	captured(&c);
	free(c.buf);
	has(err, "function 'nosuch' not found in the debuginfo of");
}

static void test_sdt(void **state)
{
	struct capture c;
	char err[512] = "";
	const char *out;

	assert_int_equal(ustat_list__sdt(USDT, capture(&c), err, sizeof(err)), 0);
	out = captured(&c);
	has(out, "sdt:ustat_test:guarded                   1 site, semaphore at file offset 0x");
	has(out, "sdt:ustat_test:plain                     2 sites\n");
	free(c.buf);
	assert_int_equal(ustat_list__sdt(PROG, capture(&c), err, sizeof(err)), 0);
	has(captured(&c), "has no USDT probes");
	free(c.buf);
}

/* A kernel as uprobe-stat would like it. */
static void full_kernel(struct ustat_kernel_caps *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	snprintf(k->release, sizeof(k->release), "9.9.9-test");
	k->pmu.type = 9;
	snprintf(k->retprobe_fmt, sizeof(k->retprobe_fmt), "config:0");
	snprintf(k->ref_ctr_fmt, sizeof(k->ref_ctr_fmt), "config:32-63");
	k->inherit = 1;
	k->tracefs_readable = true;
	k->sig.tracefs = "/sys/kernel/tracing";
	for (i = 0; i < USTAT_KEV_NR; i++)
		k->sig.id[i] = 100 + i;
	k->sig.procmap_query = true;
}

static void test_kernel_full(void **state)
{
	struct ustat_kernel_caps k;
	struct capture c;
	const char *out;

	full_kernel(&k);
	assert_int_equal(ustat_kernel_caps__print(&k, capture(&c)), 0);
	out = captured(&c);
	has(out, "what Linux 9.9.9-test offers");
	has(out, "\nuprobe PMU                               yes  type 9, retprobe at config:0\n");
	has(out, "\nuprobes_core:xol_slot_recycle            yes  ");
	has(out, "\nPROCMAP_QUERY                            yes  ");
	has(out, "\n# 0 missing\n");
	free(c.buf);
}

/* A stock kernel: no uprobes_core events, no inheritance. */
static void test_kernel_stock(void **state)
{
	struct ustat_kernel_caps k;
	struct capture c;
	const char *out;
	int i;

	full_kernel(&k);
	k.inherit = 0;
	for (i = 0; i < USTAT_KEV_NR; i++)
		if (ustat_kevent_descs[i].patched)
			k.sig.id[i] = -ENOENT;
	/* the six uprobes_core events and inheritance */
	assert_int_equal(ustat_kernel_caps__print(&k, capture(&c)), 7);
	out = captured(&c);
	has(out, "\nuprobes_core:uprobe_lookup               no   uprobe lookup latency, lockless or mmap_lock fallback: apply tools-perf-patch/kernel/");
	has(out, "\nuprobes_core:uprobe_find_retry           no   uprobes tree lookups retried under registration churn: apply tools-perf-patch/kernel/");
	has(out, "\nuprobes_core:xol_area_fail               no   hits restarted for want of an xol area: apply tools-perf-patch/kernel/");
	has(out, "\nuprobe PMU events inherited              no   an inherited event makes the target's fork() fail with EFAULT");
	has(out, "\nmmap_lock:mmap_lock_start_locking        yes  ");
	has(out, "\n# 7 missing\n");
	free(c.buf);
}

/* Nothing at all: each line says what would give it. */
static void test_kernel_empty(void **state)
{
	struct ustat_kernel_caps k;
	struct capture c;
	const char *out;
	int i;

	memset(&k, 0, sizeof(k));
	k.pmu_ret = -ENOENT;
	k.inherit = -ENOENT;
	for (i = 0; i < USTAT_KEV_NR; i++)
		k.sig.id[i] = -ENOENT;
	assert_int_equal(ustat_kernel_caps__print(&k, capture(&c)), 4 + USTAT_KEV_NR + 1);
	out = captured(&c);
	has(out, "\nuprobe PMU                               no   CONFIG_UPROBE_EVENTS=y and Linux 4.17 or later");
	has(out, "\nuprobe PMU ref_ctr_offset                no   Linux 4.20 or later");
	has(out, "\nuprobe PMU events inherited              no   could not test");
	has(out, "\ntracefs                                  no   mount -t tracefs");
	has(out, "\nlock:contention_begin                    no   lock contention on uprobe paths (callchains) (tracefs needed first)");
	has(out, "\nPROCMAP_QUERY                            no   Linux 6.11 or later");
	free(c.buf);

	/* With tracefs, a missing stock tracepoint names the kernel that has it. */
	k.sig.tracefs = "/sys/kernel/tracing";
	k.tracefs_readable = true;
	ustat_kernel_caps__print(&k, capture(&c));
	out = captured(&c);
	has(out, "\nlock:contention_end                      no   lock contention on uprobe paths (callchains): Linux 5.19 or later");
	has(out, "\nmmap_lock:mmap_lock_released             no   mmap_lock write holds, which invalidate mm_lock_seq: Linux 5.10 or later");
	free(c.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_funcs),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_sdt),
		cmocka_unit_test(test_kernel_full),
		cmocka_unit_test(test_kernel_stock),
		cmocka_unit_test(test_kernel_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
