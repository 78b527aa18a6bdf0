// SPDX-License-Identifier: GPL-2.0
/*
 * record -b / top -b: the BPF program of bpf/uprobe-stat.bpf.c loaded with
 * libbpf and attached, as uprobes and uretprobes, to the very sites the
 * probes resolved to (file and offset), per process where the target is
 * a command or -p, so that only the target pays; system-wide only for -a.
 * Built only where libbpf is (HAVE_UPROBE_STAT_BPF, see bpf-record.h).
 */
#ifdef HAVE_UPROBE_STAT_BPF
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>

#include "util/uprobe-stat/util/array.h"
#include "util/uprobe-stat/core/aggregate.h"
#include "bpf-record.h"
#include "bpf-int.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/standalone/record.h"

/* Both count the same buckets: a kernel histogram is one of ours. */
_Static_assert(USTAT_BPF_BUCKETS == USTAT_HIST_BUCKETS, "BPF and user histograms differ");
_Static_assert(sizeof(struct ustat_bpf_hrec) == sizeof(struct ustat_hist),
	       "BPF and user histograms differ");

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && ustat_verbose < 2)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void *ustat_bpf__map_mmap(struct bpf_map *map, size_t *len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t n = (size_t)bpf_map__value_size(map) * bpf_map__max_entries(map);
	void *p;

	n = (n + page - 1) / page * page;
	p = mmap(NULL, n, PROT_READ, MAP_SHARED, bpf_map__fd(map), 0);
	if (p == MAP_FAILED)
		return NULL;
	*len = n;
	return p;
}

/* Entry and return probes of one function become a pair: its latency. */
static int find_pairs(struct ustat_bpf *b, const struct record *rec)
{
	int i, j;

	b->site_pair = malloc(rec->nr_probes * sizeof(int));
	b->pair_entry = malloc(rec->nr_probes * sizeof(int));
	b->pair_kind = malloc(rec->nr_probes * sizeof(*b->pair_kind));
	if (!b->site_pair || !b->pair_entry || !b->pair_kind)
		return -ENOMEM;
	for (i = 0; i < rec->nr_probes; i++)
		b->site_pair[i] = -1;
	for (i = 0; i < rec->nr_probes; i++) {
		const struct ustat_probe *e = &rec->probes[i];

		if (e->spec.is_return || e->func_offset || b->site_pair[i] >= 0)
			continue;
		for (j = 0; j < rec->nr_probes; j++) {
			const struct ustat_probe *r = &rec->probes[j];

			if (!r->spec.is_return || b->site_pair[j] >= 0 || r->offset != e->offset ||
			    strcmp(r->path, e->path))
				continue;
			b->site_pair[i] = b->site_pair[j] = b->nr_pairs;
			b->pair_entry[b->nr_pairs] = i;
			b->pair_kind[b->nr_pairs] = ustat_calib__probe_kind(e->path, e->offset);
			b->nr_pairs++;
			break;
		}
	}
	return 0;
}

/* Open the skeleton sized for this recording and load it. */
int ustat_bpf__load(struct ustat_bpf *b, bool per_proc, char *why, size_t len)
{
	struct uprobe_stat_bpf *skel;
	int cpus = libbpf_num_possible_cpus(), ret;
	u32 pairs = b->nr_pairs ? b->nr_pairs : 1;

	libbpf_set_print(ustat_verbose ? libbpf_print : NULL);
	if (cpus <= 0) {
		snprintf(why, len, "cannot count the possible CPUs");
		return -EINVAL;
	}
	b->nr_cpus = cpus;
	b->stride = (b->nr_sites + 7) & ~7U;
	if ((u64)cpus * pairs * sizeof(struct ustat_bpf_hrec) > (256ULL << 20)) {
		snprintf(why, len,
			 "%u latency pairs on %d CPUs need more than 256 MiB of histograms",
			 pairs, cpus);
		return -E2BIG;
	}
	skel = uprobe_stat_bpf__open();
	if (!skel) {
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return -errno;
	}
	b->skel = skel;
	skel->rodata->nr_cpus = cpus;
	skel->rodata->hit_stride = b->stride;
	skel->rodata->nr_pairs = pairs;
	skel->rodata->per_proc = per_proc;
	b->per_proc = per_proc;
	if (bpf_map__set_max_entries(skel->maps.hits, cpus * b->stride) ||
	    bpf_map__set_max_entries(skel->maps.lat, cpus * pairs) ||
	    bpf_map__set_max_entries(skel->maps.misc, cpus * USTAT_BPF_MISC_SLOTS) ||
	    (!per_proc && bpf_map__set_max_entries(skel->maps.procs, 1)) ||
	    (!b->nr_pairs && bpf_map__set_max_entries(skel->maps.starts, 1))) {
		snprintf(why, len, "cannot size the BPF maps");
		return -EINVAL;
	}
	ret = uprobe_stat_bpf__load(skel);
	if (ret) {
		ret = ret < 0 ? -ret : errno;
		if (ret == EPERM || ret == EACCES)
			snprintf(why, len,
				 "loading the BPF program needs CAP_BPF and CAP_PERFMON (%s)",
				 strerror(ret));
		else
			snprintf(why, len, "the kernel refused the BPF program: %s", strerror(ret));
		return -ret;
	}
	b->hits = ustat_bpf__map_mmap(skel->maps.hits, &b->hits_len);
	b->lat = ustat_bpf__map_mmap(skel->maps.lat, &b->lat_len);
	b->misc = ustat_bpf__map_mmap(skel->maps.misc, &b->misc_len);
	if (!b->hits || !b->lat || !b->misc) {
		snprintf(why, len, "cannot map the BPF arrays: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* Attach site SITE at PATH+OFFSET for PID (-1: every process). */
int ustat_bpf__attach_site(struct ustat_bpf *b, int site, int pair, bool is_return,
			   const char *path, u64 offset, u64 ref_ctr, pid_t pid)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o);
	struct bpf_link *link;

	o.retprobe = is_return;
	o.ref_ctr_offset = ref_ctr;
	o.bpf_cookie = (u64)site | (u64)(pair + 1) << USTAT_BPF_PAIR_SHIFT |
		       (is_return ? USTAT_BPF_RETURN : 0);
	if (ustat_array_grow(b->links, b->cap_links, b->nr_links + 1))
		return -ENOMEM;
	link = bpf_program__attach_uprobe_opts(b->skel->progs.ustat_hit, pid, path, offset, &o);
	if (!link)
		return -errno;
	b->links[b->nr_links++] = link;
	return 0;
}

void ustat_bpf__detach(struct ustat_bpf *b)
{
	while (b->nr_links > 0)
		bpf_link__destroy(b->links[--b->nr_links]);
	free(b->links);
	b->links = NULL;
	/* the calibration attaches again after a detach: grow from nothing */
	b->cap_links = 0;
}

void ustat_bpf__free(struct ustat_bpf *b)
{
	if (!b)
		return;
	ustat_bpf__detach(b);
	if (b->hits)
		munmap(b->hits, b->hits_len);
	if (b->lat)
		munmap((void *)b->lat, b->lat_len);
	if (b->misc)
		munmap(b->misc, b->misc_len);
	uprobe_stat_bpf__destroy(b->skel);
	free(b->site_pair);
	free(b->pair_entry);
	free(b->pair_kind);
	free(b->seen);
	free(b);
}

void record__bpf_prepare(struct record *rec)
{
	struct ustat_bpf *b = calloc(1, sizeof(*b));
	char why[512] = "out of memory";
	bool per_proc = rec->target == TARGET_SYSTEM || rec->nr_target_pids > 1;

	if (!b)
		goto fail;
	b->nr_sites = rec->nr_probes;
	if (rec->nr_probes > USTAT_BPF_MAX_SITES) {
		snprintf(why, sizeof(why), "more than %d probe sites", USTAT_BPF_MAX_SITES);
		goto fail;
	}
	/* For tests only: a machine where BPF cannot load, on one where it can. */
	if (getenv("USTAT_TEST_NO_BPF")) {
		snprintf(why, sizeof(why), "%s", getenv("USTAT_TEST_NO_BPF"));
		goto fail;
	}
	if (find_pairs(b, rec) || ustat_bpf__load(b, per_proc, why, sizeof(why)))
		goto fail;
	b->seen = calloc((size_t)b->nr_cpus * b->stride, sizeof(u64));
	if (!b->seen)
		goto fail;
	/* The probe's own cost, to take out of the latencies. */
	if (b->nr_pairs)
		ustat_bpf_calib__get(&b->calib);
	rec->bpf = b;
	/* The kernel signals are tracepoint samples: not what -b is for. */
	rec->no_kevents = true;
	return;
fail:
	ustat_bpf__free(b);
	rec->use_bpf = false;
	ustat_warn("-b: %s: counting with perf samples instead", why);
}

int record__bpf_attach(struct record *rec, char *err, size_t errlen)
{
	struct ustat_bpf *b = rec->bpf;
	pid_t all = -1, *pids = &all;
	int nr = 1, i, j, ret;

	if (rec->target == TARGET_CMD) {
		pids = &rec->workload.pid;
	} else if (rec->target == TARGET_PID) {
		pids = rec->target_pids;
		nr = rec->nr_target_pids;
	}
	/* The rest of the recorder runs on an evlist with no event in it. */
	rec->attach = rec->target == TARGET_SYSTEM ? ATTACH_SYSTEM : ATTACH_TASK;
	rec->cpus = perf_cpu_map__new_online_cpus();
	rec->evlist = perf_evlist__new();
	if (!rec->cpus || !rec->evlist) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < rec->nr_probes; i++) {
		const struct ustat_probe *p = &rec->probes[i];

		for (j = 0; j < nr; j++) {
			ret = ustat_bpf__attach_site(b, i, b->site_pair[i], p->spec.is_return,
						     p->path, p->offset, p->ref_ctr_offset,
						     pids[j]);
			if (ret) {
				snprintf(err, errlen, "cannot attach probe '%s' with BPF: %s",
					 p->display, strerror(-ret));
				return ret;
			}
		}
	}
	ustat_debug("BPF: %d links, %d sites, %d pairs, %u CPUs", b->nr_links, b->nr_sites,
		    b->nr_pairs, b->nr_cpus);
	return 0;
}

void record__bpf_detach(struct record *rec)
{
	if (rec->bpf)
		ustat_bpf__detach(rec->bpf);
}

void record__bpf_close(struct record *rec)
{
	ustat_bpf__free(rec->bpf);
	rec->bpf = NULL;
}

int record__bpf_update(struct record *rec, struct ustat_agg *agg)
{
	struct ustat_bpf *b = rec->bpf;
	u32 cpu;
	int i;

	if (!b)
		return 0;
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		for (i = 0; i < b->nr_sites; i++) {
			size_t k = (size_t)cpu * b->stride + i;
			u64 now = READ_ONCE(b->hits[k]);

			if (now == b->seen[k])
				continue;
			if (ustat_agg__add_hits(agg, i, cpu, now - b->seen[k]))
				return -ENOMEM;
			b->seen[k] = now;
		}
	}
	/* The kernel's histograms are totals: the aggregation's are made anew. */
	for (i = 0; i < b->nr_pairs; i++) {
		struct ustat_hist *h = agg->probes[b->pair_entry[i]].lat;

		if (!h)
			continue;
		ustat_hist__init(h);
		for (cpu = 0; cpu < b->nr_cpus; cpu++)
			ustat_hist__merge(h, (const struct ustat_hist *)
					  &b->lat[(size_t)cpu * b->skel->rodata->nr_pairs + i]);
	}
	return 0;
}
#endif /* HAVE_UPROBE_STAT_BPF */
