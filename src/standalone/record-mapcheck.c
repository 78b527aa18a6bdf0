// SPDX-License-Identifier: GPL-2.0
/*
 * '-- CMD': is the file the command maps the one probed?  The uprobes are
 * keyed on the inode the path led to when they were made; a binary
 * replaced on disk in between (an upgrade, a rebuild) is mapped as
 * another inode and its probes count nothing.  The first mapping of each
 * probed path the command makes (PERF_RECORD_MMAP2 carries the device and
 * inode) is compared with the probed file, and a mismatch said at once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <perf/event.h>

#include "util/uprobe-stat/util/debug.h"
#include "record.h"

struct record_mapcheck {
	const char	*path;
	dev_t		 dev;
	ino_t		 ino;
	bool		 seen;
};

int record__mapcheck_init(struct record *rec)
{
	int i, j, n = 0;

	if (rec->target != TARGET_CMD)
		return 0;
	rec->mapcheck = calloc(rec->nr_probes, sizeof(*rec->mapcheck));
	if (!rec->mapcheck)
		return -ENOMEM;
	for (i = 0; i < rec->nr_probes; i++) {
		struct stat st;

		for (j = 0; j < n; j++)
			if (!strcmp(rec->mapcheck[j].path, rec->probes[i].path))
				break;
		if (j < n || stat(rec->probes[i].path, &st))
			continue;
		rec->mapcheck[n].path = rec->probes[i].path;
		rec->mapcheck[n].dev = st.st_dev;
		rec->mapcheck[n].ino = st.st_ino;
		n++;
	}
	rec->nr_mapcheck = n;
	return 0;
}

void record__mapcheck_note(struct record *rec, const union perf_event *ev)
{
	const struct perf_record_mmap2 *m = &ev->mmap2;
	int i;

	if (!rec->nr_mapcheck || ev->header.type != PERF_RECORD_MMAP2 ||
	    (ev->header.misc & PERF_RECORD_MISC_MMAP_BUILD_ID))
		return;
	for (i = 0; i < rec->nr_mapcheck; i++) {
		struct record_mapcheck *c = &rec->mapcheck[i];

		if (c->seen || strcmp(c->path, m->filename))
			continue;
		c->seen = true;
		if (m->ino != c->ino || makedev(m->maj, m->min) != c->dev)
			ustat_warn("the command mapped another '%s' than the one probed (replaced on disk since?): its probes there count nothing",
				   c->path);
	}
}

void record__mapcheck_exit(struct record *rec)
{
	free(rec->mapcheck);
	rec->mapcheck = NULL;
	rec->nr_mapcheck = 0;
}
