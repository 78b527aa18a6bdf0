// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

#include "util/uprobe-stat/util/array.h"
#include "dwarf-lines.h"

static bool is_copy(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine;
}

/* Where the inlined call DIE is entered, and the line and file it is called from. */
static int call_site(Dwarf_Die *die, int *line, u64 *pc, const char **file)
{
	Dwarf_Word f, l;
	Dwarf_Attribute attr;
	Dwarf_Die cu;

	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &f) ||
	    dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &l) ||
	    !dwarf_diecu(die, &cu, NULL, NULL) || ustat_dwarf__entry_pc(die, pc))
		return -ENOENT;
	*file = ustat_dwarf__cu_file(&cu, f);
	*line = l;
	return *file ? 0 : -ENOENT;
}

/* The code of the function copy that makes the inlined call INL (entered at PC). */
static int caller_region(Dwarf_Die *inl, u64 pc, struct ustat_ranges *out)
{
	Dwarf_Die cu, *scopes;
	int n, i, ret = 0;
	bool past = false;

	if (!dwarf_diecu(inl, &cu, NULL, NULL))
		return 0;
	n = dwarf_getscopes(&cu, pc, &scopes);
	/* Innermost first: INL, maybe copies it begins with, then its caller. */
	for (i = 0; i < n; i++) {
		if (dwarf_dieoffset(&scopes[i]) == dwarf_dieoffset(inl)) {
			past = true;
			continue;
		}
		if (past && is_copy(&scopes[i])) {
			ret = ustat_ranges__add_die(out, &scopes[i]);
			break;
		}
	}
	if (n > 0)
		free(scopes);
	return ret;
}

static int add_start(struct ustat_func_scope *fs, int line, u64 addr, Dwarf_Die *copy)
{
	struct ustat_line_at *at;

	if (ustat_array_grow(fs->starts, fs->cap_starts, fs->nr_starts + 1))
		return -ENOMEM;
	at = &fs->starts[fs->nr_starts++];
	memset(at, 0, sizeof(*at));
	at->line = line;
	at->addr = addr;
	return ustat_ranges__add_die(&at->region, copy);
}

/* ---- a function's copies --------------------------------------------- */

/* FILE of DIE's unit as a path to open: relative names are to its directory. */
static char *src_path(Dwarf_Die *die, const char *file)
{
	Dwarf_Attribute attr;
	const char *dir;
	Dwarf_Die cu;
	char *path;

	if (file[0] == '/' || !dwarf_diecu(die, &cu, NULL, NULL))
		return strdup(file);
	dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr));
	if (!dir)
		return strdup(file);
	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return NULL;
	return path;
}

struct scope_walk {
	struct ustat_func_scope	*fs;
	Dwarf_Die		*copy;		/* the copy being walked */
	char			*err;
	size_t			 errlen;
};

/* Inside one copy of the function: its calls to inlined functions start lines. */
static int nested_die(Dwarf_Die *die, void *arg)
{
	struct scope_walk *w = arg;
	struct ustat_func_scope *fs = w->fs;
	const char *file;
	int line, ret = 0;
	u64 pc;

	if (dwarf_tag(die) != DW_TAG_inlined_subroutine || ustat_dwarf__name_is(die, fs->name))
		return 0;
	if (!call_site(die, &line, &pc, &file) && !strcmp(file, fs->decl_file))
		ret = add_start(fs, line, pc, w->copy);
	/* What it inlined in turn is its business, not the function's. */
	return ret ? ret : USTAT_DWARF_SKIP;
}

static int scope_die(Dwarf_Die *die, void *arg)
{
	struct scope_walk *w = arg;
	struct ustat_func_scope *fs = w->fs;
	int line = 0, ret, before;
	const char *file;
	u64 pc;

	if (!is_copy(die) || dwarf_hasattr(die, DW_AT_declaration) ||
	    !ustat_dwarf__name_is(die, fs->name))
		return 0;
	file = dwarf_decl_file(die);
	if (!file || dwarf_decl_line(die, &line))
		return 0;
	if (!fs->decl_file) {
		fs->decl_file = strdup(file);
		fs->src_path = src_path(die, file);
		fs->decl_line = line;
		if (!fs->decl_file || !fs->src_path)
			return -ENOMEM;
	} else if (strcmp(fs->decl_file, file) || fs->decl_line != line) {
		snprintf(w->err, w->errlen,
			 "function '%s' is defined in several places (%s:%d and %s:%d): probe FILE:LINE instead",
			 fs->name, fs->decl_file, fs->decl_line, file, line);
		return -EINVAL;
	}
	before = fs->code.nr;
	ret = ustat_ranges__add_die(&fs->code, die);
	if (ret)
		return ret;
	if (fs->code.nr == before)
		return 0;	/* the abstract DIE of an inlined function: no code */
	fs->nr_copies++;
	/* perf probe's func:0: the declaration line, where each copy is entered. */
	if (!ustat_dwarf__entry_pc(die, &pc)) {
		ret = add_start(fs, line, pc, die);
		if (ret)
			return ret;
	}
	w->copy = die;
	return ustat_dwarf__walk(die, nested_die, w);
}

static int scope_cu(Dwarf_Die *cu, void *arg)
{
	return ustat_dwarf__walk(cu, scope_die, arg);
}

/* The first function declared after ours in its file ends its lines. */
static int end_die(Dwarf_Die *die, void *arg)
{
	struct ustat_func_scope *fs = ((struct scope_walk *)arg)->fs;
	const char *file;
	int line;

	if (dwarf_tag(die) != DW_TAG_subprogram)
		return 0;
	file = dwarf_decl_file(die);
	if (file && !strcmp(file, fs->decl_file) && !dwarf_decl_line(die, &line) &&
	    line > fs->decl_line && (!fs->end_line || line < fs->end_line))
		fs->end_line = line;
	return 0;
}

static int end_cu(Dwarf_Die *cu, void *arg)
{
	return ustat_dwarf__walk(cu, end_die, arg);
}

int ustat_dwarf__func_scope(Dwarf *dw, const char *func, struct ustat_func_scope *fs,
			    char *err, size_t errlen)
{
	struct scope_walk w = { .fs = fs, .err = err, .errlen = errlen };
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->name = strdup(func);
	ret = fs->name ? ustat_dwarf__walk_units(dw, scope_cu, &w) : -ENOMEM;
	if (!ret && !fs->decl_file) {
		snprintf(err, errlen, "function '%s' not found in the debuginfo", func);
		ret = -ENOENT;
	}
	if (!ret)
		ret = ustat_dwarf__walk_units(dw, end_cu, &w);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		ustat_func_scope__exit(fs);
	return ret;
}

void ustat_func_scope__exit(struct ustat_func_scope *fs)
{
	int i;

	for (i = 0; i < fs->nr_starts; i++)
		ustat_ranges__exit(&fs->starts[i].region);
	free(fs->starts);
	free(fs->name);
	free(fs->decl_file);
	free(fs->src_path);
	ustat_ranges__exit(&fs->code);
	memset(fs, 0, sizeof(*fs));
}

/*
 * The function's own line: in one of its copies, and within its lines
 * (rows in a copy may be the lines of functions inlined into it, or of
 * the caller it is inlined into).
 */
static bool in_scope(const struct ustat_func_scope *fs, int line, u64 addr)
{
	return line >= fs->decl_line && (!fs->end_line || line < fs->end_line) &&
	       ustat_ranges__has(&fs->code, addr);
}

/* ---- the lines of a file ---------------------------------------------- */

/*
 * A line the line table leaves out: where it starts, and the copy of
 * code it starts in -- known (REGION), or to be found from DIE (an entry
 * of DIE itself, or a CALL to the inlined DIE).
 */
struct line_start {
	const struct ustat_ranges	*region;
	Dwarf_Die			*die;
	bool				 call;
};

/* FN gets each line where code starts, with the address; START for those left out. */
typedef int (*line_cb_t)(void *arg, int line, u64 addr, const struct line_start *start);

struct line_scan {
	const char			*file;
	const struct ustat_func_scope	*scope;
	line_cb_t				 fn;
	void				*arg;
	bool				 file_seen;
};

static int scan_rows(Dwarf_Die *cu, struct line_scan *s)
{
	Dwarf_Lines *lines;
	size_t nlines, i;
	int ret;

	if (dwarf_getsrclines(cu, &lines, &nlines))
		return 0;
	for (i = 0; i < nlines; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		bool stmt, end;
		Dwarf_Addr addr;
		int lineno;

		if (!l || dwarf_lineno(l, &lineno) || dwarf_lineaddr(l, &addr) ||
		    dwarf_linebeginstatement(l, &stmt) || dwarf_lineendsequence(l, &end) ||
		    !ustat_dwarf__file_matches(dwarf_linesrc(l, NULL, NULL), s->file))
			continue;
		s->file_seen = true;
		/* Only where a statement begins is a probe where the line begins. */
		if (!stmt || end || !addr)
			continue;
		if (s->scope && !in_scope(s->scope, lineno, addr))
			continue;
		ret = s->fn(s->arg, lineno, addr, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* Without a scope: the entries of functions, and inlined calls, in FILE. */
static int start_die(Dwarf_Die *die, void *arg)
{
	struct line_start call = { .die = die, .call = true }, entry = { .die = die };
	struct line_scan *s = arg;
	const char *file;
	int line, ret = 0;
	u64 pc;

	if (!is_copy(die) || dwarf_hasattr(die, DW_AT_declaration))
		return 0;
	if (dwarf_tag(die) == DW_TAG_inlined_subroutine && !call_site(die, &line, &pc, &file) &&
	    ustat_dwarf__file_matches(file, s->file)) {
		s->file_seen = true;
		ret = s->fn(s->arg, line, pc, &call);
		if (ret)
			return ret;
	}
	file = dwarf_decl_file(die);
	if (!ustat_dwarf__file_matches(file, s->file) || dwarf_decl_line(die, &line) ||
	    ustat_dwarf__entry_pc(die, &pc))
		return 0;
	s->file_seen = true;
	return s->fn(s->arg, line, pc, &entry);
}

static int scan_cu(Dwarf_Die *cu, struct line_scan *s)
{
	int ret;

	ret = scan_rows(cu, s);
	if (ret || s->scope)
		return ret;
	return ustat_dwarf__walk(cu, start_die, s);
}

static int scan_scope_starts(struct line_scan *s)
{
	const struct ustat_func_scope *fs = s->scope;
	int i, ret;

	for (i = 0; i < fs->nr_starts; i++) {
		struct line_start start = { .region = &fs->starts[i].region };

		ret = s->fn(s->arg, fs->starts[i].line, fs->starts[i].addr, &start);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- file:LINE and func:LINE ------------------------------------------ */

struct line_collect {
	struct ustat_line_query	*q;
	struct line_scan	 scan;
	struct ustat_addrs	 rows;		/* the line's own rows */
	struct ustat_line_at	*starts;	/* where it starts besides */
	int			 nr_starts;
	int			 cap_starts;
};

static int collect_start(struct line_collect *c, u64 addr, const struct line_start *start)
{
	struct ustat_line_at *at;

	if (ustat_array_grow(c->starts, c->cap_starts, c->nr_starts + 1))
		return -ENOMEM;
	at = &c->starts[c->nr_starts++];
	memset(at, 0, sizeof(*at));
	at->addr = addr;
	if (start->region) {
		int i;

		for (i = 0; i < start->region->nr; i++)
			if (ustat_ranges__add_range(&at->region, start->region->r[i][0],
						    start->region->r[i][1]))
				return -ENOMEM;
		return 0;
	}
	if (start->call)
		return caller_region(start->die, addr, &at->region);
	return ustat_ranges__add_die(&at->region, start->die);
}

static int collect_line(void *arg, int line, u64 addr, const struct line_start *start)
{
	struct line_collect *c = arg;
	struct ustat_line_query *q = c->q;

	if (line == q->line)
		return start ? collect_start(c, addr, start) : ustat_addrs__add(&c->rows, addr);
	if (line < q->line && line > q->before)
		q->before = line;
	if (line > q->line && (!q->after || line < q->after))
		q->after = line;
	return 0;
}

static void drop(struct line_collect *c)
{
	int i;

	for (i = 0; i < c->nr_starts; i++)
		ustat_ranges__exit(&c->starts[i].region);
	c->nr_starts = 0;
	c->rows.nr = 0;
}

/* The rows, and each start with no row of the line in its copy of code. */
static int take(struct line_collect *c)
{
	int i, j, ret = 0;

	for (i = 0; !ret && i < c->rows.nr; i++)
		ret = ustat_addrs__add(&c->q->addrs, c->rows.addr[i]);
	for (i = 0; !ret && i < c->nr_starts; i++) {
		struct ustat_line_at *at = &c->starts[i];

		for (j = 0; j < c->rows.nr; j++)
			if (ustat_ranges__has(&at->region, c->rows.addr[j]))
				break;
		if (j == c->rows.nr)
			ret = ustat_addrs__add(&c->q->addrs, at->addr);
	}
	drop(c);
	return ret;
}

static int line_cu(Dwarf_Die *cu, void *arg)
{
	struct line_collect *c = arg;
	int ret;

	ret = scan_cu(cu, &c->scan);
	if (!ret && !c->scan.scope)
		ret = take(c);
	return ret;
}

int ustat_dwarf__line_addrs(Dwarf *dw, struct ustat_line_query *q)
{
	struct line_collect c = { .q = q };
	int ret;

	c.scan.file = q->scope ? q->scope->decl_file : q->file;
	c.scan.scope = q->scope;
	c.scan.fn = collect_line;
	c.scan.arg = &c;
	ret = ustat_dwarf__walk_units(dw, line_cu, &c);
	if (!ret && q->scope)
		ret = scan_scope_starts(&c.scan);
	if (!ret && q->scope)
		ret = take(&c);
	q->file_seen = c.scan.file_seen || (q->scope && q->scope->nr_starts);
	drop(&c);	/* what an error left */
	free(c.starts);
	ustat_addrs__exit(&c.rows);
	ustat_addrs__finish(&q->addrs);
	return ret;
}

/* ---- list --lines ------------------------------------------------------- */

struct lines_collect {
	struct line_scan	 scan;
	struct ustat_addrs	 lines;
};

static int collect_any(void *arg, int line, u64 addr, const struct line_start *start)
{
	struct lines_collect *c = arg;

	(void)addr;
	(void)start;
	if (line < c->scan.scope->decl_line)
		return 0;
	return ustat_addrs__add(&c->lines, line);
}

static int scope_lines_cu(Dwarf_Die *cu, void *arg)
{
	struct lines_collect *c = arg;

	return scan_cu(cu, &c->scan);
}

int ustat_dwarf__scope_lines(Dwarf *dw, const struct ustat_func_scope *scope,
			     int **lines, int *nr)
{
	struct lines_collect c = { 0 };
	int ret, i;

	c.scan.file = scope->decl_file;
	c.scan.scope = scope;
	c.scan.fn = collect_any;
	c.scan.arg = &c;
	*lines = NULL;
	*nr = 0;
	ret = ustat_dwarf__walk_units(dw, scope_lines_cu, &c);
	if (!ret)
		ret = scan_scope_starts(&c.scan);
	ustat_addrs__finish(&c.lines);
	if (!ret && c.lines.nr) {
		*lines = malloc(c.lines.nr * sizeof(**lines));
		if (!*lines)
			ret = -ENOMEM;
		for (i = 0; !ret && i < c.lines.nr; i++)
			(*lines)[i] = c.lines.addr[i];
		if (!ret)
			*nr = c.lines.nr;
	}
	ustat_addrs__exit(&c.lines);
	return ret;
}
