// SPDX-License-Identifier: GPL-2.0
/*
 * record-options.c: record's and top's shared table reached through
 * OPT_PARENT, down to the dry run's; nothing after "--" parsed; the target
 * options' help worded for the command.
 */
#include "unit.h"
#include "record-options.h"
#include "dry-run.h"

#include <string.h>

static const char * const usage[] = { "test [<options>] PROBE... [-- CMD]", NULL };

static const struct option *find(const struct option *o, int short_name)
{
	for (; o; o = o->parent)
		for (; o->type != OPTION_END; o++)
			if (o->short_name == short_name)
				return o;
	return NULL;
}

static void test_split_and_parent(void **state)
{
	const char *out = NULL;
	const struct option options[] = {
		OPT_STRING('o', "output", &out, "file", "output"),
		OPT_PARENT(ustat_record_options)
	};
	const char *argv[] = { "record", "-o", "x.data", "-p", "42", "f1", "-b", "f2",
			       "--dry-run", "--", "ls", "-l", NULL };
	int argc = 12, cmd_at, nr;

	memset(&ustat_record_opts, 0, sizeof(ustat_record_opts));
	nr = ustat_record_options__parse(argc, argv, options, usage, "record", &cmd_at);
	assert_int_equal(nr, 2);
	assert_string_equal(argv[0], "f1");
	assert_string_equal(argv[1], "f2");
	assert_int_equal(cmd_at, 10);
	/* CMD and its own -l untouched */
	assert_string_equal(argv[cmd_at], "ls");
	assert_string_equal(argv[cmd_at + 1], "-l");
	assert_string_equal(out, "x.data");
	assert_string_equal(ustat_record_opts.pids, "42");
	assert_true(ustat_record_opts.use_bpf);
	/* the shared table's own parent */
	assert_true(ustat_dry_run_opts.on);
}

static void test_no_cmd(void **state)
{
	const struct option options[] = { OPT_PARENT(ustat_record_options) };
	const char *argv[] = { "top", "-a", "f1", NULL };
	int cmd_at = 0, nr;

	memset(&ustat_record_opts, 0, sizeof(ustat_record_opts));
	nr = ustat_record_options__parse(3, argv, options, usage, "watch", &cmd_at);
	assert_int_equal(nr, 1);
	assert_int_equal(cmd_at, -1);
	assert_true(ustat_record_opts.system_wide);
}

static void test_help_verb(void **state)
{
	const struct option options[] = { OPT_PARENT(ustat_record_options) };
	const char *argv[] = { "top", NULL };
	int cmd_at;

	ustat_record_options__parse(1, argv, options, usage, "watch", &cmd_at);
	assert_string_equal(find(options, 'p')->help, "watch these processes and their threads");
	assert_string_equal(find(options, 't')->help, "watch these threads only");
	ustat_record_options__parse(1, argv, options, usage, "record", &cmd_at);
	assert_string_equal(find(options, 'a')->help, "record every process, on all CPUs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_and_parent),
		cmocka_unit_test(test_no_cmd),
		cmocka_unit_test(test_help_verb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
