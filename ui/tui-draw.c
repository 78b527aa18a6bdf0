// SPDX-License-Identifier: GPL-2.0
/*
 * Drawing the view: the header, the per-CPU heat map, the probe table, the
 * sparkline of total hits/s, the detail panel and the help.  Every number
 * comes from struct ustat_view (util/uprobe-stat/view.c); this file only
 * formats and places them.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>

#include "tui-draw.h"
#include "tui-keys.h"

/* Monochrome terminals see the level as a character. */
static const char level_chars[USTAT_VIEW_LEVELS] = { ' ', '.', ':', '-', '=', '+', '*', '#' };

/* Background colour of each level, coolest to hottest. */
static const short level_colors[USTAT_VIEW_LEVELS] = {
	COLOR_BLACK, COLOR_BLUE, COLOR_CYAN, COLOR_GREEN,
	COLOR_YELLOW, COLOR_MAGENTA, COLOR_RED, COLOR_WHITE,
};

#define PAIR_LEVEL(l)	((l) + 1)
#define PAIR_TITLE	(USTAT_VIEW_LEVELS + 1)
#define PAIR_SELECT	(USTAT_VIEW_LEVELS + 2)

void tui_colors_init(struct tui *t)
{
	int l;

	t->color = has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	for (l = 0; l < USTAT_VIEW_LEVELS; l++)
		init_pair(PAIR_LEVEL(l), l >= 6 ? COLOR_BLACK : COLOR_WHITE, level_colors[l]);
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_YELLOW);
}

/* 1234567 -> "1.23M": a width-bounded count. */
static void fmt_count(char *buf, size_t len, double v)
{
	if (v < 10000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else
		snprintf(buf, len, "%.2fG", v / 1e9);
}

/* Nanoseconds, in the unit that keeps three digits. */
static void fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
}

static void fmt_metric(const struct ustat_view *v, char *buf, size_t len, double value)
{
	if (!strcmp(v->metric_unit, "ns"))
		fmt_ns(buf, len, value);
	else if (!strcmp(v->metric_unit, "%"))
		snprintf(buf, len, "%.1f%%", value);
	else
		fmt_count(buf, len, value);
}

static void level_attr(struct tui *t, int level, bool on)
{
	attr_t a = t->color ? COLOR_PAIR(PAIR_LEVEL(level)) :
		   (level >= USTAT_VIEW_LEVELS - 2 ? A_REVERSE : A_NORMAL);

	if (on)
		attron(a);
	else
		attroff(a);
}

static int draw_header(struct tui *t, int y)
{
	const struct ustat_view *v = &t->view;
	static const char *const short_names[USTAT_TOPIC_NR] = {
		"lookup", "speculation", "invalidation", "xol", "lock",
	};
	char rate[32], buf[512];
	int i, x;

	fmt_count(rate, sizeof(rate), v->events_per_sec);
	/* the target last: it is the longest and the least needed on a narrow screen */
	snprintf(buf, sizeof(buf),
		 " uprobe-stat %s | %.1f s | %s hits/s | %d probes | %s | dropped %llu%s | %s",
		 t->opts->mode, v->elapsed_ns / 1e9, rate, v->nr_probes,
		 t->opts->consumer ? t->opts->consumer : "samples",
		 (unsigned long long)v->lost, t->ended ? " | ENDED" : t->paused ? " | PAUSED" : "",
		 t->opts->target ? t->opts->target : "");
	if (t->color)
		attron(COLOR_PAIR(PAIR_TITLE));
	else
		attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 0, buf, COLS);
	if (t->color)
		attroff(COLOR_PAIR(PAIR_TITLE));
	else
		attroff(A_REVERSE);
	/* Which kernel signals this recording has: + present, - missing. */
	mvaddstr(y + 1, 0, " signals:");
	x = 10;
	for (i = 0; i < USTAT_TOPIC_NR && x < COLS; i++) {
		bool on = v->topic[i] == USTAT_TOPIC_AVAILABLE;

		snprintf(buf, sizeof(buf), " %c%s", on ? '+' : '-', short_names[i]);
		if (!on)
			attron(A_DIM);
		mvaddnstr(y + 1, x, buf, COLS - x);
		if (!on)
			attroff(A_DIM);
		x += strlen(buf);
	}
	return 2;
}

/* The legend: a swatch and the lowest value of every other level. */
static void draw_legend(struct tui *t, int y, int x)
{
	const struct ustat_view *v = &t->view;
	char buf[32];
	int l;

	for (l = 1; l < USTAT_VIEW_LEVELS && x < COLS - 10; l += 2) {
		level_attr(t, l, true);
		mvaddch(y, x, level_chars[l]);
		level_attr(t, l, false);
		fmt_metric(v, buf, sizeof(buf), v->scale[l]);
		mvprintw(y, x + 1, ">%s ", buf);
		x += strlen(buf) + 4;
	}
}

static int draw_heatmap(struct tui *t, int y, int max_rows)
{
	const struct ustat_view *v = &t->view;
	int cell = 13, per_line = COLS / cell, rows, i;
	bool compact;
	char buf[64];

	snprintf(buf, sizeof(buf), " CPUs: %s%s", v->metric_name,
		 v->metric_available ? "" : " (not in this recording: m for another)");
	mvaddnstr(y, 0, buf, COLS);
	if (v->metric_available)
		draw_legend(t, y, strlen(buf) + 3);
	if (per_line < 1)
		per_line = 1;
	rows = (v->nr_cpus + per_line - 1) / per_line;
	compact = rows > max_rows - 1;
	if (compact) {
		/* One character per CPU, a row of up to 64 with its first CPU. */
		per_line = COLS - 7 >= 64 ? 64 : (COLS - 7 >= 32 ? 32 : 16);
		rows = (v->nr_cpus + per_line - 1) / per_line;
	}
	for (i = 0; i < v->nr_cpus; i++) {
		const struct ustat_view_cpu *c = &v->cpus[i];
		int row = i / per_line, col = i % per_line, cy = y + 1 + row;
		bool sel = t->focus == TUI_FOCUS_CPUS && i == t->sel_cpu;

		if (row >= max_rows - 1)
			break;
		if (compact) {
			if (!col)
				mvprintw(cy, 0, "%5d ", i);
			level_attr(t, c->level, true);
			if (sel)
				attron(A_UNDERLINE | A_BOLD);
			mvaddch(cy, 6 + col, c->has ? level_chars[c->level] : '?');
			if (sel)
				attroff(A_UNDERLINE | A_BOLD);
			level_attr(t, c->level, false);
			continue;
		}
		if (c->has)
			fmt_metric(v, buf, sizeof(buf), c->value);
		else
			snprintf(buf, sizeof(buf), "n/a");
		if (sel)
			attron(A_BOLD | A_UNDERLINE);
		mvprintw(cy, col * cell, "%4u", c->cpu);
		if (sel)
			attroff(A_BOLD | A_UNDERLINE);
		/* the level's character too: colour alone is lost on a monochrome terminal */
		level_attr(t, c->level, true);
		mvprintw(cy, col * cell + 4, " %7s%c", buf, c->has ? level_chars[c->level] : ' ');
		level_attr(t, c->level, false);
	}
	return 1 + (rows < max_rows - 1 ? rows : max_rows - 1);
}

static int draw_probes(struct tui *t, int y, int max_rows)
{
	const struct ustat_view *v = &t->view;
	int i, first = 0, shown = max_rows - 1;
	char hits[32], rate[32], p50[32], p99[32], fb[32];

	attron(A_BOLD);
	mvprintw(y, 0, " %-30s %9s %9s %9s %9s %9s", "Probe (sort: ", "Hits", "Hits/s",
		 "Lat p50", "Lat p99", "Fallback");
	mvprintw(y, 14, "%s)", ustat_view_sort_names[v->sort]);
	attroff(A_BOLD);
	if (t->sel_row >= shown)
		first = t->sel_row - shown + 1;
	for (i = first; i < v->nr_rows && i - first < shown; i++) {
		const struct ustat_view_row *r = &v->rows[i];
		bool sel = t->focus == TUI_FOCUS_PROBES && i == t->sel_row;

		fmt_count(hits, sizeof(hits), r->hits);
		fmt_count(rate, sizeof(rate), r->rate);
		if (r->lat_count) {
			fmt_ns(p50, sizeof(p50), r->lat_p50);
			fmt_ns(p99, sizeof(p99), r->lat_p99);
		} else {
			snprintf(p50, sizeof(p50), "-");
			snprintf(p99, sizeof(p99), "-");
		}
		if (r->fallbacks)
			snprintf(fb, sizeof(fb), "%.1f%%", r->fallback_pct);
		else
			snprintf(fb, sizeof(fb), "-");
		if (sel)
			attron(t->color ? COLOR_PAIR(PAIR_SELECT) : A_REVERSE);
		mvprintw(y + 1 + i - first, 0, " %-30.30s %9s %9s %9s %9s %9s", r->name, hits, rate,
			 p50, p99, fb);
		if (sel)
			attroff(t->color ? COLOR_PAIR(PAIR_SELECT) : A_REVERSE);
	}
	return 1 + (v->nr_rows < shown ? v->nr_rows : shown);
}

static int draw_sparkline(struct tui *t, int y)
{
	const struct ustat_view *v = &t->view;
	char max[32];
	int i;

	fmt_count(max, sizeof(max), v->history_max);
	mvprintw(y, 0, " hits/s, last %d intervals (max %s): ", v->nr_history, max);
	for (i = 0; i < v->nr_history; i++) {
		int x = 42 + i;

		if (x >= COLS)
			break;
		level_attr(t, v->history_level[i], true);
		mvaddch(y, x, level_chars[v->history_level[i]]);
		level_attr(t, v->history_level[i], false);
	}
	return 1;
}

/* The patched kernel's last two events, or why they are not there. */
static void draw_retries(const struct ustat_view *v, int y, u64 retries, u64 fails)
{
	char a[32] = "n/a", b[32] = "n/a";

	if (v->have_retries)
		snprintf(a, sizeof(a), "%llu", (unsigned long long)retries);
	if (v->have_area_fails)
		snprintf(b, sizeof(b), "%llu", (unsigned long long)fails);
	mvprintw(y, 0, "   tree retries %s, xol area failures %s", a, b);
}

static int draw_detail(struct tui *t, int y)
{
	const struct ustat_view *v = &t->view;
	char a[32], b[32], c[32];

	attron(A_BOLD);
	if (t->focus == TUI_FOCUS_CPUS && t->sel_cpu < v->nr_cpus) {
		const struct ustat_view_cpu *cpu = &v->cpus[t->sel_cpu];

		mvprintw(y, 0, " CPU %u", cpu->cpu);
		attroff(A_BOLD);
		fmt_count(a, sizeof(a), cpu->hits);
		fmt_count(b, sizeof(b), cpu->rate);
		mvprintw(y + 1, 0, "   hits %s, %s/s now, lost %llu", a, b,
			 (unsigned long long)cpu->lost);
		mvprintw(y + 2, 0,
			 "   lookups %llu, fallbacks %llu, xol allocations %llu, lock waits %llu",
			 (unsigned long long)cpu->lookups, (unsigned long long)cpu->fallbacks,
			 (unsigned long long)cpu->xol_allocs, (unsigned long long)cpu->contended);
		if (cpu->has)
			fmt_metric(v, c, sizeof(c), cpu->value);
		else
			snprintf(c, sizeof(c), "n/a");
		mvprintw(y + 3, 0, "   %s: %s", v->metric_name, c);
		draw_retries(v, y + 4, cpu->tree_retries, cpu->xol_area_fails);
		return 5;
	}
	if (t->sel_row < v->nr_rows) {
		const struct ustat_view_row *r = &v->rows[t->sel_row];

		mvprintw(y, 0, " %s", r->name);
		attroff(A_BOLD);
		fmt_count(a, sizeof(a), r->rate);
		fmt_count(b, sizeof(b), r->avg_rate);
		mvprintw(y + 1, 0, "   hits %llu, %s/s now, %s/s on average",
			 (unsigned long long)r->hits, a, b);
		fmt_ns(a, sizeof(a), r->lat_p50);
		fmt_ns(b, sizeof(b), r->lat_p99);
		if (r->lat_count)
			mvprintw(y + 2, 0, "   entry to return: %llu calls, p50 %s, p99 %s",
				 (unsigned long long)r->lat_count, a, b);
		else
			mvprintw(y + 2, 0, "   entry to return: no %%return pair");
		mvprintw(y + 3, 0, "   lookups %llu, fallbacks %llu (%.1f%% of hits)",
			 (unsigned long long)r->lookups, (unsigned long long)r->fallbacks,
			 r->fallback_pct);
		draw_retries(v, y + 4, r->tree_retries, r->xol_area_fails);
		if (!r->cost.valid) {
			mvprintw(y + 5, 0, "   a hit costs: unknown (%s)", r->cost.why);
			return 6;
		}
		mvprintw(y + 5, 0, "   a hit costs %.0f ns (%s), in parts:", r->cost.total_ns,
			 r->hit_path);
		mvprintw(y + 6, 0,
			 "     entry %.0f, lookup %.0f, singlestep %.0f, consumer %.0f, return %.0f",
			 r->cost.part_ns[USTAT_PART_ENTRY], r->cost.part_ns[USTAT_PART_LOOKUP],
			 r->cost.part_ns[USTAT_PART_SINGLESTEP],
			 r->cost.part_ns[USTAT_PART_CONSUMER], r->cost.part_ns[USTAT_PART_RETURN]);
		return 7;
	}
	attroff(A_BOLD);
	return 0;
}

static void draw_help(struct tui *t)
{
	static const char *const tail[] = {
		"",
		"Heat map: one cell per CPU, coloured by the metric; the legend",
		"gives each colour's lower bound.  Sparkline: total hits/s.",
	};
	int nr_keys = tui_keys__nr_help(), nr = 2 + nr_keys + ARRAY_SIZE(tail);
	int i, h = nr + 2, w = 66, y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	char line[128];

	if (y0 < 0)
		y0 = 0;
	if (x0 < 0)
		x0 = 0;
	attron(A_REVERSE);
	for (i = 0; i < h && y0 + i < LINES; i++)
		mvhline(y0 + i, x0, ' ', w < COLS ? w : COLS);
	for (i = 0; i < nr && y0 + 1 + i < LINES; i++) {
		if (!i)
			snprintf(line, sizeof(line), "uprobe-stat keys");
		else if (i == 1)
			line[0] = '\0';
		else if (i < 2 + nr_keys)
			tui_keys__help_line(i - 2, line, sizeof(line));
		else
			snprintf(line, sizeof(line), "%s", tail[i - 2 - nr_keys]);
		mvaddnstr(y0 + 1 + i, x0 + 2, line, COLS - x0 - 2);
	}
	attroff(A_REVERSE);
	(void)t;
}

void tui_draw(struct tui *t)
{
	int y = 0, bottom = LINES - 1, detail = t->detail ? 8 : 0, room;

	erase();
	y += draw_header(t, y);
	y++;
	/* The heat map takes up to a third of the screen, the probes the rest. */
	room = (LINES - 8 - detail) / 3;
	if (room < 3)
		room = 3;
	y += draw_heatmap(t, y, room);
	y++;
	room = bottom - y - 2 - detail;
	if (room < 2)
		room = 2;
	y += draw_probes(t, y, room);
	y++;
	if (y < bottom)
		y += draw_sparkline(t, y);
	if (t->detail && y + 7 < bottom)
		draw_detail(t, y + 1);
	attron(A_REVERSE);
	mvhline(bottom, 0, ' ', COLS);
	mvaddnstr(bottom, 0, t->message[0] ? t->message : tui_keys__footer(), COLS);
	attroff(A_REVERSE);
	if (t->help)
		draw_help(t);
	refresh();
}
