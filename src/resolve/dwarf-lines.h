/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DWARF_LINES_H
#define __USTAT_DWARF_LINES_H

#include <stddef.h>
#include <elfutils/libdw.h>

#include "dwarf-util.h"

/*
 * Source lines as probe points, from the DWARF line tables (libdw).
 *
 * A line's code starts wherever the line table has a row for it that
 * begins a statement (is_stmt): one address in simple code, several when
 * the line was inlined into several callers, unrolled or split by the
 * optimiser.  Each of them is probed, as perf probe does.  Lines the line
 * table leaves out start where DWARF says their code is entered, as in
 * perf probe: a function's declaration line at the entry of each copy of
 * the function, and a line that calls an inlined function where each such
 * inlined call is entered.  Those count only where the line has no row of
 * its own in the same copy of the function: it would be probed twice.
 */

/* A line, an address where its code starts, and the copy of code it is in. */
struct ustat_line_at {
	int			line;
	u64			addr;
	struct ustat_ranges	region;
};

/* Where a function's code is, for func:LINE and list --lines. */
struct ustat_func_scope {
	char			*name;
	char			*decl_file;	/* its source file, as DWARF names it */
	char			*src_path;	/* the same with the unit's directory */
	int			 decl_line;	/* line 0 of func:LINE */
	/*
	 * Where the next function of the file is declared (0: none): the
	 * rows at a copy's first address may still be the caller's lines.
	 */
	int			 end_line;
	struct ustat_ranges	 code;		/* every copy: out of line and inlined */
	int			 nr_copies;	/* DIEs with code */
	/* its declaration line at each copy's entry, its inlined calls' lines */
	struct ustat_line_at	*starts;
	int			 nr_starts;
	int			 cap_starts;
};

/*
 * Find FUNC: its declaration and the code of all its copies.  -ENOENT when
 * no function has that name, -EINVAL when functions of different files
 * do (ERR says which), -ENOMEM.
 */
int ustat_dwarf__func_scope(Dwarf *dw, const char *func, struct ustat_func_scope *fs,
			    char *err, size_t errlen);
void ustat_func_scope__exit(struct ustat_func_scope *fs);

struct ustat_line_query {
	const char			*file;		/* as typed, or a full path */
	int				 line;
	const struct ustat_func_scope	*scope;		/* only FUNC's own code, or NULL */
	/* results */
	struct ustat_addrs		 addrs;		/* where the line's code starts */
	bool				 file_seen;	/* some unit knows FILE */
	int				 before;	/* nearest lines with code, 0: none */
	int				 after;
};

/* Fill Q's results; -ENOMEM on failure. */
int ustat_dwarf__line_addrs(Dwarf *dw, struct ustat_line_query *q);

/*
 * The lines of SCOPE's source file that have code of its own, in
 * ascending order (for list --lines): *LINES is malloc'ed.
 */
int ustat_dwarf__scope_lines(Dwarf *dw, const struct ustat_func_scope *scope,
			     int **lines, int *nr);

#endif /* __USTAT_DWARF_LINES_H */
