// SPDX-License-Identifier: GPL-2.0
/*
 * The probed functions of perf uprobe-stat bench.  Which path the kernel
 * takes on a uprobe hit depends on the instruction under the breakpoint
 * (arch/x86/kernel/uprobes.c decides when the probe is installed):
 *
 *  - nops, jumps, calls, conditional jumps and push of a register are
 *    emulated: one int3 trap, the handlers, done;
 *  - anything else is copied into a slot of the per-mm xol area and
 *    single-stepped there: a second trap, and the slot bookkeeping the
 *    xol scalability work is about;
 *  - a 5-byte nop, on kernels with the uprobe syscall (6.18 and later),
 *    is rewritten after the first hit into a call to a trampoline page
 *    ([uprobes-trampoline]) that enters the kernel by a syscall: no trap.
 *
 * So each kind gets a function whose first instruction is the one it
 * needs.  The same body follows in all of them: add one to the counter
 * the caller passed (%rdi) and return.
 */
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/compiler.h>

#include "bench-workload.h"

const struct bench_kind_desc bench_kinds[BENCH_NR_KINDS] = {
	[BENCH_BASE] = { "base", "base", "nopl 0x0(%rax,%rax,1), not probed",
			 { 0x0f, 0x1f, 0x44, 0x00, 0x00 }, 5, false, false },
	[BENCH_NOP5] = { "nop5", "uprobe-nop5", "nopl 0x0(%rax,%rax,1)",
			 { 0x0f, 0x1f, 0x44, 0x00, 0x00 }, 5, true, false },
	[BENCH_INT3] = { "int3", "uprobe-int3", "nop",
			 { 0x90 }, 1, true, false },
	[BENCH_XOL]  = { "xol", "uprobe-xol", "mov %rdi,%rax",
			 { 0x48, 0x89, 0xf8 }, 3, true, false },
	[BENCH_RET]  = { "ret", "uretprobe", "nop, then the return",
			 { 0x90 }, 1, true, true },
};

#ifdef __x86_64__

/*
 * Every function starts a cache line of its own: no two probes share one,
 * and the 5-byte nop never crosses a page (the kernel optimises only a nop
 * it can rewrite within one page).  Symbols are hidden (no PLT) and typed
 * and sized, so that ELF tools and 'record' find them too.
 */
#define BENCH_FN(name, first)					\
	"	.p2align 6\n"					\
	"	.globl " #name "\n"				\
	"	.hidden " #name "\n"				\
	"	.type " #name ", @function\n"			\
	#name ":\n"						\
	"	" first "\n"					\
	"	incq (%rdi)\n"					\
	"	ret\n"						\
	"	.size " #name ", . - " #name "\n"

asm(
"	.pushsection .text.ustat_bench, \"ax\", @progbits\n"
BENCH_FN(ustat_bench_base, ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00")	/* nopl 0x0(%rax,%rax,1) */
BENCH_FN(ustat_bench_nop5, ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00")	/* nopl 0x0(%rax,%rax,1) */
BENCH_FN(ustat_bench_int3, ".byte 0x90")				/* nop */
BENCH_FN(ustat_bench_xol,  ".byte 0x48, 0x89, 0xf8")			/* mov %rdi,%rax */
BENCH_FN(ustat_bench_ret,  ".byte 0x90")				/* nop */
"	.popsection\n");

static const bench_fn_t bench_fns[BENCH_NR_KINDS] = {
	[BENCH_BASE] = ustat_bench_base,
	[BENCH_NOP5] = ustat_bench_nop5,
	[BENCH_INT3] = ustat_bench_int3,
	[BENCH_XOL]  = ustat_bench_xol,
	[BENCH_RET]  = ustat_bench_ret,
};

bool bench_workload__supported(void)
{
	return true;
}

#else /* !__x86_64__ */

/* Elsewhere the instructions differ; bench says so instead of guessing. */
static void bench_fn_unsupported(u64 *calls)
{
	(*calls)++;
}

static const bench_fn_t bench_fns[BENCH_NR_KINDS] = {
	[BENCH_BASE] = bench_fn_unsupported,
	[BENCH_NOP5] = bench_fn_unsupported,
	[BENCH_INT3] = bench_fn_unsupported,
	[BENCH_XOL]  = bench_fn_unsupported,
	[BENCH_RET]  = bench_fn_unsupported,
};

bool bench_workload__supported(void)
{
	return false;
}

#endif /* __x86_64__ */

bench_fn_t bench_workload__fn(enum bench_kind kind)
{
	return bench_fns[kind];
}

struct find_object {
	unsigned long	addr;
	u64		offset;
	bool		found;
	char		name[PATH_MAX];
};

/* dl_iterate_phdr(): the object and PT_LOAD holding f->addr. */
static int find_object(struct dl_phdr_info *info, size_t size __maybe_unused, void *data)
{
	struct find_object *f = data;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const __typeof__(*info->dlpi_phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || f->addr < start || f->addr >= start + ph->p_filesz)
			continue;
		f->offset = f->addr - start + ph->p_offset;
		snprintf(f->name, sizeof(f->name), "%s", info->dlpi_name ? info->dlpi_name : "");
		f->found = true;
		return 1;
	}
	return 0;
}

int bench_workload__locate(enum bench_kind kind, char *kpath, size_t klen,
			   char *path, size_t len, u64 *offset, char *err, size_t errlen)
{
	struct find_object f = { .addr = (unsigned long)bench_fns[kind] };
	ssize_t n;

	dl_iterate_phdr(find_object, &f);
	if (!f.found) {
		snprintf(err, errlen, "cannot find the mapping of the %s function in this process",
			 bench_kinds[kind].name);
		return -ENOENT;
	}
	*offset = f.offset;
	if (f.name[0]) {
		/* A shared object: its name is a path the kernel can open. */
		snprintf(kpath, klen, "%s", f.name);
		if (!realpath(f.name, path))
			snprintf(path, len, "%s", f.name);
		return 0;
	}
	/*
	 * The main program.  The kernel resolves /proc/self/exe in our own
	 * context, to the file we run even if a rebuild replaced it on disk.
	 */
	snprintf(kpath, klen, "/proc/self/exe");
	n = readlink("/proc/self/exe", path, len - 1);
	if (n < 0) {
		snprintf(err, errlen, "cannot read /proc/self/exe: %s", strerror(errno));
		return -errno;
	}
	path[n] = '\0';
	return 0;
}

void bench_workload__read(enum bench_kind kind, u8 *buf, size_t n)
{
	memcpy(buf, (const void *)bench_fns[kind], n);
}
