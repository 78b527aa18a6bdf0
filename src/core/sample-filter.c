// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <subcmd/parse-options.h>

#include "util/uprobe-stat/util/array.h"
#include "sample-filter.h"

/* "1,5,7-9": each number (+ 1: 0 is a valid CPU) into M. */
static int parse_list(struct ustat_map *m, const char *opt, const char *str, bool ranges,
		      char *err, size_t errlen)
{
	const char *p = str;

	while (*p) {
		unsigned long a, b;
		char *end;

		errno = 0;
		a = strtoul(p, &end, 10);
		b = a;
		if (ranges && end != p && *end == '-')
			b = strtoul(end + 1, &end, 10);
		if (errno || end == p || !isdigit((unsigned char)*p) || b < a || b > INT_MAX ||
		    (*end && *end != ',')) {
			snprintf(err, errlen, "--%s %s: not a list of numbers%s", opt, str,
				 ranges ? " or ranges (0-3,5)" : "");
			return -EINVAL;
		}
		for (; a <= b; a++)
			if (ustat_map__put_num(m, a + 1, 1))
				return -ENOMEM;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* "12.5" seconds [S, E) as exact nanoseconds: a double would lose the last one. */
static int parse_ns(const char *s, const char *e, u64 *ns)
{
	u64 sec = 0, frac = 0, scale = 1000000000ULL;
	const char *p = s;

	if (p == e)
		return -EINVAL;
	for (; p < e && isdigit((unsigned char)*p); p++)
		sec = sec * 10 + (*p - '0');
	if (p < e && *p == '.')
		for (p++; p < e && isdigit((unsigned char)*p); p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	if (p != e || sec > 18000000000ULL)
		return -EINVAL;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

static int parse_time(struct ustat_sample_filter *f, char *err, size_t errlen)
{
	const char *comma = strchr(f->time_str, ',');

	if (!comma)
		goto bad;
	f->start = 0;
	f->end = 0;
	if (comma != f->time_str && parse_ns(f->time_str, comma, &f->start))
		goto bad;
	if (comma[1] && (parse_ns(comma + 1, comma + strlen(comma), &f->end) ||
			 f->end < f->start))
		goto bad;
	return 0;
bad:
	snprintf(err, errlen,
		 "--time %s: want START,END in seconds as script prints them (either may be left out)",
		 f->time_str);
	return -EINVAL;
}

static int parse_comms(struct ustat_sample_filter *f)
{
	char *copy = strdup(f->comm_str), *tok, *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (ustat_array_grow(f->comms, f->comms_cap, f->nr_comms + 1))
			goto nomem;
		f->comms[f->nr_comms] = strdup(tok);
		if (!f->comms[f->nr_comms])
			goto nomem;
		f->nr_comms++;
	}
	free(copy);
	return 0;
nomem:
	free(copy);
	return -ENOMEM;
}

/* One report or script a process: the option strings can live here. */
static struct ustat_sample_filter opts;

const struct option ustat_sample_filter_options[] = {
	OPT_STRING(0, "pid", &opts.pid_str, "pid[,pid]", "only samples of these processes"),
	OPT_STRING(0, "tid", &opts.tid_str, "tid[,tid]", "only samples of these threads"),
	OPT_STRING(0, "comms", &opts.comm_str, "comm[,comm]", "only samples of threads so named"),
	OPT_STRING(0, "comm", &opts.comm_str, "comm[,comm]", "the same as --comms"),
	OPT_STRING('C', "cpu", &opts.cpu_str, "cpu[,cpu]", "only samples on these CPUs (0-3,5)"),
	OPT_STRING(0, "time", &opts.time_str, "start,end", "only samples in this time span (s)"),
	OPT_END()
};

int ustat_sample_filter__init(struct ustat_sample_filter *f, char *err, size_t errlen)
{
	int ret = 0;

	if (!f->pid_str && !f->tid_str && !f->comm_str && !f->cpu_str && !f->time_str) {
		f->pid_str = opts.pid_str;
		f->tid_str = opts.tid_str;
		f->comm_str = opts.comm_str;
		f->cpu_str = opts.cpu_str;
		f->time_str = opts.time_str;
	}
	ustat_map__init(&f->pids);
	ustat_map__init(&f->tids);
	ustat_map__init(&f->cpus);
	ustat_map__init(&f->names);
	f->active = f->pid_str || f->tid_str || f->comm_str || f->cpu_str || f->time_str;
	if (f->pid_str)
		ret = parse_list(&f->pids, "pid", f->pid_str, false, err, errlen);
	if (!ret && f->tid_str)
		ret = parse_list(&f->tids, "tid", f->tid_str, false, err, errlen);
	if (!ret && f->cpu_str)
		ret = parse_list(&f->cpus, "cpu", f->cpu_str, true, err, errlen);
	if (!ret && f->time_str)
		ret = parse_time(f, err, errlen);
	if (!ret && f->comm_str)
		ret = parse_comms(f);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}

void ustat_sample_filter__exit(struct ustat_sample_filter *f)
{
	void *name;
	u32 i;
	int j;

	ustat_map__for_each_val(&f->names, i, name)
		free(name);
	ustat_map__exit(&f->names);
	ustat_map__exit(&f->pids);
	ustat_map__exit(&f->tids);
	ustat_map__exit(&f->cpus);
	for (j = 0; j < f->nr_comms; j++)
		free(f->comms[j]);
	free(f->comms);
	f->comms = NULL;
	f->nr_comms = f->comms_cap = 0;
}

int ustat_sample_filter__comm(struct ustat_sample_filter *f, u32 tid, const char *comm)
{
	char *name = strndup(comm, 16);
	void *old = ustat_map__get(&f->names, tid);

	if (!name || ustat_map__put(&f->names, tid, name)) {
		free(name);
		return -ENOMEM;
	}
	free(old);
	return 0;
}

const char *ustat_sample_filter__name(const struct ustat_sample_filter *f, u32 pid, u32 tid)
{
	const char *name = ustat_map__get(&f->names, tid);

	return name ? name : ustat_map__get(&f->names, pid);
}

bool ustat_sample_filter__keep_cpu(const struct ustat_sample_filter *f, u32 cpu)
{
	if (!f->active)
		return true;
	if (f->pid_str || f->tid_str || f->comm_str || f->time_str)
		return false;
	return !f->cpu_str || ustat_map__get_num(&f->cpus, (u64)cpu + 1);
}

bool ustat_sample_filter__keep(const struct ustat_sample_filter *f, const struct ustat_sample *s)
{
	const char *name;
	int i;

	if (!f->active)
		return true;
	if (f->pid_str && !ustat_map__get_num(&f->pids, (u64)s->pid + 1))
		return false;
	if (f->tid_str && !ustat_map__get_num(&f->tids, (u64)s->tid + 1))
		return false;
	if (f->cpu_str && !ustat_map__get_num(&f->cpus, (u64)s->cpu + 1))
		return false;
	if (f->time_str && (s->time < f->start || (f->end && s->time > f->end)))
		return false;
	if (!f->comm_str)
		return true;
	name = ustat_sample_filter__name(f, s->pid, s->tid);
	for (i = 0; name && i < f->nr_comms; i++)
		if (!strcmp(name, f->comms[i]))
			return true;
	return false;
}
