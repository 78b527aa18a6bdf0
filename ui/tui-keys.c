// SPDX-License-Identifier: GPL-2.0
/*
 * The key table of the view: codes, action, help text and footer label in
 * one row per key, in htop's and perf top's habits.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>

#include "tui-draw.h"
#include "tui-keys.h"

struct tui_key {
	int		 codes[3];	/* 0 ends the list early */
	const char	*names;		/* the help's key column */
	const char	*help;
	const char	*footer;	/* NULL: said by another row's label */
	/* true when the view must be recomputed */
	bool		(*action)(struct tui *t, bool *step);
};

static bool key_quit(struct tui *t, bool *step __maybe_unused)
{
	t->quit = true;
	return false;
}

static bool key_pause(struct tui *t, bool *step __maybe_unused)
{
	t->paused = !t->paused;
	return false;
}

static bool key_step(struct tui *t, bool *step)
{
	if (t->paused)
		*step = true;
	else
		snprintf(t->message, sizeof(t->message), " n steps when paused (p)");
	return false;
}

static bool key_metric(struct tui *t, bool *step __maybe_unused)
{
	t->view.metric = (t->view.metric + 1) % USTAT_METRIC_NR;
	return true;
}

static bool key_sort(struct tui *t, bool *step __maybe_unused)
{
	t->view.sort = (t->view.sort + 1) % USTAT_SORT_BY_NR;
	return true;
}

static bool key_up(struct tui *t, bool *step __maybe_unused)
{
	t->focus = TUI_FOCUS_PROBES;
	t->sel_row--;
	return false;
}

static bool key_down(struct tui *t, bool *step __maybe_unused)
{
	t->focus = TUI_FOCUS_PROBES;
	t->sel_row++;
	return false;
}

static bool key_left(struct tui *t, bool *step __maybe_unused)
{
	t->focus = TUI_FOCUS_CPUS;
	t->sel_cpu--;
	return false;
}

static bool key_right(struct tui *t, bool *step __maybe_unused)
{
	t->focus = TUI_FOCUS_CPUS;
	t->sel_cpu++;
	return false;
}

static bool key_detail(struct tui *t, bool *step __maybe_unused)
{
	t->detail = !t->detail;
	return false;
}

static bool key_help(struct tui *t, bool *step __maybe_unused)
{
	t->help = !t->help;
	return false;
}

/*
 * Rows that share a help line (up and down, left and right) give their
 * text on the first and NULL on the rest.
 */
static const struct tui_key keys[] = {
	{ .codes = { 'q', 'Q' }, .names = "q", .help = "quit",
	  .footer = "q quit", .action = key_quit },
	{ .codes = { 'p', ' ' }, .names = "p, space", .help = "pause / resume",
	  .footer = "p pause", .action = key_pause },
	{ .codes = { 'n', '.' }, .names = "n, .", .help = "one interval forward (when paused)",
	  .footer = "n step", .action = key_step },
	{ .codes = { 'm' }, .names = "m", .help = "next heat map metric",
	  .footer = "m metric", .action = key_metric },
	{ .codes = { 's' }, .names = "s", .help = "next sort column of the probe table",
	  .footer = "s sort", .action = key_sort },
	{ .codes = { KEY_UP, 'k' }, .names = "up, down", .help = "select a probe",
	  .footer = "arrows select", .action = key_up },
	{ .codes = { KEY_DOWN, 'j' }, .names = NULL, .help = NULL,
	  .footer = NULL, .action = key_down },
	{ .codes = { KEY_LEFT }, .names = "left, right", .help = "select a CPU",
	  .footer = NULL, .action = key_left },
	{ .codes = { KEY_RIGHT }, .names = NULL, .help = NULL,
	  .footer = NULL, .action = key_right },
	{ .codes = { '\n', '\r', KEY_ENTER }, .names = "Enter", .help = "details of the selection",
	  .footer = "Enter detail", .action = key_detail },
	{ .codes = { 'h', '?', KEY_F(1) }, .names = "h, ?", .help = "this help",
	  .footer = "h help", .action = key_help },
};

bool tui_keys__handle(struct tui *t, int key, bool *step)
{
	size_t i, c;

	/* any key, even an unbound one or a resize, clears the last message */
	t->message[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		for (c = 0; c < ARRAY_SIZE(keys[i].codes) && keys[i].codes[c]; c++) {
			if (keys[i].codes[c] == key)
				return keys[i].action(t, step);
		}
	}
	return false;
}

int tui_keys__nr_help(void)
{
	size_t i;
	int nr = 0;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		nr += keys[i].help != NULL;
	return nr;
}

void tui_keys__help_line(int n, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].help && !n--) {
			snprintf(buf, len, "  %-12s %s", keys[i].names, keys[i].help);
			return;
		}
	}
}

const char *tui_keys__footer(void)
{
	static char footer[160];
	size_t i, at = 0;

	if (footer[0])
		return footer;
	for (i = 0; i < ARRAY_SIZE(keys) && at < sizeof(footer); i++) {
		if (keys[i].footer)
			at += snprintf(footer + at, sizeof(footer) - at, "%s%s",
				       at ? "  " : " ", keys[i].footer);
	}
	return footer;
}
