/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TOP_HTTP_H
#define __USTAT_TOP_HTTP_H

#include <stddef.h>

struct ustat_agg;
struct ustat_om_self;
struct ustat_top_http;

/*
 * top --openmetrics ADDR:PORT: /metrics served from the live aggregation
 * (util/uprobe-stat/openmetrics.h formats it) by libmicrohttpd, driven
 * from top's own loop, so a scrape never races the aggregation.  Built
 * only with HAVE_UPROBE_STAT_OPENMETRICS; else start says so and fails.
 */

/*
 * Listen on SPEC: "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (loopback).
 * SELF fills in the tool's own cost at each scrape.  0, or -errno with ERR.
 */
int ustat_top_http__start(struct ustat_top_http **out, const char *spec,
			  const struct ustat_agg *agg,
			  void (*self)(void *ctx, struct ustat_om_self *s), void *ctx,
			  char *err, size_t errlen);
/* Serve what is pending; never blocks. */
void ustat_top_http__run(struct ustat_top_http *h);
void ustat_top_http__stop(struct ustat_top_http *h);

#endif /* __USTAT_TOP_HTTP_H */
