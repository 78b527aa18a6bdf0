// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration the cost model builds on: bench's kinds, run briefly on
 * one thread, counted and sampled, kept per kernel release and boot (a
 * reboot may change the kernel's paths, mitigations and clock).
 */
#include <errno.h>
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
	if (ustat_meta__add(m, "load", val) || ustat_meta__add(m, "origin", c->origin))
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
	return c->valid ? 0 : -EINVAL;
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

static void save_cache(const struct ustat_calib *c, const char *dir, const char *file)
{
	char *rec = NULL;

	if (ustat_calib__to_meta(c, &rec))
		return;
	ustat_calib__save_line(rec, dir, file);
	free(rec);
}

void ustat_calib__save_line(const char *rec, const char *dir, const char *file)
{
	char tmp[PATH_MAX + 48], parent[PATH_MAX];
	char *slash;
	FILE *f;

	/* $XDG_CACHE_HOME or ~/.cache may not exist yet: one level up too. */
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) && errno != EEXIST)
			return;
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%d", file, (int)getpid());
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", rec);
		/* Rename: a concurrent reader sees the old file or the new, whole. */
		if (fclose(f) || rename(tmp, file))
			unlink(tmp);
	}
}

static int run_kinds(struct bench *b, enum ustat_calib_mode mode, struct ustat_calib *c,
		     char *err, size_t errlen)
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

		if (!r->ran || r->rate.mean <= 0 || (k != BENCH_BASE && !r->have_base))
			continue;
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

int ustat_calib__measure(struct ustat_calib *c, char *err, size_t errlen)
{
	struct bench_result results[BENCH_NR_KINDS];
	int threads[1] = { 1 };
	struct bench b;
	int ret, mode;

	memset(c, 0, sizeof(*c));
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
		ret = run_kinds(&b, mode, c, err, errlen);
	c->load = b.env.loadavg;
	bench_env__exit(&b.env);
	if (ret)
		return ret;
	ustat_calib__read_boot(c->release, sizeof(c->release), c->boot_id, sizeof(c->boot_id));
	c->when = time(NULL);
	c->valid = c->e[USTAT_CALIB_COUNT][BENCH_INT3].have;
	if (!c->valid) {
		snprintf(err, errlen,
			 "the calibration could not probe its own functions (no uprobe PMU, or not x86-64)");
		return -EOPNOTSUPP;
	}
	snprintf(c->origin, sizeof(c->origin), "measured now");
	return 0;
}

int ustat_calib__get(struct ustat_calib *c, bool may_run, char *err, size_t errlen)
{
	char dir[PATH_MAX], file[PATH_MAX + 16];
	bool have_dir = !ustat_calib__cache_dir(dir, sizeof(dir));
	int ret;

	if (have_dir) {
		snprintf(file, sizeof(file), "%s/calibration", dir);
		if (!load_cache(c, file)) {
			snprintf(c->origin, sizeof(c->origin), "cached in %s", file);
			return 0;
		}
	}
	if (!may_run) {
		snprintf(err, errlen, "no calibration for this boot (record --dry-run makes one)");
		return -ENOENT;
	}
	fprintf(stderr,
		"[ uprobe-stat: calibrating the cost of a hit (bench, about 5 s, once per boot) ]\n");
	ret = ustat_calib__measure(c, err, errlen);
	if (ret)
		return ret;
	if (have_dir) {
		save_cache(c, dir, file);
		snprintf(c->origin, sizeof(c->origin), "measured now, cached in %s", file);
	}
	return 0;
}
