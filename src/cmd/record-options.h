/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_RECORD_OPTIONS_H
#define __USTAT_RECORD_OPTIONS_H

#include <subcmd/parse-options.h>

#include "util/uprobe-stat/core/record-opts.h"

/*
 * What record and top share of their command line: the options both take,
 * into ustat_record_opts, as a table each ends its own with
 * OPT_PARENT(ustat_record_options) (the way builtin-lock.c shares
 * lock_options) and the "PROBE... -- CMD" split.
 */
extern struct ustat_record_opts ustat_record_opts;
extern const struct option ustat_record_options[];

/*
 * Parse ARGV with OPTIONS up to a "--", which parse-options must not see:
 * CMD's own options are CMD's.  VERB ("record", "watch") is what the help
 * says the command does with its target.  Returns the number of PROBEs, now in
 * ARGV[0..), and sets *CMD_AT to CMD's index in ARGV (-1: no CMD).
 */
int ustat_record_options__parse(int argc, const char **argv, const struct option *options,
				const char * const *usage, const char *verb, int *cmd_at);

#endif /* __USTAT_RECORD_OPTIONS_H */
