/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_KALLSYMS_H
#define __USTAT_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * Kernel functions a uprobe hit runs through, as address ranges, so that a
 * recorded kernel callchain can be asked "did this pass through the
 * breakpoint handler?".  Taken from /proc/kallsyms at record time (a
 * function ends where the next symbol starts) and stored in the file, so
 * report needs no access to the recording machine's kernel.
 */
struct ustat_ksym {
	u64	start;
	u64	end;
	char	name[64];
};

struct ustat_ksyms {
	struct ustat_ksym	*syms;	/* sorted by start */
	int			 nr;
	int			 cap;
};

/* The uprobe hit-path functions of the running kernel (see kallsyms.c). */
int ustat_ksyms__load_uprobe_paths(struct ustat_ksyms *ks, const char *kallsyms);
int ustat_ksyms__add(struct ustat_ksyms *ks, const char *name, u64 start, u64 end);
void ustat_ksyms__sort(struct ustat_ksyms *ks);
void ustat_ksyms__exit(struct ustat_ksyms *ks);
/* The function holding IP, or NULL. */
const struct ustat_ksym *ustat_ksyms__find(const struct ustat_ksyms *ks, u64 ip);

/*
 * The functions that take mmap_lock for reading only when the lockless
 * uprobe lookup failed: find_active_uprobe_rcu() and handle_swbp() (the
 * latter when the former is inlined into it).
 */
bool ustat_ksym__is_lookup_fallback(const struct ustat_ksym *sym);

#endif /* __USTAT_KALLSYMS_H */
