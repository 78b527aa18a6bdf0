// SPDX-License-Identifier: GPL-2.0
/*
 * What bench needs to know of the machine, and what it can tell of the
 * path each kind of probe took in the kernel.  The path is judged from
 * two observations, never assumed from the kernel version:
 *
 *  - the probed bytes as the process itself reads them while attached:
 *    0xcc is the int3 breakpoint; 0xe8 is the call a 5-byte nop becomes
 *    when the kernel optimises it (into [uprobes-trampoline]);
 *  - the costs next to each other: an emulated instruction costs one
 *    trap, a single-stepped one two traps and an xol slot, so int3 must
 *    come out clearly cheaper than xol at the same thread count.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <perf/cpumap.h>

#include "bench.h"

/* Emulated costs less than 1/RATIO of single-stepped, or it is not clear. */
#define BENCH_XOL_RATIO		1.5

static double read_loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static int allowed_cpus(struct bench_env *env)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	env->allowed = calloc(CPU_SETSIZE, sizeof(*env->allowed));
	if (!env->allowed)
		return -ENOMEM;
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			env->allowed[env->nr_allowed++] = c;
	return 0;
}

int bench_env__discover(struct bench_env *env, char *err, size_t errlen)
{
	struct utsname u;
	ssize_t n;
	int i;

	if (!uname(&u)) {
		snprintf(env->release, sizeof(env->release), "%s", u.release);
		snprintf(env->machine, sizeof(env->machine), "%s", u.machine);
	}
	env->cpu_map = perf_cpu_map__new_online_cpus();
	if (!env->cpu_map) {
		snprintf(err, errlen, "cannot read the online CPUs");
		return -ENOENT;
	}
	env->nr_cpus = perf_cpu_map__nr(env->cpu_map);
	env->cpus = calloc(env->nr_cpus, sizeof(*env->cpus));
	if (!env->cpus) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < env->nr_cpus; i++)
		env->cpus[i] = perf_cpu_map__cpu(env->cpu_map, i).cpu;
	if (allowed_cpus(env)) {
		snprintf(err, errlen, "cannot read this process's CPU affinity: %s",
			 strerror(errno));
		return -EINVAL;
	}
	env->loadavg = read_loadavg();
	n = readlink("/proc/self/exe", env->binary, sizeof(env->binary) - 1);
	env->binary[n > 0 ? n : 0] = '\0';
	env->have_pmu = !ustat_uprobe_pmu__read(&env->pmu, NULL, env->pmu_err,
						sizeof(env->pmu_err));
	ustat_kevents__discover(&env->signals);
	if (env->signals.tracefs) {
		char events[PATH_MAX];

		/* An unprivileged user may not see into tracefs: then we cannot tell. */
		snprintf(events, sizeof(events), "%s/events", env->signals.tracefs);
		env->tracepoints_known = !access(events, R_OK | X_OK);
	}
	return 0;
}

void bench_env__exit(struct bench_env *env)
{
	perf_cpu_map__put(env->cpu_map);
	free(env->cpus);
	free(env->allowed);
}

/* The special mappings the kernel makes in a probed process. */
void bench_env__scan_maps(struct bench_env *env)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " [uprobes]\n"))
			env->xol_area = true;
		else if (strstr(line, " [uprobes-trampoline]\n"))
			env->trampoline = true;
	}
	fclose(f);
}

static void judge_nop5(struct bench_result *r, const struct bench_result *int3)
{
	size_t n;

	if (!r->have_seen) {
		r->path = "unknown";
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "the probed bytes could not be read");
		return;
	}
	r->path_confirmed = true;
	if (r->seen[0] == 0xe8) {
		r->path = "optimised";
		n = snprintf(r->path_detail, sizeof(r->path_detail),
			     "the nop5 became a call into [uprobes-trampoline]: uprobe syscall, no trap");
		if (int3 && int3->have_base && r->have_base && r->ns_above_base > 0)
			snprintf(r->path_detail + n, sizeof(r->path_detail) - n,
				 "; %.1fx cheaper than int3",
				 int3->ns_above_base / r->ns_above_base);
	} else if (r->seen[0] == 0xcc) {
		r->path = "int3-emulated";
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "not optimised (no uprobe syscall in this kernel?): int3 trap, the nop emulated");
	} else {
		r->path = "unknown";
		r->path_confirmed = false;
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "the probed bytes read %02x %02x %02x %02x %02x: neither int3 nor a call",
			 r->seen[0], r->seen[1], r->seen[2], r->seen[3], r->seen[4]);
	}
}

/* int3 and xol tell each other apart by cost: R = xol / int3 above base. */
static void judge_int3(struct bench_result *r, const struct bench_result *xol)
{
	r->path = "int3-emulated";
	if (!xol || !xol->have_base || !r->have_base || r->ns_above_base <= 0) {
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "int3 trap, the nop emulated (expected; add --kind xol to compare)");
		return;
	}
	r->path_confirmed = xol->ns_above_base >= BENCH_XOL_RATIO * r->ns_above_base;
	snprintf(r->path_detail, sizeof(r->path_detail),
		 "int3 trap, the nop emulated: %s%.0f%% of an xol hit",
		 r->path_confirmed ? "" : "not clear, it costs ",
		 100 * r->ns_above_base / xol->ns_above_base);
}

static void judge_xol(struct bench_result *r, const struct bench_result *int3)
{
	size_t n;

	r->path = "int3-singlestep";
	if (!int3 || !int3->have_base || !r->have_base || int3->ns_above_base <= 0) {
		n = snprintf(r->path_detail, sizeof(r->path_detail),
			     "int3 trap, the mov single-stepped in an xol slot (expected; add --kind int3 to compare)");
	} else {
		r->path_confirmed = r->ns_above_base >= BENCH_XOL_RATIO * int3->ns_above_base;
		n = snprintf(r->path_detail, sizeof(r->path_detail),
			     "int3 trap, the mov single-stepped in an xol slot: %s%.1fx an int3 hit",
			     r->path_confirmed ? "" : "not clear, only ",
			     r->ns_above_base / int3->ns_above_base);
	}
	if (r->xol_area && n < sizeof(r->path_detail))
		snprintf(r->path_detail + n, sizeof(r->path_detail) - n, "; [uprobes] area mapped");
}

static void judge_ret(struct bench_result *r, const struct bench_result *int3)
{
	r->path = "uretprobe";
	if (!int3 || !int3->have_base || !r->have_base) {
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "int3 at the entry (nop emulated), the return through the uretprobe trampoline");
		return;
	}
	r->path_confirmed = r->ns_above_base > int3->ns_above_base;
	snprintf(r->path_detail, sizeof(r->path_detail),
		 "int3 at the entry (nop emulated), the return through the uretprobe trampoline: the return adds %.0f ns",
		 r->ns_above_base - int3->ns_above_base);
}

/*
 * --no-attach: bench probed nothing, so the bytes are either as built (no
 * one probes the function) or changed by a consumer outside bench.
 */
static void judge_outside(struct bench_result *r)
{
	const struct bench_kind_desc *kd = &bench_kinds[r->kind];
	size_t n = strlen(r->path_detail);

	if (r->have_seen && !memcmp(r->seen, kd->bytes, kd->nr_bytes)) {
		r->path = "none";
		r->path_confirmed = true;
		snprintf(r->path_detail, sizeof(r->path_detail),
			 "not attached (--no-attach), and nothing else probes it");
		return;
	}
	if (n < sizeof(r->path_detail))
		snprintf(r->path_detail + n, sizeof(r->path_detail) - n,
			 " (--no-attach: probed from outside bench)");
}

void bench_judge_paths(struct bench *b)
{
	int i;

	for (i = 0; i < b->nr_results; i++) {
		struct bench_result *r = &b->results[i];
		const struct bench_result *int3 = bench__find(b, BENCH_INT3, r->nr_threads);
		const struct bench_result *xol = bench__find(b, BENCH_XOL, r->nr_threads);

		if (!r->ran)
			continue;
		if (int3 && !int3->ran)
			int3 = NULL;
		if (xol && !xol->ran)
			xol = NULL;
		switch (r->kind) {
		case BENCH_BASE:
			r->path = "none";
			r->path_confirmed = true;
			snprintf(r->path_detail, sizeof(r->path_detail),
				 "no probe: the call and the loop");
			break;
		case BENCH_NOP5:
			judge_nop5(r, int3);
			break;
		case BENCH_INT3:
			judge_int3(r, xol);
			break;
		case BENCH_XOL:
			judge_xol(r, int3);
			break;
		case BENCH_RET:
			judge_ret(r, int3);
			break;
		case BENCH_NR_KINDS:
		default:
			break;
		}
		if (b->opts.no_attach && bench_kinds[r->kind].probed) {
			judge_outside(r);
			continue;
		}
		/* Every probed kind but an optimised nop5 must show the breakpoint. */
		if (r->have_seen && r->kind != BENCH_NOP5 && r->seen[0] != 0xcc) {
			r->path = "unknown";
			r->path_confirmed = false;
			snprintf(r->path_detail, sizeof(r->path_detail),
				 "no int3 at the probe: its first byte reads %02x", r->seen[0]);
		}
	}
}
