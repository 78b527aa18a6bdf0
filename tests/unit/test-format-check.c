// SPDX-License-Identifier: GPL-2.0
/*
 * The shape checks run on tracefs texts before libtraceevent sees them
 * (format-check.h): what the kernel prints passes, every line that is not
 * a field line is refused, and so are the texts fuzzing crashed 1.7.1 on.
 */
#include "unit.h"
#include "format-check.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static const char good_event[] =
	"name: uprobe_lookup\n"
	"ID: 1234\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long bp_vaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:struct mm_struct * mm;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\tfield:char comm[16];\toffset:28;\tsize:16;\tsigned:0;\n"
	"\n"
	"print fmt: \"vaddr=%lx\", REC->bp_vaddr\n";

static const char good_header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static void test_good_texts(void **state)
{
	assert_true(ustat_format__event_ok(good_event, strlen(good_event)));
	assert_true(ustat_format__header_page_ok(good_header_page,
						 strlen(good_header_page)));
}

/* One line replaced by BAD must make the event fail the check. */
static bool event_with(const char *line, const char *bad)
{
	char buf[2048];
	const char *at = strstr(good_event, line);
	size_t head = at - good_event;

	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)head, good_event, bad,
		 at + strlen(line));
	return ustat_format__event_ok(buf, strlen(buf));
}

static void test_bad_lines(void **state)
{
	static const char line[] = "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;";
	static const char *const bad[] = {
		/* from the crashing fuzz input: a mangled keyword, a split type */
		"\tfidld:int common_pid;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:struct mm_struct * m;m\toffset:8;\tsize:8;\tsigned:0;",
		"\tfield:u6\n memcg_id;\toffset:16;\tsize:8;\tsigned:0;",
		"\tfield:bool write;\toffset:24;\tsize:1;\tsigned:",
		/* no type, no name, a name that is not an identifier */
		"\tfield:common_pid;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int ;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int 9pid;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int pid[;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int pid[1)];\toffset:4;\tsize:4;\tsigned:1;",
		/* numbers that are not numbers, fields out of order, junk after */
		"\tfield:int common_pid;\toffset:x;\tsize:4;\tsigned:1;",
		"\tfield:int common_pid;\tsize:4;\toffset:4;\tsigned:1;",
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1; ",
		"\tfield:int common_pid;\toffset:-;\tsize:4;\tsigned:1;",
		"\tfield:int co\001mmon_pid;\toffset:4;\tsize:4;\tsigned:1;",
		"\n\n",
	};

	assert_true(event_with(line, line));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (event_with(line, bad[i]))
			fail_msg("accepted: %s", bad[i]);
	}
}

static void test_bad_headers(void **state)
{
	assert_false(event_with("name: uprobe_lookup\n", "name: uprobe lookup\n"));
	assert_false(event_with("name: uprobe_lookup\n", "name: \n"));
	assert_false(event_with("ID: 1234\n", "ID: x\n"));
	assert_false(event_with("format:\n", "fmt:\n"));
	assert_false(ustat_format__event_ok("", 0));
	/* a header and no fields at all */
	assert_false(ustat_format__event_ok("name: a\nID: 1\nformat:\n", 23));
	/* a header page in the event's style (no space after "field:") */
	assert_false(ustat_format__header_page_ok(
		"\tfield:u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n", 50));
	assert_false(ustat_format__header_page_ok(good_header_page, 10));
}

/* Truncated anywhere in the fields, a format fails; the length is obeyed. */
static void test_truncation(void **state)
{
	size_t fields_end = strstr(good_event, "\n\nprint fmt") - good_event;
	size_t fields_start = strstr(good_event, "format:\n") - good_event + 8;

	for (size_t n = 0; n < fields_start; n++)
		assert_false(ustat_format__event_ok(good_event, n));
	/* the header alone has no fields */
	assert_false(ustat_format__event_ok(good_event, fields_start));
	for (size_t n = fields_start + 1; n < fields_end; n++) {
		bool whole_line = good_event[n] == '\n' || good_event[n - 1] == '\n';

		if (ustat_format__event_ok(good_event, n) != whole_line)
			fail_msg("length %zu: %s", n, whole_line ? "refused" : "accepted");
	}
}

/* Every format this kernel prints passes. */
static void test_this_kernel(void **state)
{
	static const char root[] = "/sys/kernel/tracing/events";
	DIR *sys_dir = opendir(root);
	struct dirent *s, *e;
	unsigned int n = 0;

	if (!sys_dir)
		skip();
	while ((s = readdir(sys_dir))) {
		char path[512];
		DIR *ev;

		if (s->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, s->d_name);
		ev = opendir(path);
		if (!ev)
			continue;
		while ((e = readdir(ev))) {
			char file[1024], text[65536];
			size_t len;
			FILE *f;

			if (e->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s/format", path, e->d_name);
			f = fopen(file, "r");
			if (!f)
				continue;
			len = fread(text, 1, sizeof(text), f);
			fclose(f);
			if (!ustat_format__event_ok(text, len))
				fail_msg("refused %s", file);
			n++;
		}
		closedir(ev);
	}
	closedir(sys_dir);
	if (!n)
		skip();
	print_message("%u formats of this kernel pass\n", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_texts),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_this_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
