// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/compiler.h>

#include "util/uprobe-stat/util/array.h"
#include "insn-check.h"

#if defined(__x86_64__)
#include <asm/insn.h>

int ustat_insn__length(const u8 *code, size_t len)
{
	struct insn insn;

	if (insn_decode(&insn, code, len > MAX_INSN_SIZE ? MAX_INSN_SIZE : (int)len,
			INSN_MODE_64) < 0)
		return 0;
	return insn.length;
}
#else
/* No decoder for this architecture: nothing can be checked, say so. */
int ustat_insn__length(const u8 *code __maybe_unused, size_t len __maybe_unused)
{
	return 0;
}
#endif

int ustat_insn_map__decode(struct ustat_insn_map *m, const u8 *code, size_t len)
{
	size_t off = 0;
	int cap = 0;

	memset(m, 0, sizeof(*m));
	m->size = len;
	while (off < len) {
		int n = ustat_insn__length(code + off, len - off);

		if (n <= 0)
			break;
		if (ustat_array_grow(m->starts, cap, m->nr + 1)) {
			ustat_insn_map__exit(m);
			return -ENOMEM;
		}
		m->starts[m->nr++] = off;
		off += n;
	}
	m->decoded = off > len ? len : off;
	return 0;
}

void ustat_insn_map__exit(struct ustat_insn_map *m)
{
	free(m->starts);
	m->starts = NULL;
	m->nr = 0;
}

int ustat_insn_map__check(const struct ustat_insn_map *m, u64 off, const char *func,
			  char *why, size_t len)
{
	int lo = 0, hi = m->nr - 1;

	if (!m->nr) {
		snprintf(why, len,
			 "the first instruction of %s does not decode: cannot check an offset into it",
			 func);
		return -EINVAL;
	}
	if (off >= m->size) {
		snprintf(why, len,
			 "offset %#llx is past the end of %s (size %#x; its last instruction starts at +%#x)",
			 (unsigned long long)off, func, m->size, m->starts[m->nr - 1]);
		return -EINVAL;
	}
	if (off >= m->decoded) {
		snprintf(why, len,
			 "the code of %s does not decode from +%#x on (data?): offset %#llx cannot be checked; the last valid offset before it is +%#x",
			 func, m->decoded, (unsigned long long)off, m->starts[m->nr - 1]);
		return -EINVAL;
	}
	/* The last start at or below OFF. */
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (m->starts[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (m->starts[lo] == off)
		return 0;
	if (lo + 1 < m->nr)
		snprintf(why, len,
			 "offset %#llx is inside the instruction at %s+%#x: the nearest valid offsets are +%#x and +%#x",
			 (unsigned long long)off, func, m->starts[lo], m->starts[lo],
			 m->starts[lo + 1]);
	else
		snprintf(why, len, "offset %#llx is inside the last instruction of %s, at +%#x",
			 (unsigned long long)off, func, m->starts[lo]);
	return -EINVAL;
}

/* Functions larger than this are not read whole for a check. */
#define MAX_FUNC_BYTES	(16U << 20)

int ustat_insn__check_offset(int fd, u64 file_offset, u64 size, u64 off, const char *func,
			     char *why, size_t len)
{
	struct ustat_insn_map m;
	ssize_t n;
	u8 *code;
	int ret;

	if (!size || size > MAX_FUNC_BYTES) {
		snprintf(why, len,
			 "%s has %s: cannot check that offset %#llx is an instruction boundary",
			 func, size ? "more code than can be decoded" : "no size in its symbol",
			 (unsigned long long)off);
		return -EINVAL;
	}
	code = malloc(size);
	if (!code)
		return -ENOMEM;
	n = pread(fd, code, size, file_offset);
	if (n != (ssize_t)size) {
		snprintf(why, len, "cannot read the code of %s to check offset %#llx", func,
			 (unsigned long long)off);
		free(code);
		return -EIO;
	}
	ret = ustat_insn_map__decode(&m, code, size);
	free(code);
	if (ret)
		return ret;
	ret = ustat_insn_map__check(&m, off, func, why, len);
	ustat_insn_map__exit(&m);
	return ret;
}
