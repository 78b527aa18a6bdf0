// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/resolve/debuginfo.h"
#include "util/uprobe-stat/resolve/demangle.h"
#include "util/uprobe-stat/resolve/dwarf-inline.h"
#include "util/uprobe-stat/resolve/dwarf-lines.h"
#include "util/uprobe-stat/resolve/elf-func-list.h"
#include "util/uprobe-stat/resolve/elf-symbols.h"
#include "list-binary.h"
#include "util/uprobe-stat/util/str-escape.h"
#include "util/uprobe-stat/resolve/usdt.h"

/* One escaped name per fprintf() (str-escape.h). */
static char safe_buf[2 * PATH_MAX];
#define SAFE(s) ustat_str__safe(s, safe_buf, sizeof(safe_buf))

/*
 * --funcs: one function a line, as 'record' takes it.  A function the
 * compiler inlined is also probed at each inlined copy: those show how
 * many sites the probe will have.
 */
int ustat_list__funcs(const char *binary, FILE *out, char *err, size_t errlen)
{
	struct ustat_inline_func *inl = NULL;
	struct ustat_debuginfo di;
	char path[PATH_MAX], derr[512], **names = NULL;
	int nr = 0, nr_inl = 0, i = 0, j = 0, ret, have_di;

	ret = ustat_binary__resolve(binary, path, sizeof(path), err, errlen);
	if (ret)
		return ret;
	have_di = !ustat_debuginfo__open(&di, path, derr, sizeof(derr));
	ret = ustat_elf__func_names(path, have_di && di.separate ? di.path : NULL, &names, &nr);
	if (!ret)
		ret = ustat_demangle__names(names, &nr);
	if (!ret && have_di)
		ret = ustat_dwarf__inline_funcs(di.dwarf, &inl, &nr_inl);
	if (ret) {
		snprintf(err, errlen, ret == -ENOMEM ? "out of memory" : "cannot read '%s': %s",
			 path, strerror(-ret));
		goto out;
	}
	/* Both lists are sorted: walk them side by side. */
	while (i < nr || j < nr_inl) {
		int c = i == nr ? 1 : j == nr_inl ? -1 : strcmp(names[i], inl[j].name);

		/* Names come from the binary: escaped (str-escape.h). */
		if (c < 0) {
			fprintf(out, "%s\n", SAFE(names[i++]));
		} else if (c == 0) {
			fprintf(out, "%-40s %d sites (%d inlined)\n", SAFE(names[i++]),
				inl[j].copies + 1, inl[j].copies);
			j++;
		} else {
			fprintf(out, "%-40s %d site%s (inlined only)\n", SAFE(inl[j].name),
				inl[j].copies, inl[j].copies > 1 ? "s" : "");
			j++;
		}
	}
	if (!nr && !nr_inl)
		fprintf(out, "# '%s' has no function symbols%s\n", SAFE(path),
			have_di ? "" : " and no debuginfo");
out:
	ustat_func_names__free(names, nr);
	ustat_inline_funcs__free(inl, nr_inl);
	if (have_di)
		ustat_debuginfo__close(&di);
	return ret;
}

/* The source text of lines FIRST..LAST of FILE, or NULL where unreadable. */
static char **read_source(const char *file, int first, int last)
{
	char **text, *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int no = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f)
		return NULL;
	text = calloc(last - first + 1, sizeof(*text));
	while (text && (n = getline(&line, &cap, f)) >= 0 && ++no <= last) {
		if (no < first)
			continue;
		line[strcspn(line, "\n")] = '\0';
		text[no - first] = strdup(line);
	}
	free(line);
	fclose(f);
	return text;
}

/*
 * --lines FUNC: FUNC's lines from its declaration to its last line with
 * code, numbered as func:LINE counts them where a probe can go, as perf
 * probe --line shows them.
 */
int ustat_list__lines(const char *binary, const char *func, FILE *out,
		      char *err, size_t errlen)
{
	struct ustat_func_scope scope;
	struct ustat_debuginfo di;
	char path[PATH_MAX], **text;
	int *lines = NULL, nr = 0, ret, l, k = 0, last;

	ret = ustat_binary__resolve(binary, path, sizeof(path), err, errlen);
	if (ret)
		return ret;
	ret = ustat_debuginfo__open(&di, path, err, errlen);
	if (ret)
		return ret;
	ret = ustat_dwarf__func_scope(di.dwarf, func, &scope, err, errlen);
	if (ret == -ENOENT)
		snprintf(err, errlen, "function '%s' not found in the debuginfo of '%s'",
			 func, path);
	if (ret)
		goto out_di;
	ret = ustat_dwarf__scope_lines(di.dwarf, &scope, &lines, &nr);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	last = nr ? lines[nr - 1] : scope.decl_line;
	text = read_source(scope.src_path, scope.decl_line, last);
	fprintf(out, "<%s@", SAFE(func));
	fprintf(out, "%s:%d>\n", SAFE(scope.src_path), scope.decl_line);
	for (l = scope.decl_line; l <= last; l++) {
		const char *src = text ? text[l - scope.decl_line] : NULL;

		while (k < nr && lines[k] < l)
			k++;
		if (k < nr && lines[k] == l)
			fprintf(out, "%7d  %s\n", l - scope.decl_line, SAFE(src));
		else
			fprintf(out, "%7s  %s\n", "", SAFE(src));
	}
	if (!text)
		fprintf(out, "# source not found at %s: numbered lines have code\n",
			SAFE(scope.src_path));
	if (!nr)
		fprintf(out, "# %s has no code of its own\n", SAFE(func));
	for (l = 0; text && l <= last - scope.decl_line; l++)
		free(text[l]);
	free(text);
	free(lines);
out:
	ustat_func_scope__exit(&scope);
out_di:
	ustat_debuginfo__close(&di);
	return ret;
}

static int cmp_usdt(const void *a, const void *b)
{
	const struct ustat_usdt *x = a, *y = b;
	int c = strcmp(x->provider, y->provider);

	return c ? c : strcmp(x->name, y->name);
}

/* --sdt: each USDT probe once, with its number of sites and its semaphore. */
int ustat_list__sdt(const char *binary, FILE *out, char *err, size_t errlen)
{
	char path[PATH_MAX], name[512];
	struct ustat_usdt *u;
	int nr, i, j, ret;

	ret = ustat_binary__resolve(binary, path, sizeof(path), err, errlen);
	if (ret)
		return ret;
	ret = ustat_usdt__read(path, &u, &nr, err, errlen);
	if (ret)
		return ret;
	if (nr)
		qsort(u, nr, sizeof(*u), cmp_usdt);
	for (i = 0; i < nr; i = j) {
		u64 sem = 0;

		for (j = i; j < nr && !cmp_usdt(&u[i], &u[j]); j++)
			sem = sem ? sem : u[j].sem_offset;
		snprintf(name, sizeof(name), "sdt:%s:%s", u[i].provider, u[i].name);
		fprintf(out, "%-40s %d site%s", SAFE(name), j - i, j - i > 1 ? "s" : "");
		if (sem)
			fprintf(out, ", semaphore at file offset %#llx", (unsigned long long)sem);
		fputc('\n', out);
	}
	if (!nr)
		fprintf(out, "# '%s' has no USDT probes\n", SAFE(path));
	ustat_usdt__free(u, nr);
	return 0;
}
