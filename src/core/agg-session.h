/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_AGG_SESSION_H
#define __USTAT_AGG_SESSION_H

#include "aggregate.h"
#include "backend.h"

/*
 * The input's consumer every view uses: each sample into the aggregation
 * (ustat_agg__add), each lost record into its count.  CTX is the
 * struct ustat_agg.
 */
extern const struct ustat_input_ops ustat_agg_input_ops;

/*
 * Open the aggregation of IN's events (signals decoded with its formats)
 * and make it the input's consumer.  0 or -ENOMEM.
 */
int ustat_agg__attach(struct ustat_agg *agg, struct ustat_input *in);

#endif /* __USTAT_AGG_SESSION_H */
