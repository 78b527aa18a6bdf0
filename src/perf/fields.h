/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_PERF_FIELDS_H
#define __USTAT_PERF_FIELDS_H

struct ustat_tp_field;

void ustat_fields__free(struct ustat_tp_field *list);

#endif /* __USTAT_PERF_FIELDS_H */
