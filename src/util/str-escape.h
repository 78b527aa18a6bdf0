/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_STR_ESCAPE_H
#define __USTAT_STR_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Strings that come from files, binaries and targets (symbols, comms,
 * paths, USDT names) go to terminals and parsers: a hostile binary must not
 * be able to send control sequences through them.  Printable ASCII, tab and
 * valid UTF-8 from U+00A0 on pass as they are; every other byte (C0 and C1
 * controls, DEL, broken UTF-8) becomes \xNN in text, and a JSON escape in
 * JSON.
 */

/* True if S prints as it is. */
bool ustat_str__clean(const char *s);
/* S itself if clean, else its escaped form in BUF (truncated to LEN). */
const char *ustat_str__safe(const char *s, char *buf, size_t len);
/* fputs() of the escaped form. */
void ustat_str__fput(FILE *out, const char *s);
/* The body of a JSON string (no quotes): escapes that JSON parsers take. */
void ustat_str__json(FILE *out, const char *s);

#endif /* __USTAT_STR_ESCAPE_H */
