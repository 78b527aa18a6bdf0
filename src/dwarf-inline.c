// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "dwarf-inline.h"

struct entries_walk {
	const char		*func;
	struct ustat_addrs	*out;
};

static int entry_die(Dwarf_Die *die, void *arg)
{
	struct entries_walk *w = arg;
	u64 pc;

	if (dwarf_tag(die) != DW_TAG_inlined_subroutine || !ustat_dwarf__name_is(die, w->func))
		return 0;
	/* An inlined copy optimised away entirely has no code to probe. */
	if (ustat_dwarf__entry_pc(die, &pc))
		return 0;
	return ustat_addrs__add(w->out, pc);
}

static int entries_cu(Dwarf_Die *cu, void *arg)
{
	return ustat_dwarf__walk(cu, entry_die, arg);
}

int ustat_dwarf__inline_entries(Dwarf *dw, const char *func, struct ustat_addrs *out)
{
	struct entries_walk w = { .func = func, .out = out };
	int ret;

	ret = ustat_dwarf__walk_units(dw, entries_cu, &w);
	ustat_addrs__finish(out);
	return ret;
}
