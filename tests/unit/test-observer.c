// SPDX-License-Identifier: GPL-2.0
/*
 * The observer shift (explain/observer.h) from its metadata record to the
 * report: the record's round trip and what it refuses, the cache of this
 * boot (and not of another), and the report's block and JSON beside the
 * file's own rates -- or its word that nothing was measured.
 */
#include "unit.h"
#include "aggregate.h"
#include "report-observer.h"
#include "observer.h"
#include "calibration.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sample(struct ustat_observer *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->release, sizeof(o->release), "6.12.0-ustat");
	snprintf(o->boot_id, sizeof(o->boot_id), "0123456789abcdef");
	snprintf(o->origin, sizeof(o->origin), "bench --observer");
	o->when = 1764657600;	/* 2025-12-02 06:40 UTC */
	o->repeat = 3;
	o->duration = 0.5;
	o->hits[0] = 30000;
	o->hits[1] = 20000;
	o->lost = 0;
	o->rate[USTAT_OBS_COUNTED][USTAT_OBS_FALLBACK] = (struct ustat_obs_rate){ 0.07, 0.05, 0.09 };
	o->rate[USTAT_OBS_RECORDED][USTAT_OBS_FALLBACK] = (struct ustat_obs_rate){ 0.17, 0.12, 0.2 };
	o->rate[USTAT_OBS_COUNTED][USTAT_OBS_SPEC_FAIL] = (struct ustat_obs_rate){ 0.5, 0.4, 0.6 };
	o->rate[USTAT_OBS_RECORDED][USTAT_OBS_SPEC_FAIL] = (struct ustat_obs_rate){ 0.25, 0.2, 0.3 };
	o->churn[0] = (struct ustat_obs_rate){ 40, 35, 45 };
	o->churn[1] = (struct ustat_obs_rate){ 90, 80, 95 };
	o->valid = true;
}

static void test_meta_round_trip(void **state)
{
	struct ustat_observer o, back;
	char *rec, *cut;

	(void)state;
	sample(&o);
	assert_int_equal(ustat_observer__to_meta(&o, &rec), 0);
	assert_int_equal(ustat_observer__from_meta(&back, rec), 0);
	assert_true(back.valid);
	assert_string_equal(back.release, o.release);
	assert_string_equal(back.origin, "bench --observer");
	assert_int_equal(back.repeat, 3);
	assert_int_equal(back.hits[1], 20000);
	assert_true(back.duration == 0.5);
	assert_true(back.rate[1][USTAT_OBS_FALLBACK].med == 0.17);
	assert_true(back.rate[0][USTAT_OBS_SPEC_FAIL].hi == 0.6);
	assert_true(ustat_observer__shift(&back, USTAT_OBS_FALLBACK) > 0.0999 &&
		    ustat_observer__shift(&back, USTAT_OBS_FALLBACK) < 0.1001);
	assert_true(ustat_observer__shift(&back, USTAT_OBS_SPEC_FAIL) < -0.2499);
	/* one rate missing: no shift can be told, the record is refused */
	cut = strstr(rec, "\tspec_fail.recorded=");
	assert_non_null(cut);
	memcpy(cut + 1, "xpec", 4);
	assert_int_not_equal(ustat_observer__from_meta(&back, rec), 0);
	assert_false(back.valid);
	assert_int_not_equal(ustat_observer__from_meta(&back, "calibration\trelease=x"), 0);
	free(rec);
}

static void test_cache_this_boot_only(void **state)
{
	char dir[] = "/tmp/ustat-obs-XXXXXX", file[256], release[65], boot[64], cmd[300];
	struct ustat_observer o, back;
	char *rec;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CACHE_HOME", dir, 1);
	assert_int_equal(ustat_observer__load(&back), -ENOENT);
	sample(&o);
	ustat_calib__read_boot(release, sizeof(release), boot, sizeof(boot));
	snprintf(o.release, sizeof(o.release), "%s", release);
	snprintf(o.boot_id, sizeof(o.boot_id), "%s", boot);
	ustat_observer__save(&o);
	assert_non_null(strstr(o.origin, "cached in"));
	assert_int_equal(ustat_observer__load(&back), 0);
	assert_true(back.valid);
	snprintf(file, sizeof(file), "%s/uprobe-stat/observer", dir);
	assert_non_null(strstr(back.origin, file));
	/* another boot's measurement says nothing of this one */
	snprintf(o.boot_id, sizeof(o.boot_id), "another-boot");
	snprintf(o.origin, sizeof(o.origin), "bench --observer");
	assert_int_equal(ustat_observer__to_meta(&o, &rec), 0);
	f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", rec);
	fclose(f);
	free(rec);
	assert_int_equal(ustat_observer__load(&back), -ESTALE);
	assert_false(back.valid);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("XDG_CACHE_HOME");
}

struct fixture {
	struct ustat_agg	 agg;
	struct ustat_recording	 rec;
	struct ustat_report	 rep;
	char			*meta;
};

static void setup(struct fixture *f, bool with_observer)
{
	struct ustat_observer o;

	memset(f, 0, sizeof(*f));
	f->agg.sig.have[USTAT_KEV_UPROBE_LOOKUP] = true;
	f->agg.sig.have[USTAT_KEV_SPEC_FAIL] = true;
	f->agg.sig.total.lookups = 1000;
	f->agg.sig.total.lookups_fallback = 17;
	f->agg.sig.total.spec_fail[1] = 4;
	f->agg.sig.total.spec_fail[2] = 1;
	if (with_observer) {
		sample(&o);
		snprintf(o.origin, sizeof(o.origin),
			 "bench --observer, cached in /var/cache/uprobe-stat/observer");
		assert_int_equal(ustat_observer__to_meta(&o, &f->meta), 0);
		f->rec.meta = &f->meta;
		f->rec.nr_meta = 1;
	}
	f->rep.agg = &f->agg;
	f->rep.rec = &f->rec;
}

static char *render(struct fixture *f, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	if (json)
		ustat_report__observer_json(&f->rep, out);
	else
		ustat_report__observer_stdio(&f->rep, out);
	fclose(out);
	return buf;
}

static void has(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("missing: %s\nin:\n%s", what, text);
}

static void test_report_prints_beside_the_file(void **state)
{
	struct fixture f;
	char *t;

	(void)state;
	setup(&f, true);
	t = render(&f, false);
	has(t, "# Observer shift: what recording itself adds to these rates, per 100 lookups,\n");
	has(t, "# measured by bench --observer, cached in /var/cache/uprobe-stat/observer\n");
	has(t, "# on 6.12.0-ustat (boot 01234567) at 2025-12-02 06:40 UTC: bench's churn workload, 3 x 0.50 s counted\n");
	has(t, "a reference, not this file's workload\n");
	/* the file's 17 fallbacks and 5 failures in 1000 lookups, beside bench's */
	has(t, "  lookups_fallback              1.700      0.070      0.170    +0.100  0.050..0.090, 0.120..0.200\n");
	has(t, "  spec_fail                     0.500      0.500      0.250    -0.250  ");
	free(t);
	t = render(&f, true);
	has(t, ",\n  \"observer_shift\": {\"source\": \"bench --observer, cached in /var/cache/uprobe-stat/observer\"");
	has(t, "\"lookups_fallback\": {\"counted\": {\"median\": 0.0700, \"min\": 0.0500, \"max\": 0.0900}, \"recorded\": {\"median\": 0.1700");
	has(t, "\"shift\": 0.1000, \"this_file\": 1.7000}");
	has(t, "\"repeat\": 3, \"duration_s\": 0.500, \"hits\": {\"counted\": 30000, \"recorded\": 20000}");
	free(t);
	free(f.meta);
}

static void test_report_says_when_not_measured(void **state)
{
	struct fixture f;
	char *t;

	(void)state;
	setup(&f, false);
	t = render(&f, false);
	has(t, "# Observer shift: not measured ('perf uprobe-stat bench --observer' had not run on\n");
	assert_null(strstr(t, "Shift"));
	free(t);
	t = render(&f, true);
	assert_string_equal(t, ",\n  \"observer_shift\": null");
	free(t);
	/* a file without the lookup events: nothing to put it beside */
	f.agg.sig.have[USTAT_KEV_UPROBE_LOOKUP] = false;
	t = render(&f, false);
	assert_string_equal(t, "");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_round_trip),
		cmocka_unit_test(test_cache_this_boot_only),
		cmocka_unit_test(test_report_prints_beside_the_file),
		cmocka_unit_test(test_report_says_when_not_measured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
