// SPDX-License-Identifier: GPL-2.0
/* The target's CPU time while recorded (target-cpu.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "target-cpu.h"

/* utime + stime of PID in clock ticks (fields 14 and 15), or -1. */
static long long proc_ticks(pid_t pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The comm may hold spaces and parentheses: the fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return ut + st;
}

static long long sum_ticks(const pid_t *pids, int nr)
{
	long long sum = 0, t;
	int i;

	for (i = 0; i < nr; i++) {
		t = proc_ticks(pids[i]);
		if (t < 0)
			return -1;
		sum += t;
	}
	return sum;
}

void ustat_target_cpu__unknown(struct ustat_target_cpu *t, const char *why)
{
	t->have = false;
	snprintf(t->how, sizeof(t->how), "%s", why);
}

void ustat_target_cpu__start(struct ustat_target_cpu *t, const pid_t *pids, int nr)
{
	long long s = nr > 0 ? sum_ticks(pids, nr) : -1;

	memset(t, 0, sizeof(*t));
	if (s < 0) {
		ustat_target_cpu__unknown(t, "the target's /proc/PID/stat could not be read");
		return;
	}
	t->start_ticks = s;
	t->started = true;
}

void ustat_target_cpu__stop(struct ustat_target_cpu *t, const pid_t *pids, int nr)
{
	long long s, hz = sysconf(_SC_CLK_TCK);

	if (!t->started)
		return;
	s = sum_ticks(pids, nr);
	if (s < 0 || hz <= 0 || (u64)s < t->start_ticks) {
		ustat_target_cpu__unknown(t, "a target process ended before the recording did");
		return;
	}
	t->ns = (u64)(s - t->start_ticks) * (1000000000ULL / hz);
	t->have = true;
	snprintf(t->how, sizeof(t->how),
		 "/proc/PID/stat utime+stime, start to stop (%lld Hz ticks)", hz);
}

void ustat_target_cpu__rusage(struct ustat_target_cpu *t, const struct rusage *ru)
{
	memset(t, 0, sizeof(*t));
	t->ns = (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000000ULL +
		(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1000ULL;
	t->have = true;
	snprintf(t->how, sizeof(t->how), "the command's rusage (user + system)");
}

int ustat_target_cpu__meta(const struct ustat_target_cpu *t, struct ustat_meta_buf *m)
{
	if (t->have && ustat_meta__add_u64(m, "target_cpu_ns", t->ns))
		return -1;
	return ustat_meta__add(m, "target_cpu_how", t->how[0] ? t->how : "not measured");
}
