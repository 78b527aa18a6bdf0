// SPDX-License-Identifier: GPL-2.0
#include <perf/cpumap.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>
#include <internal/evsel.h>

#include "evsel-release.h"

/*
 * The PMU's own CPU map (own_cpus, renamed pmu_cpus in Linux 6.16) is not
 * dropped: perf_evsel__new() leaves it NULL and only perf's event parser
 * fills it, so naming it would only break the build on one side of 6.16.
 */
void ustat_evsel__release(struct perf_evsel *evsel)
{
	perf_evsel__free_id(evsel);
	perf_cpu_map__put(evsel->cpus);
	perf_thread_map__put(evsel->threads);
	evsel->cpus = NULL;
	evsel->threads = NULL;
}
