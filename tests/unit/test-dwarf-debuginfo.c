// SPDX-License-Identifier: GPL-2.0
/*
 * Separate debuginfo (debuginfo.h): found by build-id under the debug root
 * ($UPROBE_STAT_DEBUGINFO_DIR here, a tree this test makes, never the real
 * /usr/lib/debug), refused when it belongs to another build, and its
 * symbols placed by the stripped binary's own program headers.  The split
 * is made as distributions make it: objcopy --only-keep-debug, strip.
 */
#include "unit.h"
#include "debuginfo.h"
#include "elf-symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG	TEST_BIN_DIR "/dwarf/prog-O2-pie"
#define OTHER	TEST_BIN_DIR "/dwarf/prog-O0-pie"

static char dir[64], stripped[128], root[128], debug[512], build_id[128];

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
}

/* readelf's idea of the build-id: the oracle for ours. */
static void readelf_build_id(const char *path, char *out, size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -n %s | sed -n 's/.*Build ID: //p'", path);
	p = popen(cmd, "r");
	if (!p || !fgets(out, len, p))
		fail_msg("no build-id from readelf for %s", path);
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/ustat-debuginfo.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(stripped, sizeof(stripped), "%s/prog", dir);
	snprintf(root, sizeof(root), "%s/debug", dir);
	run("cp %s %s && objcopy --only-keep-debug %s %s.debug && strip --strip-all %s",
	    PROG, stripped, stripped, stripped, stripped);
	readelf_build_id(stripped, build_id, sizeof(build_id));
	snprintf(debug, sizeof(debug), "%.128s/.build-id/%.2s/%.128s.debug", root, build_id,
		 build_id + 2);
	run("mkdir -p %s/.build-id/%.2s && mv %s.debug %s", root, build_id, stripped, debug);
	return 0;
}

static int teardown(void **state)
{
	unsetenv(USTAT_DEBUGINFO_ENV);
	run("rm -rf %s", dir);
	return 0;
}

static void test_build_id_path(void **state)
{
	char path[64];

	assert_int_equal(ustat_debuginfo__build_id_path("/r", "abcdef01", path, sizeof(path)), 0);
	assert_string_equal(path, "/r/.build-id/ab/cdef01.debug");
	assert_int_equal(ustat_debuginfo__build_id_path("/r", "ab", path, sizeof(path)), -EINVAL);
	assert_int_equal(ustat_debuginfo__build_id_path("/a/very/long/root", "abcdef01", path, 16),
			 -ENAMETOOLONG);
	unsetenv(USTAT_DEBUGINFO_ENV);
	assert_string_equal(ustat_debuginfo__root(), "/usr/lib/debug");
	setenv(USTAT_DEBUGINFO_ENV, "/elsewhere", 1);
	assert_string_equal(ustat_debuginfo__root(), "/elsewhere");
}

static void test_build_id_matches_readelf(void **state)
{
	char id[128];
	int fd = open(PROG, O_RDONLY);
	Elf *elf;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(ustat_debuginfo__build_id(elf, id, sizeof(id)), 0);
	assert_string_equal(id, build_id);	/* strip keeps the build-id */
	assert_int_equal(ustat_debuginfo__build_id(elf, id, 8), -ENAMETOOLONG);
	elf_end(elf);
	close(fd);
}

static void test_in_binary(void **state)
{
	struct ustat_debuginfo di;
	char err[512];

	setenv(USTAT_DEBUGINFO_ENV, root, 1);
	assert_int_equal(ustat_debuginfo__open(&di, PROG, err, sizeof(err)), 0);
	assert_non_null(di.dwarf);
	assert_false(di.separate);
	assert_string_equal(di.path, PROG);
	ustat_debuginfo__close(&di);
}

static void test_separate(void **state)
{
	struct ustat_debuginfo di;
	char err[512] = "";

	setenv(USTAT_DEBUGINFO_ENV, root, 1);
	if (ustat_debuginfo__open(&di, stripped, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(di.separate);
	assert_string_equal(di.path, debug);
	ustat_debuginfo__close(&di);

	setenv(USTAT_DEBUGINFO_ENV, "/nonexistent", 1);
	assert_int_equal(ustat_debuginfo__open(&di, stripped, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "has no DWARF debuginfo"));
	assert_non_null(strstr(err, "does not exist"));
	assert_non_null(strstr(err, build_id + 2));
	assert_non_null(strstr(err, USTAT_DEBUGINFO_ENV));
}

/* A debug file under the right name but of another build gives wrong addresses. */
static void test_other_build(void **state)
{
	struct ustat_debuginfo di;
	char err[512] = "";

	run("cp %s %s.keep && objcopy --only-keep-debug %s %s", debug, debug, OTHER, debug);
	setenv(USTAT_DEBUGINFO_ENV, root, 1);
	assert_int_equal(ustat_debuginfo__open(&di, stripped, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "is for another build"));
	run("mv %s.keep %s", debug, debug);
}

/* A stripped binary's static functions: named by the debug file, placed by the binary. */
static void test_split_symbols(void **state)
{
	struct ustat_sym_loc want, got;
	char err[512] = "";

	assert_int_equal(ustat_elf__resolve_func(PROG, "add_one", &want, err, sizeof(err)), 0);
	assert_int_equal(ustat_elf__resolve_func(stripped, "add_one", &got, err, sizeof(err)),
			 -ENOENT);
	if (ustat_elf__resolve_func_split(stripped, debug, "add_one", &got, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(got.file_offset, want.file_offset);
	assert_int_equal(got.vaddr, want.vaddr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_id_path),
		cmocka_unit_test(test_build_id_matches_readelf),
		cmocka_unit_test(test_in_binary),
		cmocka_unit_test(test_separate),
		cmocka_unit_test(test_other_build),
		cmocka_unit_test(test_split_symbols),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
