// SPDX-License-Identifier: GPL-2.0
/*
 * The one calibration (calibration.h): the cost model's part, bench's
 * kinds run briefly on one thread, counted and sampled, measured here; -b's
 * part measured by src/bpf/bpf-calib.c; both kept in one record per kernel
 * release and boot (a reboot may change the kernel's paths, mitigations
 * and clock).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calibration.h"
#include "util/uprobe-stat/util/debug.h"
#include "util/uprobe-stat/core/meta.h"

static const char * const mode_names[USTAT_CALIB_NR_MODES] = { "count", "record" };

/* Short: the whole calibration is about 2 x 5 x 3 x 0.25 s. */
#define CALIB_DURATION	0.2
#define CALIB_WARMUP	0.05
#define CALIB_REPEAT	3
#define CALIB_PAGES	256

const struct ustat_calib_entry *ustat_calib__entry(const struct ustat_calib *c,
						   enum ustat_calib_mode m, enum bench_kind k)
{
	if (!c || !c->valid || m >= USTAT_CALIB_NR_MODES || k >= BENCH_NR_KINDS ||
	    !c->e[m][k].have)
		return NULL;
	return &c->e[m][k];
}

void ustat_calib__read_boot(char *release, size_t rlen, char *boot_id, size_t blen)
{
	FILE *f;

	release[0] = boot_id[0] = '\0';
	f = fopen("/proc/sys/kernel/osrelease", "r");
	if (f) {
		if (!fgets(release, rlen, f))
			release[0] = '\0';
		fclose(f);
	}
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (f) {
		if (!fgets(boot_id, blen, f))
			boot_id[0] = '\0';
		fclose(f);
	}
	release[strcspn(release, "\n")] = '\0';
	boot_id[strcspn(boot_id, "\n")] = '\0';
}

int ustat_calib__cache_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(buf, len, "%s/uprobe-stat", xdg);
	else if (!geteuid())
		snprintf(buf, len, "/var/cache/uprobe-stat");
	else if (home && *home)
		snprintf(buf, len, "%s/.cache/uprobe-stat", home);
	else
		return -ENOENT;
	return 0;
}

int ustat_calib__to_meta_buf(const struct ustat_calib *c, struct ustat_meta_buf *m)
{
	char key[32], val[64];
	int mode, k;

	if (ustat_meta__begin(m, "calibration") ||
	    ustat_meta__add(m, "release", c->release) ||
	    ustat_meta__add(m, "boot_id", c->boot_id) ||
	    ustat_meta__add_u64(m, "when", c->when))
		return -ENOMEM;
	snprintf(val, sizeof(val), "%.2f", c->load);
	if (ustat_meta__add(m, "load", val) || ustat_meta__add(m, "origin", c->origin) ||
	    (c->cpu_clock && ustat_meta__add(m, "clock", "thread_cpu")))
		return -ENOMEM;
	for (mode = 0; mode < USTAT_CALIB_NR_MODES; mode++) {
		for (k = 0; k < BENCH_NR_KINDS; k++) {
			if (!c->e[mode][k].have)
				continue;
			snprintf(key, sizeof(key), "%s.%s", bench_kinds[k].name, mode_names[mode]);
			snprintf(val, sizeof(val), "%.1f/%.1f", c->e[mode][k].ns, c->e[mode][k].sd);
			if (ustat_meta__add(m, key, val))
				return -ENOMEM;
		}
	}
	if (!c->have_bpf)
		return 0;
	if (ustat_meta__add_u64(m, "bpf_format", c->bpf_format) ||
	    ustat_meta__add(m, "bpf_origin", c->bpf_origin))
		return -ENOMEM;
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		const struct ustat_calib_lat *l = &c->bpf[k];

		if (!l->have)
			continue;
		snprintf(key, sizeof(key), "%s.bpf", bench_kinds[k].name);
		snprintf(val, sizeof(val), "%llu,%llu,%llu", l->p50, l->p10, l->p90);
		if (ustat_meta__add(m, key, val))
			return -ENOMEM;
	}
	return 0;
}

int ustat_calib__to_meta(const struct ustat_calib *c, char **out)
{
	struct ustat_meta_buf m = { 0 };

	if (ustat_calib__to_meta_buf(c, &m)) {
		ustat_meta__free(&m);
		return -ENOMEM;
	}
	*out = m.s;
	return 0;
}

int ustat_calib__from_meta(struct ustat_calib *c, const char *rec)
{
	char key[32], val[64];
	unsigned long long when = 0;
	int mode, k, n = 0;

	memset(c, 0, sizeof(*c));
	if (!ustat_meta__is(rec, "calibration"))
		return -EINVAL;
	ustat_meta__get(rec, "release", c->release, sizeof(c->release));
	ustat_meta__get(rec, "boot_id", c->boot_id, sizeof(c->boot_id));
	ustat_meta__get(rec, "origin", c->origin, sizeof(c->origin));
	if (!ustat_meta__get_u64(rec, "when", &when))
		c->when = when;
	if (ustat_meta__get(rec, "load", val, sizeof(val)) > 0)
		c->load = strtod(val, NULL);
	c->cpu_clock = ustat_meta__get(rec, "clock", val, sizeof(val)) > 0 &&
		       !strcmp(val, "thread_cpu");
	for (mode = 0; mode < USTAT_CALIB_NR_MODES; mode++) {
		for (k = 0; k < BENCH_NR_KINDS; k++) {
			struct ustat_calib_entry *e = &c->e[mode][k];

			snprintf(key, sizeof(key), "%s.%s", bench_kinds[k].name, mode_names[mode]);
			if (ustat_meta__get(rec, key, val, sizeof(val)) <= 0 ||
			    sscanf(val, "%lf/%lf", &e->ns, &e->sd) != 2)
				continue;
			e->have = true;
			n++;
		}
	}
	c->valid = n > 0;
	n = 0;
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		struct ustat_calib_lat *l = &c->bpf[k];

		snprintf(key, sizeof(key), "%s.bpf", bench_kinds[k].name);
		if (ustat_meta__get(rec, key, val, sizeof(val)) <= 0 ||
		    sscanf(val, "%llu,%llu,%llu", &l->p50, &l->p10, &l->p90) != 3)
			continue;
		l->have = true;
		n++;
	}
	if (n && !ustat_meta__get_u64(rec, "bpf_format", &when)) {
		c->bpf_format = when;
		c->have_bpf = true;
		ustat_meta__get(rec, "bpf_origin", c->bpf_origin, sizeof(c->bpf_origin));
	}
	return c->valid || c->have_bpf ? 0 : -EINVAL;
}

static int load_cache(struct ustat_calib *c, const char *file)
{
	char release[65], boot_id[64], *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(file, "r");
	int ret = -ENOENT;

	if (!f)
		return -ENOENT;
	if (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		ret = ustat_calib__from_meta(c, line);
	}
	fclose(f);
	free(line);
	ustat_calib__read_boot(release, sizeof(release), boot_id, sizeof(boot_id));
	/* Another kernel or another boot: measure again. */
	if (!ret && (strcmp(release, c->release) || strcmp(boot_id, c->boot_id)))
		ret = -ESTALE;
	return ret;
}

static int save_cache(const struct ustat_calib *c, const char *dir, const char *file)
{
	char *rec = NULL;
	int ret;

	if (ustat_calib__to_meta(c, &rec))
		return -ENOMEM;
	ret = ustat_calib__save_line(rec, dir, file);
	free(rec);
	return ret;
}

int ustat_calib__save_line(const char *rec, const char *dir, const char *file)
{
	char tmp[PATH_MAX + 48], parent[PATH_MAX];
	char *slash;
	int ret = -EIO;
	FILE *f;

	/* $XDG_CACHE_HOME or ~/.cache may not exist yet: one level up too. */
	snprintf(parent, sizeof(parent), "%.*s", PATH_MAX - 1, dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) && errno != EEXIST)
			return -errno;
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(tmp, sizeof(tmp), "%.*s.%d", PATH_MAX + 16, file, (int)getpid());
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", rec);
		/* Rename: a concurrent reader sees the old file or the new, whole. */
		if (fclose(f) || rename(tmp, file))
			unlink(tmp);
		else
			ret = 0;
	}
	return ret;
}

/* The mean CPU ns a call over R's repeats, and their spread; -ENODATA without. */
static int cpu_per_call(const struct bench_result *r, double *mean, double *sd)
{
	double sum = 0, sum2 = 0, x;
	unsigned int i, n = 0;

	for (i = 0; i < r->nr_repeats; i++) {
		const struct bench_repeat *rep = &r->repeats[i];

		if (!rep->timed || !rep->timed_cpu_ns)
			continue;
		x = (double)rep->timed_cpu_ns / rep->timed;
		sum += x;
		sum2 += x * x;
		n++;
	}
	if (!n)
		return -ENODATA;
	*mean = sum / n;
	*sd = n > 1 ? sqrt(fmax(0, (sum2 - sum * sum / n) / (n - 1))) : 0;
	return 0;
}

/* MODE's figures into C; *CPU_ALL cleared when one had to be wall time. */
static int run_kinds(struct bench *b, enum ustat_calib_mode mode, struct ustat_calib *c,
		     bool *cpu_all, char *err, size_t errlen)
{
	int k, ret = 0;

	b->opts.record = mode == USTAT_CALIB_RECORD;
	for (k = 0; k < BENCH_NR_KINDS && !ret; k++) {
		b->results[k].kind = k;
		b->results[k].nr_threads = 1;
		ret = bench_run(b, &b->results[k], err, errlen);
	}
	for (k = 0; k < BENCH_NR_KINDS; k++)
		bench_result__summarise(&b->results[k], &b->results[BENCH_BASE]);
	for (k = 0; !ret && k < BENCH_NR_KINDS; k++) {
		struct bench_result *r = &b->results[k];
		struct ustat_calib_entry *e = &c->e[mode][k];
		double cpu, sd, base_cpu, base_sd;

		if (!r->ran || r->rate.mean <= 0 || (k != BENCH_BASE && !r->have_base))
			continue;
		/*
		 * The thread's CPU time a call, not wall time: what the target
		 * pays, whatever else the machine runs meanwhile.
		 */
		if (!cpu_per_call(r, &cpu, &sd) &&
		    !cpu_per_call(&b->results[BENCH_BASE], &base_cpu, &base_sd)) {
			e->ns = k == BENCH_BASE ? cpu : cpu - base_cpu;
			e->sd = sd;
			e->have = true;
			continue;
		}
		*cpu_all = false;
		e->ns = k == BENCH_BASE ? r->ns_per_hit : r->ns_above_base;
		/* ns per hit is 1e9 / rate: its relative spread is the rate's. */
		e->sd = r->ns_per_hit * r->rate.stddev / r->rate.mean;
		e->have = true;
	}
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		bench_result__exit(&b->results[k]);
		memset(&b->results[k], 0, sizeof(b->results[k]));
	}
	return ret;
}

/* The cost part into C, the rest of C left as it is. */
static int measure_cost(struct ustat_calib *c, char *err, size_t errlen)
{
	struct bench_result results[BENCH_NR_KINDS];
	int threads[1] = { 1 };
	struct bench b;
	bool cpu_all = true;
	int ret, mode;

	memset(c->e, 0, sizeof(c->e));
	c->valid = false;
	memset(&b, 0, sizeof(b));
	memset(results, 0, sizeof(results));
	b.opts.threads = threads;
	b.opts.nr_threads = 1;
	b.opts.duration = CALIB_DURATION;
	b.opts.warmup = CALIB_WARMUP;
	b.opts.repeat = CALIB_REPEAT;
	b.opts.mmap_pages = CALIB_PAGES;
	b.results = results;
	b.nr_results = BENCH_NR_KINDS;
	ret = bench_env__discover(&b.env, err, errlen);
	for (mode = 0; !ret && mode < USTAT_CALIB_NR_MODES; mode++)
		ret = run_kinds(&b, mode, c, &cpu_all, err, errlen);
	c->load = b.env.loadavg;
	bench_env__exit(&b.env);
	if (ret)
		return ret;
	c->when = time(NULL);
	c->valid = c->e[USTAT_CALIB_COUNT][BENCH_INT3].have;
	c->cpu_clock = cpu_all;
	if (!c->valid) {
		snprintf(err, errlen,
			 "the calibration could not probe its own functions (no uprobe PMU, or not x86-64)");
		return -EOPNOTSUPP;
	}
	snprintf(c->origin, sizeof(c->origin), "measured now, thread CPU time a call");
	return 0;
}

int ustat_calib__measure(struct ustat_calib *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	ustat_calib__read_boot(c->release, sizeof(c->release), c->boot_id, sizeof(c->boot_id));
	return measure_cost(c, err, errlen);
}

struct cache_loc {
	char	dir[PATH_MAX];
	char	file[PATH_MAX + 16];
};

/* Where the cache may be: the user's cache directory, else /tmp's. */
static int cache_locs(struct cache_loc *l)
{
	int n = 0;

	if (!ustat_calib__cache_dir(l[n].dir, sizeof(l[n].dir)))
		n++;
	snprintf(l[n++].dir, sizeof(l[0].dir), "/tmp/uprobe-stat");
	for (int i = 0; i < n; i++)
		snprintf(l[i].file, sizeof(l[i].file), "%.*s/calibration", PATH_MAX - 16, l[i].dir);
	return n;
}

/* This boot's cached record: 0 and its index in FILES, else -errno. */
static int load_any(struct ustat_calib *c, const struct cache_loc *l, int n, int *which)
{
	int i, ret = -ENOENT;

	for (i = 0; i < n; i++) {
		ret = load_cache(c, l[i].file);
		if (!ret) {
			*which = i;
			return 0;
		}
	}
	return ret;
}

/* C, with the part just measured, into the first cache that takes it. */
static const char *save_any(const struct ustat_calib *c, const struct cache_loc *l, int n)
{
	for (int i = 0; i < n; i++)
		if (!save_cache(c, l[i].dir, l[i].file))
			return l[i].file;
	return NULL;
}

/*
 * BPF's part (or the cost part) from the cache, else measured: the other
 * part found in the cache is kept, so that one record holds both.
 */
static int calib_get(struct ustat_calib *c, bool bpf, int format, ustat_calib_bpf_fn measure,
		     void *arg, bool may_run, char *err, size_t errlen)
{
	struct cache_loc l[2];
	int n = cache_locs(l), which = 0, ret;
	const char *saved;
	bool cached = !load_any(c, l, n, &which);

	/* A cost part of wall-time figures (an older tool's) is measured again. */
	if (cached && (bpf ? c->have_bpf && c->bpf_format == format : c->valid && c->cpu_clock)) {
		const char *f = l[which].file;

		if (bpf)
			snprintf(c->bpf_origin, sizeof(c->bpf_origin), "cached %.*s", PATH_MAX, f);
		else
			snprintf(c->origin, sizeof(c->origin), "cached in %.*s", PATH_MAX, f);
		return 0;
	}
	if (!cached) {
		memset(c, 0, sizeof(*c));
		ustat_calib__read_boot(c->release, sizeof(c->release), c->boot_id,
				       sizeof(c->boot_id));
	}
	if (!may_run) {
		snprintf(err, errlen, "no calibration for this boot (record --dry-run makes one)");
		return -ENOENT;
	}
	if (bpf) {
		memset(c->bpf, 0, sizeof(c->bpf));
		c->have_bpf = false;
		ret = measure(c, arg);
		if (ret)
			return ret;
		c->bpf_format = format;
		c->have_bpf = true;
		snprintf(c->bpf_origin, sizeof(c->bpf_origin), "measured at start");
	} else {
		fprintf(stderr,
			"[ uprobe-stat: calibrating the cost of a hit (bench, about 5 s, once per boot) ]\n");
		ret = measure_cost(c, err, errlen);
		if (ret)
			return ret;
	}
	saved = save_any(c, l, n);
	if (saved && !bpf)
		snprintf(c->origin, sizeof(c->origin),
			 "measured now (thread CPU time a call), cached in %.*s", PATH_MAX, saved);
	return 0;
}

int ustat_calib__get(struct ustat_calib *c, bool may_run, char *err, size_t errlen)
{
	return calib_get(c, false, 0, NULL, NULL, may_run, err, errlen);
}

int ustat_calib__get_bpf(struct ustat_calib *c, int format, ustat_calib_bpf_fn measure,
			 void *arg)
{
	char err[8];

	return calib_get(c, true, format, measure, arg, true, err, sizeof(err));
}
