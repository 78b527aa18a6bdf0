// SPDX-License-Identifier: GPL-2.0
/*
 * Which path a uprobe hit takes in the kernel, from the instruction at the
 * site.  When a uprobe is installed, arch/x86/kernel/uprobes.c decodes the
 * instruction and either refuses it, or picks how to get past it after
 * the breakpoint: emulate it (nops, jumps, calls, conditional jumps, push
 * of a register), or copy it into a slot of the xol area and single-step
 * it there.  On kernels with the uprobe syscall a 5-byte nop is, after its
 * first hit, rewritten into a call into [uprobes-trampoline]: no trap at
 * all.  The rules below restate that decision in our own terms, on the
 * decoder the kernel uses (tools/arch/x86/lib/insn.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#include "hit-path.h"

static const char * const path_names[USTAT_PATH_NR] = {
	[USTAT_PATH_OPTIMISED]	= "nop5-optimised",
	[USTAT_PATH_EMULATED]	= "int3-emulated",
	[USTAT_PATH_SINGLESTEP]	= "int3-singlestep",
	[USTAT_PATH_REFUSED]	= "refused",
	[USTAT_PATH_UNKNOWN]	= "unknown",
};

const char *ustat_hit_path__name(enum ustat_hit_path p)
{
	return p < USTAT_PATH_NR ? path_names[p] : "unknown";
}

enum ustat_hit_path ustat_hit_path__parse(const char *name)
{
	int i;

	for (i = 0; name && i < USTAT_PATH_NR; i++)
		if (!strcmp(name, path_names[i]))
			return i;
	return USTAT_PATH_NR;
}

/* x86-64: syscall 336 answers ENXIO outside the trampoline, ENOSYS where absent. */
#define USTAT_NR_UPROBE		336

void ustat_hit_kernel__probe(struct ustat_hit_kernel *k)
{
	struct utsname u;
	int major = 0, minor = 0;

	memset(k, 0, sizeof(*k));
#if defined(__x86_64__)
	k->x86_64 = true;
	k->uprobe_syscall = syscall(USTAT_NR_UPROBE) < 0 && errno == ENXIO;
#endif
	if (!uname(&u) && sscanf(u.release, "%d.%d", &major, &minor) == 2)
		k->emulates_nops = major > 6 || (major == 6 && minor >= 15);
	/* The optimisation came after the nop emulation it builds on. */
	if (k->uprobe_syscall)
		k->emulates_nops = true;
}

#if defined(__x86_64__)
#include <asm/insn.h>

/*
 * One-byte opcodes the kernel refuses in a 64-bit process: invalid in
 * long mode (push/pop of segment registers, BCD arithmetic, pusha/popa,
 * bound/EVEX, far call and jmp, into, aam/aad/salc, the 0x82 alias), or
 * faulting, trapping or privileged in user mode (ins/outs, in/out, int3,
 * int n, iret, int1, hlt, cli, sti).  0x0f, the two-byte escape, passes.
 */
static const u8 refused_opcodes[] = {
	0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f,
	0x60, 0x61, 0x62, 0x6c, 0x6d, 0x6e, 0x6f, 0x82, 0x9a,
	0xcc, 0xcd, 0xce, 0xcf, 0xd4, 0xd5, 0xd6,
	0xe4, 0xe5, 0xe6, 0xe7, 0xea, 0xec, 0xed, 0xee, 0xef,
	0xf1, 0xf4, 0xfa, 0xfb,
};

/* The nops Intel recommends for each length (SDM vol. 2, NOP): emulated since 6.15. */
static const u8 long_nops[9][9] = {
	[2] = { 0x66, 0x90 },
	[3] = { 0x0f, 0x1f, 0x00 },
	[4] = { 0x0f, 0x1f, 0x40, 0x00 },
	[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[7] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	[8] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static bool is_long_nop(const struct insn *insn, const u8 *code)
{
	return insn->length >= 2 && insn->length <= 8 &&
	       !memcmp(code, long_nops[insn->length], insn->length);
}

static bool has_prefix(const struct insn *insn, u8 which)
{
	size_t i;

	/* Not for_each_insn_prefix(): it takes 3 arguments in 6.12, 2 in 7.2. */
	for (i = 0; i < ARRAY_SIZE(insn->prefixes.bytes) && insn->prefixes.bytes[i]; i++)
		if (insn->prefixes.bytes[i] == which)
			return true;
	return false;
}

static bool bad_prefix(const struct insn *insn)
{
	static const u8 bad[] = { 0x26, 0x2e, 0x36, 0x3e, 0xf0 };	/* es cs ss ds lock */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (has_prefix(insn, bad[i]))
			return true;
	return false;
}

static bool is_branch(const struct insn *insn)
{
	u8 op = insn->opcode.bytes[0];

	if (op == 0xeb || op == 0xe9 || op == 0xe8 || (op >= 0x70 && op <= 0x7f))
		return true;
	return op == 0x0f && insn->opcode.nbytes == 2 &&
	       insn->opcode.bytes[1] >= 0x80 && insn->opcode.bytes[1] <= 0x8f;
}

static void classify(const struct ustat_hit_kernel *k, const u8 *code, size_t len, u64 page_off,
		     struct ustat_hit_site *s)
{
	struct insn insn;
	u8 op;
	size_t i;

	if (insn_decode(&insn, code, len > MAX_INSN_SIZE ? MAX_INSN_SIZE : (int)len,
			INSN_MODE_64) < 0) {
		s->path = USTAT_PATH_REFUSED;
		snprintf(s->why, sizeof(s->why), "the bytes do not decode as an instruction");
		return;
	}
	s->length = insn.length;
	op = insn.opcode.bytes[0];
	if (bad_prefix(&insn)) {
		s->path = USTAT_PATH_REFUSED;
		snprintf(s->why, sizeof(s->why),
			 "a segment-override or lock prefix: the kernel refuses it");
		return;
	}
	if (insn_masking_exception(&insn)) {
		s->path = USTAT_PATH_REFUSED;
		snprintf(s->why, sizeof(s->why),
			 "a load of %%ss masks exceptions: the kernel will not single-step it");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(refused_opcodes); i++) {
		if (op == refused_opcodes[i]) {
			s->path = USTAT_PATH_REFUSED;
			snprintf(s->why, sizeof(s->why),
				 "opcode %#04x is invalid, trapping or privileged in a 64-bit process",
				 op);
			return;
		}
	}
	if (insn.length == 5 && is_long_nop(&insn, code) && k->uprobe_syscall) {
		if (page_off <= 4096 - 5) {
			s->path = USTAT_PATH_OPTIMISED;
			snprintf(s->why, sizeof(s->why),
				 "a 5-byte nop: after the first hit (int3, emulated) a call into [uprobes-trampoline], the uprobe syscall");
			return;
		}
		s->path = USTAT_PATH_EMULATED;
		snprintf(s->why, sizeof(s->why),
			 "a 5-byte nop across a page boundary: not optimised, int3 and emulated");
		return;
	}
	if (op == 0x90 || (k->emulates_nops && is_long_nop(&insn, code))) {
		s->path = USTAT_PATH_EMULATED;
		snprintf(s->why, sizeof(s->why), "a nop: int3, then emulated (skipped)");
		return;
	}
	if (is_branch(&insn)) {
		if (has_prefix(&insn, 0x66)) {
			s->path = USTAT_PATH_REFUSED;
			snprintf(s->why, sizeof(s->why),
				 "a branch with a 16-bit operand prefix: the kernel refuses it");
			return;
		}
		s->path = USTAT_PATH_EMULATED;
		snprintf(s->why, sizeof(s->why),
			 "a jump, call or conditional jump: int3, then emulated");
		return;
	}
	/* push %reg; push %r8..%r15 only with a bare REX.B. */
	if (op >= 0x50 && op <= 0x57 &&
	    (insn.length == 1 || (insn.length == 2 && code[0] == 0x41))) {
		s->path = USTAT_PATH_EMULATED;
		snprintf(s->why, sizeof(s->why), "a push of a register: int3, then emulated");
		return;
	}
	s->path = USTAT_PATH_SINGLESTEP;
	snprintf(s->why, sizeof(s->why),
		 "int3, then the instruction single-stepped in an xol slot (a second trap)");
}
#else
static void classify(const struct ustat_hit_kernel *k __maybe_unused,
		     const u8 *code __maybe_unused, size_t len __maybe_unused,
		     u64 page_off __maybe_unused, struct ustat_hit_site *s)
{
	s->path = USTAT_PATH_UNKNOWN;
	snprintf(s->why, sizeof(s->why), "the paths are known for x86-64 only");
}
#endif

void ustat_hit_path__classify(const struct ustat_hit_kernel *k, const u8 *code, size_t len,
			      u64 page_off, struct ustat_hit_site *site)
{
	memset(site, 0, sizeof(*site));
	site->nr_bytes = len > sizeof(site->bytes) ? (int)sizeof(site->bytes) : (int)len;
	memcpy(site->bytes, code, site->nr_bytes);
	if (!k->x86_64) {
		site->path = USTAT_PATH_UNKNOWN;
		snprintf(site->why, sizeof(site->why), "the paths are known for x86-64 only");
		return;
	}
	classify(k, code, len, page_off, site);
}

int ustat_hit_path__classify_file(const struct ustat_hit_kernel *k, const char *path, u64 off,
				  struct ustat_hit_site *site)
{
	u8 buf[16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = pread(fd, buf, sizeof(buf), off);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	/* File offsets and addresses of a loadable segment agree modulo the page. */
	ustat_hit_path__classify(k, buf, n, off & 4095, site);
	return 0;
}
