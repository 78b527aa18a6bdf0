// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

static bool on_uprobe_path(const char *name)
{
	return strstr(name, "uprobe") || !strncmp(name, "xol_", 4) ||
	       !strcmp(name, "handle_swbp") || !strcmp(name, "handle_singlestep");
}

int ustat_ksyms__add(struct ustat_ksyms *ks, const char *name, u64 start, u64 end)
{
	struct ustat_ksym *n = realloc(ks->syms, (ks->nr + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	ks->syms = n;
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
