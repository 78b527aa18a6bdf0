// SPDX-License-Identifier: GPL-2.0
/*
 * libdw's unwinder on a hit's registers and stack copy (dwarf-unwind.h).
 * The process is long gone when report runs: its files are reported to
 * a Dwfl at the addresses its mappings had, the thread's state is the
 * sample's registers, and memory reads are served from the stack copy.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <elfutils/libdwfl.h>
#include <linux/compiler.h>

#include "dwarf-unwind.h"

struct ustat_unwinder {
	Dwfl		*dwfl;
	bool		 attached;
	/* the sample being unwound */
	u32		 tid;
	const u64	*regs;
	u64		 mask;
	const u8	*stack;
	u64		 stack_size;
	u64		 sp;
	u64		*ips;
	int		 max;
	int		 nr;
};

static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo		= dwfl_standard_find_debuginfo,
	.debuginfo_path		= &debuginfo_path,
	.section_address	= dwfl_offline_section_address,
};

struct ustat_unwinder *ustat_unwinder__new(const struct ustat_unwind_map *maps, int nr)
{
	struct ustat_unwinder *u = calloc(1, sizeof(*u));
	int i, j;

	if (!u)
		return NULL;
	u->dwfl = dwfl_begin(&offline_callbacks);
	if (!u->dwfl) {
		free(u);
		return NULL;
	}
	dwfl_report_begin(u->dwfl);
	/*
	 * Each file once, at the address its offset 0 is mapped at (libdwfl
	 * ignores it for ET_EXEC, whose addresses are absolute).  Files that
	 * do not open ([vdso], deleted ones) are left out: their frames end
	 * the walk, as in perf.
	 */
	for (i = 0; i < nr; i++) {
		struct stat st;

		/* Regular files only: the names are the recording's word. */
		if (!maps[i].path || maps[i].path[0] != '/' || stat(maps[i].path, &st) ||
		    !S_ISREG(st.st_mode))
			continue;
		for (j = 0; j < i; j++)
			if (maps[j].path && !strcmp(maps[j].path, maps[i].path))
				break;
		if (j < i)
			continue;
		dwfl_report_elf(u->dwfl, maps[i].path, maps[i].path, -1,
				maps[i].start - maps[i].pgoff, false);
	}
	dwfl_report_end(u->dwfl, NULL, NULL);
	return u;
}

void ustat_unwinder__delete(struct ustat_unwinder *u)
{
	if (!u)
		return;
	dwfl_end(u->dwfl);
	free(u);
}

static pid_t next_thread(Dwfl *dwfl __maybe_unused, void *arg, void **thread_argp)
{
	struct ustat_unwinder *u = arg;

	if (*thread_argp)
		return 0;	/* one thread: the sample's */
	*thread_argp = u;
	return u->tid;
}

static bool get_thread(Dwfl *dwfl __maybe_unused, pid_t tid, void *arg,
		       void **thread_argp)
{
	struct ustat_unwinder *u = arg;

	*thread_argp = u;
	return (u32)tid == u->tid;
}

/* Only the stack was copied: a read elsewhere ends the walk. */
static bool memory_read(Dwfl *dwfl __maybe_unused, Dwarf_Addr addr,
			Dwarf_Word *result, void *arg)
{
	struct ustat_unwinder *u = arg;

	if (addr < u->sp || addr - u->sp > u->stack_size ||
	    u->stack_size - (addr - u->sp) < sizeof(*result))
		return false;
	memcpy(result, u->stack + (addr - u->sp), sizeof(*result));
	return true;
}

/* The value of perf register REG, from the compressed array of MASK's. */
static bool perf_reg(const struct ustat_unwinder *u, int reg, u64 *v)
{
	if (!(u->mask & (1ULL << reg)))
		return false;
	*v = u->regs[__builtin_popcountll(u->mask & ((1ULL << reg) - 1))];
	return true;
}

#ifdef __x86_64__
/* DWARF's x86-64 numbering (0 rax ... 16 rip) in perf's register numbers. */
static const int dwarf_to_perf[17] = {
	0 /* ax */, 3 /* dx */, 2 /* cx */, 1 /* bx */, 4 /* si */, 5 /* di */,
	6 /* bp */, 7 /* sp */, 16, 17, 18, 19, 20, 21, 22, 23 /* r8-r15 */, 8 /* ip */
};
#define PERF_REG_SP	7
#endif

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
#ifdef __x86_64__
	struct ustat_unwinder *u = arg;
	Dwarf_Word dregs[17];
	int i;

	for (i = 0; i < 17; i++) {
		u64 v = 0;

		if (!perf_reg(u, dwarf_to_perf[i], &v) && i >= 6)
			return false;	/* bp, sp, ip at the least */
		dregs[i] = v;
	}
	return dwfl_thread_state_registers(thread, 0, 17, dregs);
#else
	(void)thread;
	(void)arg;
	return false;
#endif
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread		= next_thread,
	.get_thread		= get_thread,
	.memory_read		= memory_read,
	.set_initial_registers	= set_initial_registers,
};

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct ustat_unwinder *u = arg;
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(state, &pc, NULL) || !pc)
		return DWARF_CB_ABORT;
	u->ips[u->nr++] = pc;
	return u->nr < u->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

int ustat_unwinder__unwind(struct ustat_unwinder *u, u32 tid, const u64 *regs, u64 mask,
			   const void *stack, u64 stack_size, u64 *ips, int max)
{
#ifdef __x86_64__
	u->tid = tid;
	u->regs = regs;
	u->mask = mask;
	u->stack = stack;
	u->stack_size = stack_size;
	u->ips = ips;
	u->max = max;
	u->nr = 0;
	if (!regs || max <= 0 || !perf_reg(u, PERF_REG_SP, &u->sp))
		return 0;
	/* The state is the sample's, whatever thread id the Dwfl was attached with. */
	if (!u->attached) {
		if (!dwfl_attach_state(u->dwfl, NULL, tid, &thread_callbacks, u))
			return 0;
		u->attached = true;
	}
	dwfl_getthread_frames(u->dwfl, tid, frame_cb, u);
	return u->nr;
#else
	(void)u; (void)tid; (void)regs; (void)mask; (void)stack; (void)stack_size;
	(void)ips; (void)max;
	return 0;
#endif
}
