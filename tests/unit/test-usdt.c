// SPDX-License-Identifier: GPL-2.0
/*
 * USDT notes (usdt.h) of the fixture, PIE and not.  The oracles: readelf
 * -n for the notes' addresses, readelf -S for where .probes lies in the
 * file, and the file itself -- a USDT site is a one-byte nop.  A copy
 * whose notes are shifted as prelink leaves them checks the .stapsdt.base
 * correction.
 */
#include "unit.h"
#include "usdt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USDT_DIR	TEST_BIN_DIR "/dwarf"

struct note {
	char			provider[64];
	char			name[64];
	unsigned long long	pc, base, sem;
};

/* The notes as readelf -n prints them, in file order. */
static int readelf_notes(const char *path, struct note *n, int max)
{
	char cmd[512], line[512];
	int nr = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -n %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "NT_STAPSDT") && nr + 1 < max)
			memset(&n[++nr], 0, sizeof(*n));
		else if (nr >= 0 && sscanf(line, " Provider: %63s", n[nr].provider) == 1)
			continue;
		else if (nr >= 0 && sscanf(line, " Name: %63s", n[nr].name) == 1)
			continue;
		else if (nr >= 0)
			sscanf(line, " Location: %llx, Base: %llx, Semaphore: %llx", &n[nr].pc,
			       &n[nr].base, &n[nr].sem);
	}
	pclose(p);
	return nr + 1;
}

/* Where section NAME lies in the file, from readelf -S. */
static void section_range(const char *path, const char *name, u64 *off, u64 *size)
{
	char cmd[512], line[512], sec[64], type[64];
	unsigned long long addr, o, s;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -SW %s | sed 's/^ *\\[ *[0-9]*\\]//'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	*off = *size = 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " %63s %63s %llx %llx %llx", sec, type, &addr, &o, &s) == 5 &&
		    !strcmp(sec, name)) {
			*off = o;
			*size = s;
		}
	pclose(p);
	if (!*size)
		fail_msg("no section %s in %s", name, path);
}

static unsigned char byte_at(const char *path, u64 off)
{
	FILE *f = fopen(path, "rb");
	int c;

	assert_non_null(f);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	c = fgetc(f);
	fclose(f);
	return c;
}

static void check_binary(const char *path)
{
	struct note want[8];
	struct ustat_usdt *u;
	u64 probes_off, probes_size;
	char err[512] = "";
	int nr, nwant, i, guarded = 0;

	nwant = readelf_notes(path, want, 8);
	assert_int_equal(nwant, 3);
	section_range(path, ".probes", &probes_off, &probes_size);
	if (ustat_usdt__read(path, &u, &nr, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	assert_int_equal(nr, nwant);
	for (i = 0; i < nr; i++) {
		assert_string_equal(u[i].provider, want[i].provider);
		assert_string_equal(u[i].name, want[i].name);
		assert_int_equal(u[i].pc, want[i].pc);
		assert_int_equal(u[i].semaphore, want[i].sem);
		assert_true(u[i].args[0] != '\0');
		/* The probe site is the nop sys/sdt.h put there. */
		assert_int_equal(byte_at(path, u[i].pc_offset), 0x90);
		if (!strcmp(u[i].name, "guarded")) {
			guarded++;
			assert_true(u[i].sem_offset >= probes_off &&
				    u[i].sem_offset + 2 <= probes_off + probes_size);
		} else {
			assert_int_equal(u[i].sem_offset, 0);
		}
	}
	assert_int_equal(guarded, 1);
	ustat_usdt__free(u, nr);
}

static void test_pie(void **state)
{
	check_binary(USDT_DIR "/usdt-pie");
}

static void test_nopie(void **state)
{
	check_binary(USDT_DIR "/usdt-nopie");
}

/* Replace the 8 bytes FROM (little-endian) at every place in BUF by TO. */
static int patch_u64(unsigned char *buf, size_t len, u64 from, u64 to)
{
	size_t i;
	int n = 0;

	for (i = 0; i + 8 <= len; i += 4) {
		if (memcmp(buf + i, &from, 8))
			continue;
		memcpy(buf + i, &to, 8);
		n++;
	}
	return n;
}

/*
 * prelink moves a file after the notes were written and does not update
 * them: notes whose addresses are all D below the real ones must still
 * give the real addresses, through .stapsdt.base.
 */
static void test_prelink_base(void **state)
{
	const u64 d = 0x10000;
	char copy[] = "/tmp/ustat-usdt.XXXXXX", err[512] = "";
	struct ustat_usdt *orig, *u;
	struct note n[8];
	unsigned char *buf;
	u64 note_off, note_size;
	int nr, nr_orig, i, fd;
	FILE *f;
	long len;

	assert_int_equal(readelf_notes(USDT_DIR "/usdt-pie", n, 8), 3);
	section_range(USDT_DIR "/usdt-pie", ".note.stapsdt", &note_off, &note_size);
	f = fopen(USDT_DIR "/usdt-pie", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	/* Only inside the notes: the base, and each probe's pc and semaphore. */
	assert_true(patch_u64(buf + note_off, note_size, n[0].base, n[0].base - d) == 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(patch_u64(buf + note_off, note_size, n[i].pc, n[i].pc - d), 1);
		if (n[i].sem)
			assert_int_equal(patch_u64(buf + note_off, note_size, n[i].sem,
						   n[i].sem - d), 1);
	}
	fd = mkstemp(copy);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), len);
	close(fd);
	free(buf);

	assert_int_equal(ustat_usdt__read(USDT_DIR "/usdt-pie", &orig, &nr_orig, err,
					  sizeof(err)), 0);
	if (ustat_usdt__read(copy, &u, &nr, err, sizeof(err)))
		fail_msg("%s", err);
	unlink(copy);
	assert_int_equal(nr, nr_orig);
	for (i = 0; i < nr; i++) {
		assert_int_equal(u[i].pc, orig[i].pc);
		assert_int_equal(u[i].pc_offset, orig[i].pc_offset);
		assert_int_equal(u[i].semaphore, orig[i].semaphore);
		assert_int_equal(u[i].sem_offset, orig[i].sem_offset);
	}
	ustat_usdt__free(u, nr);
	ustat_usdt__free(orig, nr_orig);
}

static void test_no_notes(void **state)
{
	struct ustat_usdt *u;
	char err[512] = "";
	int nr = -1;

	assert_int_equal(ustat_usdt__read(TEST_BIN_DIR "/dwarf/prog-O2-pie", &u, &nr, err,
					  sizeof(err)), 0);
	assert_int_equal(nr, 0);
	assert_int_equal(ustat_usdt__read("/nonexistent", &u, &nr, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot open '/nonexistent'"));
	assert_int_equal(ustat_usdt__read("tests/fixtures/usdt.c", &u, &nr, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "is not an ELF file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_nopie),
		cmocka_unit_test(test_prelink_base),
		cmocka_unit_test(test_no_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
