/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PROBE_DEDUPE_H
#define __USTAT_PROBE_DEDUPE_H

#include "util/uprobe-stat/resolve/probe-resolve.h"

/*
 * The same probe twice is one probe: a second uprobe at the same site
 * would count every hit twice and slow the target twice.  All linear in
 * the number of probes (hash maps), so that a command line of 10,000
 * copies sets up as fast as one.
 */

/* Keep the first of identical spec strings in ARGV[0..*ARGC); warn once each. */
int ustat_specs__dedupe(int *argc, const char **argv);
/* Keep the first of single-site probes at one binary, offset and kind; warn. */
int ustat_probes__dedupe_sites(struct ustat_probe *probes, int *nr);

#endif /* __USTAT_PROBE_DEDUPE_H */
