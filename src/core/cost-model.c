// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of a hit, modelled from the calibration of the same path kind
 * (calibration.c).  Bench's kinds differ by one step each, so the parts
 * come out as differences of measured kinds:
 *
 *   int3 counted    the trap, lookup, handlers, emulation: the way in
 *   xol - int3      the single-step: a second trap and an xol slot
 *   ret - int3      the return through the uretprobe trampoline
 *   recorded - counted, same kind   the consumer: one sample written
 *   nop5 counted    the way in through the uprobe syscall, no trap
 *
 * The parts add up to the total by construction; for a kind bench has,
 * the total is bench's recorded figure for it (the consumer is the same
 * kind's recorded - counted: sampling costs more on the xol path), unless
 * noise made that difference negative, when the mean of the nop5 and int3
 * kinds' differences stands in.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cost-model.h"
#include "util/uprobe-stat/util/json-writer.h"

const char * const ustat_cost_part_names[USTAT_PART_NR] = {
	[USTAT_PART_ENTRY]	= "entry",
	[USTAT_PART_LOOKUP]	= "lookup",
	[USTAT_PART_SINGLESTEP]	= "singlestep",
	[USTAT_PART_CONSUMER]	= "consumer",
	[USTAT_PART_RETURN]	= "return",
};

static double pos(double v)
{
	return v > 0 ? v : 0;
}

static void set_part(struct ustat_cost *cost, enum ustat_cost_part p, double ns, const char *src)
{
	cost->part_ns[p] = pos(ns);
	snprintf(cost->source[p], sizeof(cost->source[p]), "%s", src);
}

/*
 * Writing a sample costs the same whatever the way in: the mean of the
 * two kinds with the least noise (the xol and ret kinds vary by more than
 * a sample costs on a loaded machine).
 */
static double consumer_ns(const struct ustat_calib *c, double *sd)
{
	static const enum bench_kind kinds[] = { BENCH_NOP5, BENCH_INT3 };
	double sum = 0, var = 0;
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		const struct ustat_calib_entry *cnt, *rec;

		cnt = ustat_calib__entry(c, USTAT_CALIB_COUNT, kinds[i]);
		rec = ustat_calib__entry(c, USTAT_CALIB_RECORD, kinds[i]);

		if (!cnt || !rec)
			continue;
		sum += rec->ns - cnt->ns;
		var += rec->sd * rec->sd + cnt->sd * cnt->sd;
		n++;
	}
	*sd = n ? sqrt(var / n) / n : 0;
	return n ? sum / n : 0;
}

void ustat_cost__model(const struct ustat_calib *c, enum ustat_hit_path path, bool is_return,
		       bool sampled, struct ustat_cost *cost)
{
	const struct ustat_calib_entry *in, *int3, *xol, *ret, *rin = NULL;
	enum bench_kind kind;
	double sd2 = 0;
	int p;

	memset(cost, 0, sizeof(*cost));
	switch (path) {
	case USTAT_PATH_OPTIMISED:
		kind = BENCH_NOP5;
		break;
	case USTAT_PATH_EMULATED:
		kind = BENCH_INT3;
		break;
	case USTAT_PATH_SINGLESTEP:
		kind = BENCH_XOL;
		break;
	case USTAT_PATH_REFUSED:
	case USTAT_PATH_UNKNOWN:
	case USTAT_PATH_NR:
	default:
		snprintf(cost->why, sizeof(cost->why), "no cost: the site is %s",
			 ustat_hit_path__name(path));
		return;
	}
	in = ustat_calib__entry(c, USTAT_CALIB_COUNT, kind);
	int3 = ustat_calib__entry(c, USTAT_CALIB_COUNT, BENCH_INT3);
	xol = ustat_calib__entry(c, USTAT_CALIB_COUNT, BENCH_XOL);
	ret = ustat_calib__entry(c, USTAT_CALIB_COUNT, BENCH_RET);
	if (sampled)
		rin = ustat_calib__entry(c, USTAT_CALIB_RECORD, is_return ? BENCH_RET : kind);
	if (!in || !int3 || (kind == BENCH_XOL && !xol) || (is_return && !ret) ||
	    (sampled && !ustat_calib__entry(c, USTAT_CALIB_RECORD, BENCH_INT3))) {
		snprintf(cost->why, sizeof(cost->why), "no calibration of the %s kind%s",
			 bench_kinds[kind].name, c && c->valid ? "" : " (none loaded)");
		return;
	}
	cost->valid = true;
	if (kind == BENCH_NOP5)
		set_part(cost, USTAT_PART_ENTRY, in->ns,
			 "modelled: calibration nop5, counted (uprobe syscall from the trampoline, lookup, handlers)");
	else
		set_part(cost, USTAT_PART_ENTRY, int3->ns,
			 kind == BENCH_INT3 ?
			 "modelled: calibration int3, counted (trap, lookup, handlers, emulation)" :
			 "modelled: calibration int3, counted (trap, lookup, handlers)");
	sd2 += (kind == BENCH_NOP5 ? in->sd * in->sd : int3->sd * int3->sd);
	set_part(cost, USTAT_PART_LOOKUP, 0,
		 "in entry: the uncontended lookup is part of the calibrated way in; no fallback wait measured");
	if (kind == BENCH_XOL) {
		set_part(cost, USTAT_PART_SINGLESTEP, xol->ns - int3->ns,
			 "modelled: calibration xol - int3, counted (second trap, xol slot)");
		sd2 += xol->sd * xol->sd;
	} else {
		set_part(cost, USTAT_PART_SINGLESTEP, 0, kind == BENCH_NOP5 ?
			 "none: a nop5 is not single-stepped" :
			 "none: emulated, not single-stepped");
	}
	if (sampled) {
		const struct ustat_calib_entry *cin = is_return ? ret : in;
		double sd;

		/* The same kind's difference: sampling costs more on some paths (xol). */
		if (rin && rin->ns > cin->ns) {
			set_part(cost, USTAT_PART_CONSUMER, rin->ns - cin->ns, is_return ?
				 "modelled: calibration ret, recorded - counted (one sample)" :
				 "modelled: calibration, recorded - counted, same kind (one sample)");
			sd2 += rin->sd * rin->sd;
		} else {
			set_part(cost, USTAT_PART_CONSUMER, consumer_ns(c, &sd),
				 "modelled: calibration, recorded - counted, mean of nop5 and int3 (the same kind's was lost in noise)");
			sd2 += sd * sd;
		}
	} else {
		set_part(cost, USTAT_PART_CONSUMER, 0, "none: counted, no sample written");
	}
	if (is_return) {
		set_part(cost, USTAT_PART_RETURN, ret->ns - int3->ns,
			 "modelled: calibration ret - int3, counted (uretprobe trampoline)");
		sd2 += ret->sd * ret->sd;
	} else {
		set_part(cost, USTAT_PART_RETURN, 0, "none: not a %return probe");
	}
	for (p = 0; p < USTAT_PART_NR; p++)
		cost->total_ns += cost->part_ns[p];
	cost->spread_ns = sqrt(sd2);
	/* The bench kind this path is, if bench has it. */
	if (!is_return || kind == BENCH_INT3) {
		const struct ustat_calib_entry *b = sampled ? rin :
			(is_return ? ret : in);

		if (b) {
			cost->bench_kind = bench_kinds[is_return ? BENCH_RET : kind].name;
			cost->bench_ns = b->ns;
		}
	}
}

void ustat_cost__add_lookup(struct ustat_cost *cost, double ns, const char *src)
{
	if (!cost->valid)
		return;
	cost->part_ns[USTAT_PART_LOOKUP] = pos(ns);
	snprintf(cost->source[USTAT_PART_LOOKUP], sizeof(cost->source[0]), "%s", src);
	cost->total_ns += pos(ns);
}

void ustat_cost__add_singlestep(struct ustat_cost *cost, double ns, const char *src)
{
	char *s = cost->source[USTAT_PART_SINGLESTEP];
	size_t len = strlen(s);

	if (!cost->valid || ns <= 0)
		return;
	cost->part_ns[USTAT_PART_SINGLESTEP] += ns;
	snprintf(s + len, sizeof(cost->source[0]) - len, "; %s", src);
	cost->total_ns += ns;
}

void ustat_cost__json(const struct ustat_cost *cost, FILE *out)
{
	int p;

	if (!cost->valid) {
		fputs("{\"total_ns\": null, \"why\": ", out);
		ustat_json__string(out, cost->why);
		fputs("}", out);
		return;
	}
	fprintf(out, "{\"total_ns\": %.1f, \"spread_ns\": %.1f, \"parts\": {", cost->total_ns,
		cost->spread_ns);
	for (p = 0; p < USTAT_PART_NR; p++)
		fprintf(out, "%s\"%s_ns\": %.1f", p ? ", " : "", ustat_cost_part_names[p],
			cost->part_ns[p]);
	fputs("}, \"source\": {", out);
	for (p = 0; p < USTAT_PART_NR; p++) {
		fprintf(out, "%s\"%s\": ", p ? ", " : "", ustat_cost_part_names[p]);
		ustat_json__string(out, cost->source[p]);
	}
	fputs("}, \"bench\": ", out);
	if (cost->bench_kind)
		fprintf(out, "{\"kind\": \"%s\", \"ns\": %.1f, \"differs_pct\": %.1f}",
			cost->bench_kind, cost->bench_ns,
			cost->bench_ns > 0 ?
			100 * (cost->total_ns - cost->bench_ns) / cost->bench_ns : 0);
	else
		fputs("null", out);
	fputs("}", out);
}
