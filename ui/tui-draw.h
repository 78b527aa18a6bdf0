/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TUI_DRAW_H
#define __USTAT_TUI_DRAW_H

#include <stdbool.h>

#include "util/uprobe-stat/core/view.h"
#include "tui.h"

/* What the screen shows besides the view's numbers: selection and modes. */
enum tui_focus {
	TUI_FOCUS_PROBES,
	TUI_FOCUS_CPUS,
};

struct tui {
	struct ustat_view		 view;
	struct ustat_agg		*agg;
	struct ustat_tui_source		*src;
	const struct ustat_tui_opts	*opts;
	u64				 now;		/* the recording clock at the last tick */
	bool				 paused;
	bool				 ended;
	bool				 quit;
	bool				 help;
	bool				 detail;
	bool				 color;
	enum tui_focus			 focus;
	int				 sel_row;
	int				 sel_cpu;
	char				 message[160];
};

void tui_colors_init(struct tui *t);
void tui_draw(struct tui *t);

#endif /* __USTAT_TUI_DRAW_H */
