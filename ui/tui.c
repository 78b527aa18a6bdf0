// SPDX-License-Identifier: GPL-2.0
/*
 * The loop of the live and replay views: keys (tui-keys.c), a refresh
 * every interval of the recording's clock, and the source asked to
 * deliver events up to each refresh.
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui-draw.h"
#include "tui-keys.h"

bool ustat_tui__usable(char *err, size_t errlen)
{
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		snprintf(err, errlen,
			 "the interactive view needs a terminal: use 'report --stdio' (or --json, --csv) instead");
		return false;
	}
	return true;
}

/*
 * Wake for keys at least ten times a second; ticks come from the clock.
 * A live source behind its buffers gets its next turn sooner.
 */
#define KEY_WAIT_MS	100
#define BEHIND_WAIT_MS	5

static u64 wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int tick(struct tui *t, u64 now, char *err, size_t errlen)
{
	int ret = 0;

	if (!t->ended)
		ret = t->src->advance(t->src->ctx, now, &t->ended, err, errlen);
	if (ret)
		return ret;
	t->now = now;
	ret = ustat_view__tick(&t->view, t->agg, t->src->start, now);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
}

static void clamp_selection(struct tui *t)
{
	if (t->sel_row >= t->view.nr_rows)
		t->sel_row = t->view.nr_rows - 1;
	if (t->sel_row < 0)
		t->sel_row = 0;
	if (t->sel_cpu >= t->view.nr_cpus)
		t->sel_cpu = t->view.nr_cpus - 1;
	if (t->sel_cpu < 0)
		t->sel_cpu = 0;
}

/*
 * getch() said ERR: no key within the timeout, or a terminal that went
 * away.  A hung-up tty polls as POLLHUP (or POLLERR) and reads as EOF at
 * once.  Input ready at two ERRs in a row is such an EOF too: once could
 * be a key typed just after the timeout.  Either way the view ends instead
 * of spinning with the probes armed.
 */
static bool terminal_gone(int *eof_seen)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (poll(&pfd, 1, 0) < 0)
		return errno != EINTR;
	if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	*eof_seen = pfd.revents & POLLIN ? *eof_seen + 1 : 0;
	return *eof_seen >= 2;
}

int ustat_tui__run(struct ustat_tui_source *src, struct ustat_agg *agg,
		   const struct ustat_tui_opts *opts, char *err, size_t errlen)
{
	u64 interval = opts->interval * 1e9, wall_interval, next_wall;
	bool frozen;
	struct tui t = { .agg = agg, .src = src, .opts = opts };
	int ret = 0, eof_seen = 0;

	if (!ustat_tui__usable(err, errlen))
		return -ENOTTY;
	ustat_view__init(&t.view, opts->target);
	t.view.rec = opts->rec;
	t.view.events = opts->events;
	t.paused = opts->paused && !src->live;
	wall_interval = src->live ? interval : interval / (opts->speed > 0 ? opts->speed : 1);
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	tui_colors_init(&t);

	ret = tick(&t, src->live ? wall_ns() : src->start, err, errlen);
	next_wall = wall_ns() + wall_interval;
	frozen = t.ended;
	while (!ret && !t.quit) {
		bool step = false, recompute;
		int key;

		clamp_selection(&t);
		tui_draw(&t);
		timeout(src->behind ? BEHIND_WAIT_MS : KEY_WAIT_MS);
		key = getch();
		/* A signal (SIGINT, SIGTERM, SIGHUP) ends the view as 'q' does. */
		if (src->stopped && src->stopped(src->ctx))
			break;
		if (key == ERR && terminal_gone(&eof_seen))
			break;
		if (src->idle)
			src->idle(src->ctx);
		if (key != ERR) {
			eof_seen = 0;
			recompute = tui_keys__handle(&t, key, &step);
			if (recompute && ustat_view__refresh(&t.view, agg)) {
				snprintf(err, errlen, "out of memory");
				ret = -ENOMEM;
			}
		}
		/* Live sources keep draining between ticks, so buffers do not fill. */
		if (src->live && !t.ended && !ret) {
			ret = src->advance(src->ctx, wall_ns(), &t.ended, err, errlen);
			/* the end is shown with the numbers up to it, not a tick later */
			step = step || t.ended;
		}
		if (ret)
			break;
		/* Once the end is shown, the clock and the sparkline stop there. */
		if (!frozen && (step || (!t.paused && wall_ns() >= next_wall))) {
			u64 now = src->live ? wall_ns() : t.now + interval;

			ret = tick(&t, now, err, errlen);
			next_wall = wall_ns() + wall_interval;
			frozen = t.ended;
		}
	}
	endwin();
	ustat_view__exit(&t.view);
	return ret;
}
