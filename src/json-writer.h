/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_JSON_WRITER_H
#define __USTAT_JSON_WRITER_H

#include <stdio.h>

/* Write S as a JSON string, quotes included (control characters escaped). */
void ustat_json__string(FILE *out, const char *s);

#endif /* __USTAT_JSON_WRITER_H */
