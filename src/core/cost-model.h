/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_COST_MODEL_H
#define __USTAT_COST_MODEL_H

#include <stdbool.h>
#include <stdio.h>

#include "util/uprobe-stat/explain/calibration.h"
#include "util/uprobe-stat/explain/hit-path.h"

/*
 * What a hit costs, in parts that add up to the total: the way in (the
 * int3 trap or the uprobe syscall, with the uncontended lookup and the
 * handler chain), the lookup's wait when it fell back to mmap_lock, the
 * single-step, the consumer (the sample written into the ring buffer) and
 * the return path of a %return probe.  Each part says where it came from.
 */
enum ustat_cost_part {
	USTAT_PART_ENTRY,
	USTAT_PART_LOOKUP,
	USTAT_PART_SINGLESTEP,
	USTAT_PART_CONSUMER,
	USTAT_PART_RETURN,
	USTAT_PART_NR,
};

struct ustat_cost {
	bool		 valid;
	char		 why[160];		/* when not valid */
	double		 total_ns;
	double		 spread_ns;		/* of the calibration figures used */
	double		 part_ns[USTAT_PART_NR];
	char		 source[USTAT_PART_NR][160];
	/* of part_ns, what was measured (waits), in ns over all the hits */
	double		 measured_ns[USTAT_PART_NR];
	/* bench's figure for the same kind and consumer, if bench has that kind */
	double		 bench_ns;
	const char	*bench_kind;		/* "nop5", "int3", "xol", "ret", or NULL */
};

extern const char * const ustat_cost_part_names[USTAT_PART_NR];

/*
 * The model for a hit on PATH (an entry, or %return when IS_RETURN) with a
 * sample written per hit when SAMPLED, from calibration C.
 */
void ustat_cost__model(const struct ustat_calib *c, enum ustat_hit_path path, bool is_return,
		       bool sampled, struct ustat_cost *cost);
/* Add a measured lookup wait of NS per hit (mmap_lock events), SRC says how. */
void ustat_cost__add_lookup(struct ustat_cost *cost, double ns, const char *src);
/* Add a measured xol slot wait of NS per hit to the single-step, SRC says how. */
void ustat_cost__add_singlestep(struct ustat_cost *cost, double ns, const char *src);

/* {"total_ns": N, "parts": {...}, "source": {...}, "bench": {...}} or null */
void ustat_cost__json(const struct ustat_cost *cost, FILE *out);

#endif /* __USTAT_COST_MODEL_H */
