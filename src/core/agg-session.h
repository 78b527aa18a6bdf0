/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_AGG_SESSION_H
#define __USTAT_AGG_SESSION_H

#include "aggregate.h"
#include "util/uprobe-stat/standalone/session.h"

/*
 * The session consumer every view uses: each sample into the aggregation
 * (ustat_agg__add), each lost record into its count.  CTX is the
 * struct ustat_agg.
 */
extern const struct ustat_session_ops ustat_agg_session_ops;

/*
 * Open the aggregation of SESSION's events (signals decoded with its
 * formats) and make it the session's consumer.  0 or -ENOMEM.
 */
int ustat_agg__attach(struct ustat_agg *agg, struct ustat_session *session);

#endif /* __USTAT_AGG_SESSION_H */
