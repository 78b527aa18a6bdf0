/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TUI_KEYS_H
#define __USTAT_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct tui;

/*
 * The keys of the view, in one table (tui-keys.c): what each does, its
 * line in the help and its label in the footer all come from there, so
 * the three cannot disagree.
 */

/* One key: true when the view must be recomputed (metric or order changed). */
bool tui_keys__handle(struct tui *t, int key, bool *step);

/* The help's lines about keys: NR of them; line I into BUF. */
int tui_keys__nr_help(void);
void tui_keys__help_line(int i, char *buf, size_t len);

/* The footer: every key's short label, in the table's order. */
const char *tui_keys__footer(void);

#endif /* __USTAT_TUI_KEYS_H */
