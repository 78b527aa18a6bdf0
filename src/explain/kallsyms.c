// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/util/array.h"
#include "kallsyms.h"

/*
 * The functions a uprobe hit runs through, from the breakpoint (or the
 * uprobe/uretprobe syscalls of the optimised paths) to the handlers and
 * the single-step.  Not the registration code, nor the uprobe PMU's perf
 * side: a lock taken there is not a cost of the hit.
 */
static const char *const hit_path[] = {
	"uprobe_notify_resume", "handle_swbp", "find_active_uprobe", "handle_singlestep",
	"handler_chain", "handle_uretprobe_chain", "uprobe_handle_trampoline",
	"prepare_uretprobe", "pre_ssout", "is_trap_at_addr", "mmf_recalc_uprobes",
	"uprobe_pre_sstep_notifier", "uprobe_post_sstep_notifier", "arch_uprobe_",
	"xol_", "handle_syscall_uprobe", "__x64_sys_uprobe", "__x64_sys_uretprobe",
	"__do_sys_uprobe", "__do_sys_uretprobe",
};

static bool on_uprobe_path(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hit_path); i++)
		if (!strncmp(name, hit_path[i], strlen(hit_path[i])))
			return true;
	return false;
}

int ustat_ksyms__add(struct ustat_ksyms *ks, const char *name, u64 start, u64 end)
{
	struct ustat_ksym *n;

	if (ustat_array_grow(ks->syms, ks->cap, ks->nr + 1))
		return -ENOMEM;
	n = ks->syms;
	n[ks->nr].start = start;
	n[ks->nr].end = end;
	snprintf(n[ks->nr].name, sizeof(n[ks->nr].name), "%s", name);
	ks->nr++;
	return 0;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct ustat_ksym *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void ustat_ksyms__sort(struct ustat_ksyms *ks)
{
	if (ks->nr)
		qsort(ks->syms, ks->nr, sizeof(*ks->syms), cmp_sym);
}

int ustat_ksyms__load_uprobe_paths(struct ustat_ksyms *ks, const char *kallsyms)
{
	char line[512], name[256], prev_name[256] = "";
	unsigned long long addr, prev = 0;
	bool prev_wanted = false;
	FILE *f;
	int ret = 0;

	memset(ks, 0, sizeof(*ks));
	f = fopen(kallsyms ? kallsyms : "/proc/kallsyms", "r");
	if (!f)
		return -errno;
	/* kallsyms is sorted by address: a function ends at the next symbol. */
	while (fgets(line, sizeof(line), f)) {
		char type;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (prev_wanted && addr > prev)
			ret = ustat_ksyms__add(ks, prev_name, prev, addr);
		if (ret)
			break;
		prev_wanted = (type == 't' || type == 'T') && on_uprobe_path(name) && addr;
		prev = addr;
		snprintf(prev_name, sizeof(prev_name), "%s", name);
	}
	fclose(f);
	if (!ret && !ks->nr)
		ret = -ENOENT;	/* no uprobe code, or addresses hidden (kptr_restrict) */
	ustat_ksyms__sort(ks);
	return ret;
}

void ustat_ksyms__exit(struct ustat_ksyms *ks)
{
	free(ks->syms);
	memset(ks, 0, sizeof(*ks));
}

const struct ustat_ksym *ustat_ksyms__find(const struct ustat_ksyms *ks, u64 ip)
{
	int lo = 0, hi = ks->nr - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ip < ks->syms[mid].start)
			hi = mid - 1;
		else if (ip >= ks->syms[mid].end)
			lo = mid + 1;
		else
			return &ks->syms[mid];
	}
	return NULL;
}

bool ustat_ksym__is_lookup_fallback(const struct ustat_ksym *sym)
{
	return !strcmp(sym->name, "find_active_uprobe_rcu") ||
	       !strcmp(sym->name, "handle_swbp");
}
