// SPDX-License-Identifier: GPL-2.0
/* top's recording seen as a live input of the seam (core/backend.h). */
#include <errno.h>
#include <stdlib.h>

#include "util/uprobe-stat/core/backend.h"
#include "recorder.h"

int recorder__live_events(const struct recorder *r, struct ustat_live_event **evp)
{
	int i, nr = r->rec.nr_evsels;
	struct ustat_live_event *ev = calloc(nr > 0 ? nr : 1, sizeof(*ev));

	*evp = NULL;
	if (!ev)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		const struct ustat_file_event *fe = &r->events[i];

		ev[i].attr = &fe->attr;
		ev[i].ids = fe->ids;
		ev[i].nr_ids = fe->nr_ids;
		ev[i].name = fe->name;
		ev[i].meta = fe->meta;
	}
	*evp = ev;
	return 0;
}
