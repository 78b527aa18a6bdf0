// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbol resolution (elf-symbols.h) on the three kinds of file uprobes
 * go into: a PIE, a non-PIE executable and a shared library.  The oracle
 * is the fixtures themselves: run, each prints where its functions sit as
 * a file offset, computed from its own runtime addresses and
 * /proc/self/maps, without libelf.
 */
#include "unit.h"
#include "elf-symbols.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ELF_DIR		TEST_BIN_DIR "/elf"

/* Run PROG and return the offset it prints for NAME ("name 0xOFF" lines). */
static u64 oracle_offset(const char *prog, const char *name)
{
	char line[256], found[128];
	unsigned long long off;
	bool have = false;
	u64 ret = 0;
	FILE *p;

	p = popen(prog, "r");
	if (!p)
		fail_msg("cannot run %s", prog);
	while (fgets(line, sizeof(line), p)) {
		if (sscanf(line, "%127s %llx", found, &off) == 2 && !strcmp(found, name)) {
			ret = off;
			have = true;
		}
	}
	pclose(p);
	if (!have)
		fail_msg("%s printed no offset for %s", prog, name);
	return ret;
}

static void check_func(const char *prog, const char *path, const char *func)
{
	u64 want = oracle_offset(prog, func);
	struct ustat_sym_loc loc;
	char err[512] = "";

	if (ustat_elf__resolve_func(path, func, &loc, err, sizeof(err)))
		fail_msg("%s in %s: %s", func, path, err);
	assert_int_equal(loc.file_offset, want);
	/* The fixtures keep their .symtab, so the size is known and dynsym unused. */
	assert_false(loc.from_dynsym);
	assert_true(loc.size > 0);
}

static void test_pie(void **state)
{
	check_func(ELF_DIR "/elfsym-pie", ELF_DIR "/elfsym-pie", "fixture_global");
	check_func(ELF_DIR "/elfsym-pie", ELF_DIR "/elfsym-pie", "fixture_static");
}

static void test_nopie(void **state)
{
	struct ustat_sym_loc loc;
	char err[512];

	check_func(ELF_DIR "/elfsym-nopie", ELF_DIR "/elfsym-nopie", "fixture_global");
	check_func(ELF_DIR "/elfsym-nopie", ELF_DIR "/elfsym-nopie", "fixture_static");
	/*
	 * A non-PIE is linked at a fixed address: x86-64's default 0x400000, so
	 * the offset is not the address (it is for a PIE).
	 */
	assert_int_equal(ustat_elf__resolve_func(ELF_DIR "/elfsym-nopie", "fixture_global",
						 &loc, err, sizeof(err)), 0);
	assert_int_equal(loc.vaddr - loc.file_offset, 0x400000);
}

static void test_shared_lib(void **state)
{
	check_func(ELF_DIR "/elfsym-lib", ELF_DIR "/libelfsym.so", "libelfsym_func");
}

static char tmpdir[PATH_MAX];

static int make_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ustat-elf-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

static void run(const char *fmt, const char *a, const char *b)
{
	char cmd[3 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
}

/* A stripped library keeps only .dynsym: the same offset, found there. */
static void test_stripped_lib_uses_dynsym(void **state)
{
	u64 want = oracle_offset(ELF_DIR "/elfsym-lib", "libelfsym_func");
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_sym_loc loc;

	snprintf(path, sizeof(path), "%s/stripped.so", tmpdir);
	run("strip -o '%s' '%s'", path, ELF_DIR "/libelfsym.so");
	if (ustat_elf__resolve_func(path, "libelfsym_func", &loc, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(loc.file_offset, want);
	assert_true(loc.from_dynsym);
}

static void test_missing_symbol(void **state)
{
	const char *path = ELF_DIR "/elfsym-pie";
	struct ustat_sym_loc loc;
	char err[512] = "";

	assert_int_equal(ustat_elf__resolve_func(path, "no_such_function", &loc, err,
						 sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no_such_function"));
	assert_non_null(strstr(err, path));
	/* A name that is only a prefix of a real one is not a match. */
	assert_int_equal(ustat_elf__resolve_func(path, "fixture_glob", &loc, err,
						 sizeof(err)), -ENOENT);
}

static void test_not_elf(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_sym_loc loc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/notes.txt", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is plain text, long enough to hold an ELF header's worth of bytes\n", f);
	fclose(f);
	assert_true(ustat_elf__resolve_func(path, "main", &loc, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "is not an ELF file"));
	assert_non_null(strstr(err, path));
}

static void test_missing_file(void **state)
{
	char path[PATH_MAX + 32], err[512] = "";
	struct ustat_sym_loc loc;

	snprintf(path, sizeof(path), "%s/does-not-exist", tmpdir);
	assert_int_equal(ustat_elf__resolve_func(path, "main", &loc, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, strerror(ENOENT)));
}

static void test_relocatable_object(void **state)
{
	char src[PATH_MAX + 32], obj[PATH_MAX + 32], err[512] = "";
	struct ustat_sym_loc loc;
	FILE *f;

	snprintf(src, sizeof(src), "%s/obj.c", tmpdir);
	snprintf(obj, sizeof(obj), "%s/obj.o", tmpdir);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs("int objfunc(int x) { return x + 1; }\n", f);
	fclose(f);
	run("cc -c -o '%s' '%s'", obj, src);
	assert_true(ustat_elf__resolve_func(obj, "objfunc", &loc, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "not an executable or shared library"));
}

/* The function covering an offset: the reverse of resolve_func. */
static void test_symbolize(void **state)
{
	u64 off = oracle_offset(ELF_DIR "/elfsym-pie", "fixture_static"), sym_off;
	char name[128];

	assert_int_equal(ustat_elf__symbolize(ELF_DIR "/elfsym-pie", off, name, sizeof(name),
					      &sym_off), 0);
	assert_string_equal(name, "fixture_static");
	assert_int_equal(sym_off, 0);
	assert_int_equal(ustat_elf__symbolize(ELF_DIR "/elfsym-pie", off + 1, name,
					      sizeof(name), &sym_off), 0);
	assert_string_equal(name, "fixture_static");
	assert_int_equal(sym_off, 1);
	/* Offset 0 is the ELF header: no function there. */
	assert_int_equal(ustat_elf__symbolize(ELF_DIR "/elfsym-pie", 0, name, sizeof(name),
					      &sym_off), -ENOENT);
}

/* The libc this very process runs, from its maps: what "libc.so.6" must find. */
static bool mapped_libc(struct stat *st)
{
	char line[PATH_MAX + 128];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');

		if (!path)
			continue;
		path[strcspn(path, "\n")] = '\0';
		if (strstr(path, "/libc.so.6") && !stat(path, st))
			found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static void test_resolve_libc(void **state)
{
	char out[PATH_MAX], err[512] = "";
	struct stat want, got;
	size_t n;

	if (ustat_binary__resolve("libc.so.6", out, sizeof(out), err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(out[0], '/');
	n = strlen(out);
	assert_true(n > strlen("/libc.so.6"));
	assert_string_equal(out + n - strlen("/libc.so.6"), "/libc.so.6");
	assert_true(mapped_libc(&want));
	assert_int_equal(stat(out, &got), 0);
	assert_int_equal(got.st_ino, want.st_ino);
	assert_int_equal(got.st_dev, want.st_dev);
}

static void test_resolve_path(void **state)
{
	char out[PATH_MAX], cwd[PATH_MAX], want[2 * PATH_MAX], err[512] = "";

	assert_non_null(realpath(".", cwd));
	snprintf(want, sizeof(want), "%s/%s", cwd, ELF_DIR "/elfsym-pie");
	assert_int_equal(ustat_binary__resolve("./" ELF_DIR "/../elf/elfsym-pie", out,
					       sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, want);

	/* A name without '/' in the current directory is taken from there. */
	snprintf(want, sizeof(want), "%s/Makefile", cwd);
	assert_int_equal(ustat_binary__resolve("Makefile", out, sizeof(out), err,
					       sizeof(err)), 0);
	assert_string_equal(out, want);

	assert_int_equal(ustat_binary__resolve(ELF_DIR "/nope", out, sizeof(out), err,
					       sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ELF_DIR "/nope"));

	assert_true(ustat_binary__resolve(ELF_DIR "/", out, sizeof(out), err,
					  sizeof(err)) < 0);
	assert_non_null(strstr(err, "not a regular file"));
}

/* A program name is looked up in $PATH. */
static void test_resolve_in_path(void **state)
{
	char prog[PATH_MAX + 32], out[PATH_MAX], want[PATH_MAX], err[512] = "";
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char newpath[2 * PATH_MAX];
	FILE *f;
	int ret;

	snprintf(prog, sizeof(prog), "%s/ustat-fake-prog", tmpdir);
	f = fopen(prog, "w");
	assert_non_null(f);
	fclose(f);
	assert_non_null(realpath(prog, want));
	snprintf(newpath, sizeof(newpath), "/nonexistent-dir:%s", tmpdir);
	setenv("PATH", newpath, 1);
	ret = ustat_binary__resolve("ustat-fake-prog", out, sizeof(out), err, sizeof(err));
	/* Put $PATH back before anything can fail: later tests run cc and strip. */
	if (old)
		setenv("PATH", old, 1);
	free(old);
	if (ret)
		fail_msg("%s", err);
	assert_string_equal(out, want);
}

static void test_resolve_unknown_name(void **state)
{
	char out[PATH_MAX], err[512] = "";

	assert_int_equal(ustat_binary__resolve("libno-such-library.so.42", out, sizeof(out),
					       err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "libno-such-library.so.42"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_nopie),
		cmocka_unit_test(test_shared_lib),
		cmocka_unit_test(test_stripped_lib_uses_dynsym),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_relocatable_object),
		cmocka_unit_test(test_symbolize),
		cmocka_unit_test(test_resolve_libc),
		cmocka_unit_test(test_resolve_path),
		cmocka_unit_test(test_resolve_in_path),
		cmocka_unit_test(test_resolve_unknown_name),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
