// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/uprobe-stat/util/array.h"
#include "debuginfo.h"
#include "demangle.h"
#include "elf-func-list.h"
#include "elf-open.h"
#include "elf-symbols.h"
#include "probe-expand.h"
#include "target-file.h"

/* A function a pattern or a C++ name matched. */
struct match {
	char	*sym;		/* the symbol, as the resolver looks it up */
	char	*name;		/* demangled without parameters, or the symbol */
	char	*sig;		/* demangled with them, or the symbol */
};

struct expand {
	const char		*text;
	const char		*binary;	/* as typed, or the default */
	pid_t			 pid;
	char			 path[PATH_MAX];
	struct match		*m;
	int			 nr;
	int			 cap;
	char			*err;
	size_t			 errlen;
};

static int binary_path(struct expand *x)
{
	if (x->pid > 0)
		return ustat_target_file__resolve(x->pid, x->binary, x->path, sizeof(x->path),
						  x->err, x->errlen);
	return ustat_binary__resolve(x->binary, x->path, sizeof(x->path), x->err, x->errlen);
}

/* Append SRC's N sites to *SITES, *NR. */
static int append(struct ustat_probe **sites, int *nr, struct ustat_probe *src, int n)
{
	struct ustat_probe *all = realloc(*sites, (*nr + n) * sizeof(*all));

	if (!all)
		return -ENOMEM;
	memcpy(all + *nr, src, n * sizeof(*all));
	*sites = all;
	*nr += n;
	return 0;
}

static void free_sites(struct ustat_probe *s, int n)
{
	while (n-- > 0)
		ustat_probe__exit(&s[n]);
}

/* "ns::f" instead of "_ZN2ns1fEv" wherever a site names its function. */
static void demangle_funcs(struct ustat_probe *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(s[i].func, "_Z", 2))
			ustat_demangle__name(s[i].func, s[i].func, sizeof(s[i].func));
}

/* S[0..N), demangled, go to the end of *SITES; S is freed either way. */
static int take_sites(struct ustat_probe **sites, int *nr, struct ustat_probe *s, int n)
{
	int ret;

	demangle_funcs(s, n);
	ret = append(sites, nr, s, n);
	if (ret)
		free_sites(s, n);
	free(s);
	return ret;
}

/* The spec's tail after its last field separator ("" when none). */
static const char *last_field(const char *text, const char **colon)
{
	const char *p, *last = NULL;

	for (p = text; *p; p++) {
		if (*p == ':' && p[1] == ':') {
			p++;
			continue;
		}
		if (*p == ':')
			last = p;
	}
	*colon = last;
	return last ? last + 1 : text;
}

static bool is_hex_addr(const char *s)
{
	if (strncmp(s, "0x", 2) && strncmp(s, "0X", 2))
		return false;
	if (!s[2])
		return false;
	for (s += 2; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

/* BINARY:0xADDR: FUNC+OFF of the function holding ADDR, checked like any +OFF. */
static int resolve_addr(struct expand *x, const char *addr, struct ustat_probe **sites,
			int *nr)
{
	struct ustat_debuginfo di;
	char func[256], text[600], derr[256];
	struct ustat_probe *s;
	u64 vaddr = strtoull(addr, NULL, 16), off;
	int fd, ret, n, i;
	Elf *elf;

	ret = binary_path(x);
	if (ret)
		return ret;
	ret = ustat_elf__open(x->path, &fd, &elf, x->err, x->errlen);
	if (ret)
		return ret == -ENOEXEC ? -EINVAL : ret;
	ret = ustat_elf__func_at(elf, vaddr, func, sizeof(func), &off);
	ustat_elf__close(fd, elf);
	/* Stripped: the static functions are in the separate debug file. */
	if (ret && !ustat_debuginfo__open(&di, x->path, derr, sizeof(derr))) {
		if (di.separate)
			ret = ustat_elf__func_at(di.elf, vaddr, func, sizeof(func), &off);
		ustat_debuginfo__close(&di);
	}
	if (ret) {
		snprintf(x->err, x->errlen,
			 "probe '%s': no function of '%s' holds address %#llx, so its instruction boundaries are unknown: probe a function, func+OFF or file.c:LINE",
			 x->text, x->path, (unsigned long long)vaddr);
		return -ENOENT;
	}
	/* +OFF, even +0: the one instruction at the address, no inlined copies. */
	snprintf(text, sizeof(text), "%s:%s+%#llx", x->binary, func, (unsigned long long)off);
	ret = ustat_probe__resolve_sites_in(text, NULL, x->pid, &s, &n, x->err, x->errlen);
	if (ret) {
		/* The check's sentence names the spec it was given: say what the address is. */
		char tmp[1024], prefix[700];
		size_t k = snprintf(prefix, sizeof(prefix), "probe '%s': ", text);

		snprintf(tmp, sizeof(tmp), "%s", x->err);
		if (!strncmp(tmp, prefix, k))
			snprintf(x->err, x->errlen, "probe '%s': address %s is %s+%#llx: %s",
				 x->text, addr, func, (unsigned long long)off, tmp + k);
		return ret;
	}
	for (i = 0; i < n; i++)
		snprintf(s[i].display, sizeof(s[i].display), "%s", x->text);
	return take_sites(sites, nr, s, n);
}

static bool is_pattern(const char *func)
{
	return strpbrk(func, "*?") || (strchr(func, '[') && !strstr(func, "operator"));
}

static int add_match(struct expand *x, const char *sym, const char *name, const char *sig)
{
	struct match *m;

	if (x->nr >= USTAT_MAX_MATCHES) {
		x->nr++;	/* counted, for the message */
		return 0;
	}
	if (ustat_array_grow(x->m, x->cap, x->nr + 1))
		return -ENOMEM;
	m = x->m + x->nr;
	m->sym = strdup(sym);
	m->name = strdup(name);
	m->sig = strdup(sig);
	x->nr++;
	return m->sym && m->name && m->sig ? 0 : -ENOMEM;
}

/* Does symbol SYM match FUNC, a pattern or a C++ name? */
static int match_one(struct expand *x, const char *func, const char *sym)
{
	bool pattern = is_pattern(func), with_sig = strchr(func, '(') != NULL;
	char *name = ustat_demangle(sym), sig[1024];
	bool hit;
	int ret;

	if (name) {
		ustat_demangle__split(name, sig, sizeof(sig));
	} else {
		name = strdup(sym);
		if (!name)
			return -ENOMEM;
		snprintf(sig, sizeof(sig), "%s", sym);
	}
	if (pattern) {
		hit = !fnmatch(func, sym, 0) || !fnmatch(func, with_sig ? sig : name, 0);
	} else {
		const char *full = with_sig ? sig : name;
		size_t lf = strlen(func), ln = strlen(full);

		hit = ustat_demangle__same(func, full);
		/* "Widget::poke" is also "ns::Widget::poke", as gdb takes it. */
		if (!hit && !strchr(func, ' ') && ln > lf + 2 && !strcmp(full + ln - lf, func) &&
		    !strncmp(full + ln - lf - 2, "::", 2))
			hit = true;
	}
	ret = hit ? add_match(x, sym, name, sig) : 0;
	free(name);
	return ret;
}

static int find_matches(struct expand *x, const char *func)
{
	struct ustat_debuginfo di;
	char derr[256], **names;
	int ret, n, i, have_di;

	ret = binary_path(x);
	if (ret)
		return ret;
	/* libc's own static functions are in libc6-dbg's file, not in libc. */
	have_di = !ustat_debuginfo__open(&di, x->path, derr, sizeof(derr));
	ret = ustat_elf__func_names(x->path, have_di && di.separate ? di.path : NULL, &names, &n);
	if (have_di)
		ustat_debuginfo__close(&di);
	if (ret) {
		snprintf(x->err, x->errlen, "cannot read the symbols of '%s': %s", x->path,
			 strerror(-ret));
		return ret;
	}
	for (i = 0; i < n && !ret; i++)
		ret = match_one(x, func, names[i]);
	ustat_func_names__free(names, n);
	return ret;
}

/* By signature when typed so, or when two overloads share a name. */
static const char *shown(const struct expand *x, int i, const char *func)
{
	int j;

	if (strchr(func, '('))
		return x->m[i].sig;
	for (j = 0; j < x->nr; j++)
		if (j != i && !strcmp(x->m[j].name, x->m[i].name))
			return x->m[i].sig;
	return x->m[i].name;
}

/* The site at the symbol itself, to drop aliases (memcpy and __memcpy...). */
static bool seen_addr(const struct ustat_probe *all, int nr, const struct ustat_probe *s)
{
	int i;

	if (s->site_kind != USTAT_SITE_FUNC)
		return false;
	for (i = 0; i < nr; i++)
		if (all[i].site_kind == USTAT_SITE_FUNC && all[i].offset == s->offset &&
		    !strcmp(all[i].path, s->path) && all[i].spec.is_return == s->spec.is_return)
			return true;
	return false;
}

static int resolve_matches(struct expand *x, const struct ustat_probe_spec *spec,
			   bool pattern, struct ustat_probe **sites, int *nr)
{
	char text[1400], suffix[64] = "", shown_as[256];
	int i, j, n, ret = 0, first = *nr;
	struct ustat_probe *s;

	if (spec->has_offset)
		snprintf(suffix, sizeof(suffix), "+%#llx", (unsigned long long)spec->offset);
	else if (spec->is_return)
		snprintf(suffix, sizeof(suffix), "%%return");
	/*
	 * A pattern probes the symbols (+0: no search of the DWARF for inlined
	 * copies, once per match); a C++ name also its inlined copies.
	 */
	else if (pattern)
		snprintf(suffix, sizeof(suffix), "+0");
	for (i = 0; i < x->nr && !ret; i++) {
		snprintf(text, sizeof(text), "%s:%s%s", x->binary, x->m[i].sym, suffix);
		ret = ustat_probe__resolve_sites_in(text, NULL, x->pid, &s, &n, x->err,
						    x->errlen);
		if (ret)
			break;
		if (seen_addr(*sites + first, *nr - first, &s[0])) {
			free_sites(s, n);
			free(s);
			continue;
		}
		/* Names are for show: an absurdly long one is cut. */
		snprintf(shown_as, sizeof(shown_as), "%.100s%s%.140s%s",
			 spec->binary ? spec->binary : "",
			 spec->binary ? ":" : "", shown(x, i, spec->func),
			 pattern && !spec->has_offset ? "" : suffix);
		for (j = 0; j < n; j++) {
			memcpy(s[j].display, shown_as, sizeof(shown_as));
			/* "func+0" was only the way to ask for the symbol alone. */
			if (pattern && !spec->has_offset)
				s[j].spec.has_offset = false;
		}
		ret = take_sites(sites, nr, s, n);
	}
	return ret;
}

int ustat_probe__resolve_expanded(const char *text, const char *default_binary, pid_t pid,
				  struct ustat_probe **sites, int *nr,
				  char *err, size_t errlen)
{
	struct expand x = { .text = text, .pid = pid, .err = err, .errlen = errlen };
	struct ustat_probe_spec spec;
	const char *colon, *tail = last_field(text, &colon);
	char bin[PATH_MAX];
	bool pattern;
	int ret, i;

	*sites = NULL;
	*nr = 0;
	if (is_hex_addr(tail)) {
		if (colon)
			snprintf(bin, sizeof(bin), "%.*s", (int)(colon - text), text);
		x.binary = colon ? bin : default_binary;
		if (!x.binary) {
			snprintf(err, errlen,
				 "probe '%s': no binary to probe: give -x BINARY or BINARY:%s",
				 text, tail);
			return -EINVAL;
		}
		return resolve_addr(&x, tail, sites, nr);
	}
	ret = ustat_probe_spec__parse(&spec, text, err, errlen);
	if (ret)
		return ret;
	pattern = spec.kind == USTAT_SPEC_FUNC && is_pattern(spec.func);
	if (!pattern && (spec.kind != USTAT_SPEC_FUNC || !ustat_demangle__is_cxx(spec.func))) {
		ustat_probe_spec__exit(&spec);
		ret = ustat_probe__resolve_sites_in(text, default_binary, pid, sites, nr,
						    err, errlen);
		if (!ret)
			demangle_funcs(*sites, *nr);
		return ret;
	}
	x.binary = spec.binary ? spec.binary : default_binary;
	if (!x.binary) {
		snprintf(err, errlen, "probe '%s': no binary to probe: give -x BINARY or BINARY:%s",
			 text, spec.func);
		ret = -EINVAL;
		goto out;
	}
	ret = find_matches(&x, spec.func);
	if (ret)
		goto out;
	if (x.nr > USTAT_MAX_MATCHES) {
		snprintf(err, errlen,
			 "probe '%s' matches %d functions of '%s', more than %d: narrow the pattern",
			 text, x.nr, x.path, USTAT_MAX_MATCHES);
		x.nr = USTAT_MAX_MATCHES;
		ret = -E2BIG;
	} else if (!x.nr && pattern) {
		snprintf(err, errlen,
			 "probe '%s': no function of '%s' matches '%s' (see list --funcs)",
			 text, x.path, spec.func);
		ret = -ENOENT;
	} else if (!x.nr) {
		/* No symbol: perhaps inlined only ("twice<int>"), else the usual message. */
		ret = ustat_probe__resolve_sites_in(text, default_binary, pid, sites, nr,
						    err, errlen);
	} else {
		ret = resolve_matches(&x, &spec, pattern, sites, nr);
	}
	if (ret && *nr) {
		free_sites(*sites, *nr);
		free(*sites);
		*sites = NULL;
		*nr = 0;
	}
out:
	for (i = 0; i < x.nr; i++) {
		free(x.m[i].sym);
		free(x.m[i].name);
		free(x.m[i].sig);
	}
	free(x.m);
	ustat_probe_spec__exit(&spec);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}
