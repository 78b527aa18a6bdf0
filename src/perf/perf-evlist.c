// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/evlist.h"
#include "util/evsel.h"
#include "perf-evlist.h"

int ustat_perf__add_evsel(struct evlist *evlist, const struct perf_event_attr *attr,
			  const char *name, const u64 *ids, u32 nr_ids, int idx)
{
	struct perf_event_attr a = *attr;
	struct evsel *evsel = evsel__new_idx(&a, idx);
	u32 j;

	if (!evsel)
		return -ENOMEM;
	/* The evlist frees it from now on, whatever fails next. */
	evlist__add(evlist, evsel);
	evsel->name = strdup(name);
	if (!evsel->name)
		return -ENOMEM;
	if (nr_ids && perf_evsel__alloc_id(&evsel->core, 1, nr_ids))
		return -ENOMEM;
	for (j = 0; j < nr_ids; j++)
		perf_evlist__id_add(&evlist->core, &evsel->core, 0, j, ids[j]);
	return 0;
}

void ustat_perf__evlist_free(struct evlist *evlist)
{
#ifdef USTAT_PERF_EVLIST_PUT
	evlist__put(evlist);
#else
	evlist__delete(evlist);
#endif
}
