// SPDX-License-Identifier: GPL-2.0
/*
 * The observer shift's record (observer.h): to and from one metadata
 * line, cached per kernel release and boot as the calibration is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration.h"
#include "observer.h"
#include "util/uprobe-stat/core/meta.h"

const char *const ustat_obs_names[USTAT_OBS_NR] = { "lookups_fallback", "spec_fail" };
static const char *const mode_names[USTAT_OBS_NR_MODES] = { "counted", "recorded" };

static int add_rate(struct ustat_meta_buf *m, const char *key, const struct ustat_obs_rate *r)
{
	char val[96];

	snprintf(val, sizeof(val), "%.4f/%.4f/%.4f", r->med, r->lo, r->hi);
	return ustat_meta__add(m, key, val);
}

int ustat_observer__to_meta(const struct ustat_observer *o, char **out)
{
	struct ustat_meta_buf m = { 0 };
	char key[64], val[64];
	int mode, s;

	*out = NULL;
	snprintf(val, sizeof(val), "%.3f", o->duration);
	if (ustat_meta__begin(&m, "observer") || ustat_meta__add(&m, "release", o->release) ||
	    ustat_meta__add(&m, "boot_id", o->boot_id) ||
	    ustat_meta__add_u64(&m, "when", o->when) ||
	    ustat_meta__add_u64(&m, "repeat", o->repeat) ||
	    ustat_meta__add(&m, "duration", val) ||
	    ustat_meta__add_u64(&m, "lost", o->lost) ||
	    ustat_meta__add(&m, "origin", o->origin))
		goto nomem;
	for (mode = 0; mode < USTAT_OBS_NR_MODES; mode++) {
		snprintf(key, sizeof(key), "hits.%s", mode_names[mode]);
		if (ustat_meta__add_u64(&m, key, o->hits[mode]))
			goto nomem;
		snprintf(key, sizeof(key), "churn.%s", mode_names[mode]);
		if (add_rate(&m, key, &o->churn[mode]))
			goto nomem;
		for (s = 0; s < USTAT_OBS_NR; s++) {
			snprintf(key, sizeof(key), "%s.%s", ustat_obs_names[s], mode_names[mode]);
			if (add_rate(&m, key, &o->rate[mode][s]))
				goto nomem;
		}
	}
	*out = m.s;
	return 0;
nomem:
	ustat_meta__free(&m);
	return -ENOMEM;
}

static bool get_rate(const char *rec, const char *key, struct ustat_obs_rate *r)
{
	char val[96];

	return ustat_meta__get(rec, key, val, sizeof(val)) > 0 &&
	       sscanf(val, "%lf/%lf/%lf", &r->med, &r->lo, &r->hi) == 3;
}

int ustat_observer__from_meta(struct ustat_observer *o, const char *rec)
{
	unsigned long long v;
	char key[64], val[64];
	int mode, s;

	memset(o, 0, sizeof(*o));
	if (!ustat_meta__is(rec, "observer"))
		return -EINVAL;
	ustat_meta__get(rec, "release", o->release, sizeof(o->release));
	ustat_meta__get(rec, "boot_id", o->boot_id, sizeof(o->boot_id));
	ustat_meta__get(rec, "origin", o->origin, sizeof(o->origin));
	if (!ustat_meta__get_u64(rec, "when", &v))
		o->when = v;
	if (!ustat_meta__get_u64(rec, "repeat", &v))
		o->repeat = v;
	if (!ustat_meta__get_u64(rec, "lost", &v))
		o->lost = v;
	if (ustat_meta__get(rec, "duration", val, sizeof(val)) > 0)
		o->duration = strtod(val, NULL);
	for (mode = 0; mode < USTAT_OBS_NR_MODES; mode++) {
		snprintf(key, sizeof(key), "hits.%s", mode_names[mode]);
		if (ustat_meta__get_u64(rec, key, &v) || !v)
			return -EINVAL;
		o->hits[mode] = v;
		snprintf(key, sizeof(key), "churn.%s", mode_names[mode]);
		get_rate(rec, key, &o->churn[mode]);
		for (s = 0; s < USTAT_OBS_NR; s++) {
			snprintf(key, sizeof(key), "%s.%s", ustat_obs_names[s], mode_names[mode]);
			/* Every rate in both modes, or the shift is not known. */
			if (!get_rate(rec, key, &o->rate[mode][s]))
				return -EINVAL;
		}
	}
	o->valid = true;
	return 0;
}

static int cache_file(char *buf, size_t len, char *dir, size_t dlen)
{
	if (ustat_calib__cache_dir(dir, dlen))
		return -ENOENT;
	snprintf(buf, len, "%s/observer", dir);
	return 0;
}

/* "bench --observer" becomes "bench --observer, cached in FILE". */
static void name_cache(struct ustat_observer *o, const char *file)
{
	char was[sizeof(o->origin)];

	snprintf(was, sizeof(was), "%s", o->origin);
	snprintf(o->origin, sizeof(o->origin), "%.64s, cached in %.3800s", was, file);
}

int ustat_observer__load(struct ustat_observer *o)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], release[65], boot_id[64], *line = NULL;
	size_t cap = 0;
	int ret = -ENOENT;
	FILE *f;

	memset(o, 0, sizeof(*o));
	if (cache_file(file, sizeof(file), dir, sizeof(dir)))
		return -ENOENT;
	f = fopen(file, "r");
	if (!f)
		return -ENOENT;
	if (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		ret = ustat_observer__from_meta(o, line) ? -ENOENT : 0;
	}
	fclose(f);
	free(line);
	ustat_calib__read_boot(release, sizeof(release), boot_id, sizeof(boot_id));
	/* Another kernel or another boot: it says nothing of this one. */
	if (!ret && (strcmp(release, o->release) || strcmp(boot_id, o->boot_id))) {
		o->valid = false;
		return -ESTALE;
	}
	if (!ret)
		name_cache(o, file);
	return ret;
}

void ustat_observer__save(struct ustat_observer *o)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], *rec = NULL;

	if (cache_file(file, sizeof(file), dir, sizeof(dir)))
		return;
	if (ustat_observer__to_meta(o, &rec))
		return;
	ustat_calib__save_line(rec, dir, file);
	free(rec);
	name_cache(o, file);
}
