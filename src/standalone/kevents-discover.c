// SPDX-License-Identifier: GPL-2.0
/*
 * What this kernel offers of the signals (core/signals.h), found in
 * tracefs and by asking /proc: the backend's part, for recording.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#include "util/uprobe-stat/core/kevents.h"
#include "tracefs.h"

/* Ask the ioctl about our own text mapping: ENOTTY means the kernel lacks it. */
static bool have_procmap_query(void)
{
	struct procmap_query q;
	bool ok;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.query_addr = (unsigned long)have_procmap_query;
	ok = ioctl(fd, PROCMAP_QUERY, &q) == 0;
	close(fd);
	return ok;
}

void ustat_kevents__discover(struct ustat_kevents *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->tracefs = ustat_tracefs__dir();
	for (i = 0; i < USTAT_KEV_NR; i++)
		s->id[i] = ustat_tracefs__event_id(s->tracefs, ustat_kevent_descs[i].system,
						   ustat_kevent_descs[i].name);
	s->procmap_query = have_procmap_query();
}
