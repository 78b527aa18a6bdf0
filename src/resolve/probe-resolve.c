// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/uprobe-stat/util/array.h"
#include "debuginfo.h"
#include "dwarf-inline.h"
#include "insn-check.h"
#include "target-file.h"
#include "dwarf-lines.h"
#include "elf-open.h"
#include "probe-resolve.h"
#include "target-check.h"
#include "usdt.h"

struct site {
	u64			vaddr;
	u64			ref_ctr;	/* semaphore file offset */
	enum ustat_site_kind	kind;
};

/* What resolving one spec needs: the binary, its debuginfo, the sites found. */
struct resolver {
	const char		*text;
	pid_t			 pid;		/* the files are the ones it maps; 0: ours */
	struct ustat_probe_spec	 spec;
	char			 path[PATH_MAX];
	int			 fd;
	Elf			*elf;
	struct ustat_debuginfo	 di;
	int			 di_ret;	/* 1: not looked for yet */
	char			 di_err[512];
	struct ustat_sym_loc	 sym;
	bool			 has_sym;
	struct site		*sites;
	int			 nr;
	int			 cap;
	char			*err;
	size_t			 errlen;
};

const char *ustat_site_kind__name(enum ustat_site_kind kind)
{
	switch (kind) {
	case USTAT_SITE_INLINE:
		return "inline";
	case USTAT_SITE_LINE:
		return "line";
	case USTAT_SITE_SDT:
		return "sdt";
	case USTAT_SITE_FUNC:
	default:
		return "func";
	}
}

static int add_site(struct resolver *r, u64 vaddr, u64 ref_ctr, enum ustat_site_kind kind)
{
	int i;

	/* One uprobe per address: an inlined entry may coincide with the symbol. */
	for (i = 0; i < r->nr; i++)
		if (r->sites[i].vaddr == vaddr)
			return 0;
	if (ustat_array_grow(r->sites, r->cap, r->nr + 1))
		return -ENOMEM;
	r->sites[r->nr].vaddr = vaddr;
	r->sites[r->nr].ref_ctr = ref_ctr;
	r->sites[r->nr].kind = kind;
	r->nr++;
	return 0;
}

static int add_sites(struct resolver *r, const struct ustat_addrs *a, enum ustat_site_kind kind)
{
	int i, ret;

	for (i = 0; i < a->nr; i++) {
		ret = add_site(r, a->addr[i], 0, kind);
		if (ret)
			return ret;
	}
	return 0;
}

/* The DWARF, looked for once; REQUIRED: say why there is none. */
static Dwarf *dwarf_of(struct resolver *r, bool required)
{
	if (r->di_ret == 1)
		r->di_ret = ustat_debuginfo__open(&r->di, r->path, r->di_err, sizeof(r->di_err));
	if (r->di_ret && required)
		snprintf(r->err, r->errlen, "probe '%s': %s", r->text, r->di_err);
	return r->di_ret ? NULL : r->di.dwarf;
}

static bool has_symtab(Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			return true;
	return false;
}

/* func, func+OFF, func%return: the symbol, and for plain func its inlined copies. */
static int resolve_func(struct resolver *r)
{
	struct ustat_probe_spec *s = &r->spec;
	struct ustat_addrs inl = { 0 };
	char symerr[512];
	Dwarf *dw;
	int ret;

	ret = ustat_elf__resolve_func(r->path, s->func, &r->sym, symerr, sizeof(symerr));
	/* A stripped binary: its static functions are in the separate debug file. */
	if (ret == -ENOENT && dwarf_of(r, false) && r->di.separate)
		ret = ustat_elf__resolve_func_split(r->path, r->di.path, s->func, &r->sym,
						    symerr, sizeof(symerr));
	if (ret && ret != -ENOENT) {
		snprintf(r->err, r->errlen, "%s", symerr);
		return ret;
	}
	r->has_sym = !ret;
	if (!s->has_offset && !s->is_return) {
		dw = dwarf_of(r, false);
		if (dw && ustat_dwarf__inline_entries(dw, s->func, &inl)) {
			ustat_addrs__exit(&inl);
			return -ENOMEM;
		}
	}
	if (!r->has_sym && !inl.nr) {
		/* Stripped and no debuginfo: what was missing is the debuginfo. */
		if (!has_symtab(r->elf) && r->di_ret)
			snprintf(r->err, r->errlen,
				 "%s (the binary is stripped, and its debuginfo was not found: install its -dbgsym package or set %s)",
				 symerr, USTAT_DEBUGINFO_ENV);
		else
			snprintf(r->err, r->errlen, "%s", symerr);
		return -ENOENT;
	}
	/* Only inlined: the copies are the sites (kept for add_sites below). */
	if (!r->has_sym && (s->has_offset || s->is_return)) {
		ustat_addrs__exit(&inl);
		snprintf(r->err, r->errlen,
			 "probe '%s': '%s' is only inlined in '%s': +OFF and %%return need an out-of-line copy",
			 r->text, s->func, r->path);
		return -ENOENT;
	}
	/* An int3 inside an instruction would corrupt the target's code. */
	if (r->has_sym && s->has_offset && s->offset) {
		char why[384];

		ret = ustat_insn__check_offset(r->fd, r->sym.file_offset, r->sym.size, s->offset,
					       s->func, why, sizeof(why));
		if (ret) {
			if (ret != -ENOMEM)
				snprintf(r->err, r->errlen, "probe '%s': %s", r->text, why);
			ustat_addrs__exit(&inl);
			return ret == -ENOMEM ? ret : -EINVAL;
		}
	}
	ret = 0;
	if (r->has_sym)
		ret = add_site(r, r->sym.vaddr + s->offset, 0, USTAT_SITE_FUNC);
	if (!ret)
		ret = add_sites(r, &inl, USTAT_SITE_INLINE);
	ustat_addrs__exit(&inl);
	return ret;
}

/* "nearest lines with code: 10 and 14", relative to BASE (func:LINE) or not. */
static void near_lines(const struct ustat_line_query *q, int base, char *buf, size_t len)
{
	if (q->before && q->after)
		snprintf(buf, len, " (nearest lines with code: %d and %d)",
			 q->before - base, q->after - base);
	else if (q->before || q->after)
		snprintf(buf, len, " (nearest line with code: %d)",
			 (q->before ? q->before : q->after) - base);
	else
		snprintf(buf, len, " (no line of it has code here)");
}

/* file.c:LINE and func:LINE. */
static int resolve_line(struct resolver *r)
{
	struct ustat_probe_spec *s = &r->spec;
	struct ustat_line_query q = { .file = s->file, .line = s->line };
	struct ustat_func_scope scope = { 0 };
	Dwarf *dw = dwarf_of(r, true);
	char near[128];
	int ret, base = 0;

	if (!dw)
		return -ENOENT;
	if (s->kind == USTAT_SPEC_FUNC_LINE) {
		ret = ustat_dwarf__func_scope(dw, s->func, &scope, r->err, r->errlen);
		if (ret) {
			if (ret == -ENOENT)
				snprintf(r->err, r->errlen,
					 "probe '%s': function '%s' not found in the debuginfo of '%s'",
					 r->text, s->func, r->path);
			return ret;
		}
		base = scope.decl_line;
		q.file = scope.decl_file;
		q.line = base + s->line;
		q.scope = &scope;
	}
	ret = ustat_dwarf__line_addrs(dw, &q);
	if (ret) {
		snprintf(r->err, r->errlen, "out of memory");
		goto out;
	}
	ret = -ENOENT;
	if (!q.file_seen) {
		snprintf(r->err, r->errlen,
			 "probe '%s': source file '%s' not found in the debuginfo of '%s'",
			 r->text, q.file, r->path);
	} else if (!q.addrs.nr) {
		near_lines(&q, base, near, sizeof(near));
		if (s->kind == USTAT_SPEC_FUNC_LINE)
			snprintf(r->err, r->errlen,
				 "probe '%s': no code at line %d of %s (%s:%d)%s", r->text,
				 s->line, s->func, scope.src_path, q.line, near);
		else
			snprintf(r->err, r->errlen, "probe '%s': no code at %s:%d%s",
				 r->text, s->file, s->line, near);
	} else {
		ret = add_sites(r, &q.addrs, USTAT_SITE_LINE);
	}
out:
	ustat_addrs__exit(&q.addrs);
	ustat_func_scope__exit(&scope);
	return ret;
}

static int resolve_sdt(struct resolver *r)
{
	struct ustat_probe_spec *s = &r->spec;
	struct ustat_usdt *u;
	int nr, i, ret;

	ret = ustat_usdt__read(r->path, &u, &nr, r->err, r->errlen);
	if (ret)
		return ret;
	for (i = 0; i < nr && !ret; i++)
		if (!strcmp(u[i].provider, s->provider) && !strcmp(u[i].name, s->name))
			ret = add_site(r, u[i].pc, u[i].sem_offset, USTAT_SITE_SDT);
	if (!ret && !r->nr) {
		if (nr)
			snprintf(r->err, r->errlen,
				 "probe '%s': USDT probe %s:%s not found in '%s' (it has %d; see list --sdt)",
				 r->text, s->provider, s->name, r->path, nr);
		else
			snprintf(r->err, r->errlen,
				 "probe '%s': '%s' has no USDT probes (no .note.stapsdt)",
				 r->text, r->path);
		ret = -ENOENT;
	}
	ustat_usdt__free(u, nr);
	return ret;
}

/* perf probe's group for a binary: "probe_" + basename up to the first dot. */
static void group_name(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	base = base ? base + 1 : path;
	n = snprintf(buf, len, "probe_");
	for (; *base && *base != '.' && n + 1 < len; base++)
		buf[n++] = isalnum((unsigned char)*base) ? *base : '_';
	buf[n] = '\0';
}

/* Event names are C identifiers: versioned or dotted symbols lose the rest. */
static void c_ident(char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			*s = '_';
}

static void event_name(struct ustat_probe *p)
{
	const struct ustat_probe_spec *s = &p->spec;
	char group[128], func[160];
	int n;

	group_name(p->path, group, sizeof(group));
	snprintf(func, sizeof(func), "%s", s->func ? s->func : p->func[0] ? p->func : "line");
	c_ident(func);
	/* An absurdly long symbol makes a cut name: harmless, names are for show. */
	if (s->kind == USTAT_SPEC_SDT) {
		snprintf(group, sizeof(group), "sdt_%s", s->provider);
		n = snprintf(p->event, sizeof(p->event), "%s:%s", group, s->name);
	} else if (s->kind != USTAT_SPEC_FUNC) {
		/* perf probe: "func_L3" for func:3; here also "caller_L12" for file.c:12. */
		n = snprintf(p->event, sizeof(p->event), "%s:%s_L%u", group, func, s->line);
	} else if (s->is_return) {
		n = snprintf(p->event, sizeof(p->event), "%s:%s__return", group, func);
	} else if (s->has_offset) {
		n = snprintf(p->event, sizeof(p->event), "%s:%s_%llu", group, func,
			     (unsigned long long)s->offset);
	} else {
		n = snprintf(p->event, sizeof(p->event), "%s:%s", group, func);
	}
	if (n >= (int)sizeof(p->event))
		p->event[sizeof(p->event) - 1] = '\0';
}

/* The function a site is in: the binary's symbols, else the debug file's. */
static void site_func(struct resolver *r, struct ustat_probe *p, u64 vaddr)
{
	if (p->site_kind == USTAT_SITE_FUNC) {
		snprintf(p->func, sizeof(p->func), "%s", r->spec.func);
		p->func_offset = r->spec.offset;
		return;
	}
	if (!ustat_elf__func_at(r->elf, vaddr, p->func, sizeof(p->func), &p->func_offset))
		return;
	if (r->di_ret == 0 && r->di.separate &&
	    !ustat_elf__func_at(r->di.elf, vaddr, p->func, sizeof(p->func), &p->func_offset))
		return;
	p->func[0] = '\0';
	p->func_offset = 0;
}

static int make_sites(struct resolver *r, struct ustat_probe **out)
{
	struct ustat_probe *sites;
	int i, ret;

	sites = calloc(r->nr, sizeof(*sites));
	if (!sites)
		return -ENOMEM;
	for (i = 0; i < r->nr; i++) {
		struct ustat_probe *p = &sites[i];
		bool exec;

		ret = ustat_probe_spec__parse(&p->spec, r->text, r->err, r->errlen);
		if (ret)
			goto fail;
		snprintf(p->path, sizeof(p->path), "%s", r->path);
		p->site_kind = r->sites[i].kind;
		p->site = i;
		p->nr_sites = r->nr;
		p->ref_ctr_offset = r->sites[i].ref_ctr;
		p->vaddr = r->sites[i].vaddr;
		if (p->site_kind == USTAT_SITE_FUNC)
			p->sym = r->sym;
		if (ustat_elf__vaddr_to_offset(r->elf, r->sites[i].vaddr, &p->offset, &exec) ||
		    !exec) {
			snprintf(r->err, r->errlen,
				 "probe '%s': address %#llx is not in an executable segment of '%s'",
				 r->text, (unsigned long long)r->sites[i].vaddr, r->path);
			i++;
			ret = -EINVAL;
			goto fail;
		}
		site_func(r, p, r->sites[i].vaddr);
		event_name(p);
		ustat_probe_spec__display(&p->spec, p->display, sizeof(p->display));
	}
	*out = sites;
	return 0;
fail:
	while (i--)
		ustat_probe__exit(&sites[i]);
	free(sites);
	return ret;
}

static int open_binary(struct resolver *r, const char *binary)
{
	int ret;

	if (r->pid > 0)
		ret = ustat_target_file__resolve(r->pid, binary, r->path, sizeof(r->path),
						 r->err, r->errlen);
	else
		ret = ustat_binary__resolve(binary, r->path, sizeof(r->path), r->err, r->errlen);
	if (ret)
		return ret;
	ret = ustat_elf__open(r->path, &r->fd, &r->elf, r->err, r->errlen);
	if (!ret)
		ret = ustat_elf__check_machine(r->elf, r->path, r->err, r->errlen);
	return ret == -ENOEXEC ? -EINVAL : ret;
}

static const char *spec_hint(const struct ustat_probe_spec *s)
{
	switch (s->kind) {
	case USTAT_SPEC_LINE:
		return s->file;
	case USTAT_SPEC_SDT:
		return s->provider;
	case USTAT_SPEC_FUNC:
	case USTAT_SPEC_FUNC_LINE:
	default:
		return s->func;
	}
}

int ustat_probe__resolve_sites(const char *text, const char *default_binary,
			       struct ustat_probe **sites, int *nr,
			       char *err, size_t errlen)
{
	return ustat_probe__resolve_sites_in(text, default_binary, 0, sites, nr, err, errlen);
}

int ustat_probe__resolve_sites_in(const char *text, const char *default_binary, pid_t pid,
				  struct ustat_probe **sites, int *nr,
				  char *err, size_t errlen)
{
	struct resolver r = { .text = text, .fd = -1, .di_ret = 1, .err = err, .errlen = errlen,
			      .pid = pid };
	const char *binary;
	int ret;

	*sites = NULL;
	*nr = 0;
	ret = ustat_probe_spec__parse(&r.spec, text, err, errlen);
	if (ret)
		return ret;
	binary = r.spec.binary ? r.spec.binary : default_binary;
	if (!binary) {
		snprintf(err, errlen, "probe '%s': no binary to probe: give -x BINARY or BINARY:%s",
			 text, spec_hint(&r.spec));
		ret = -EINVAL;
		goto out;
	}
	ret = open_binary(&r, binary);
	if (ret)
		goto out;
	switch (r.spec.kind) {
	case USTAT_SPEC_LINE:
	case USTAT_SPEC_FUNC_LINE:
		ret = resolve_line(&r);
		break;
	case USTAT_SPEC_SDT:
		ret = resolve_sdt(&r);
		break;
	case USTAT_SPEC_FUNC:
	default:
		ret = resolve_func(&r);
		break;
	}
	if (!ret && !r.nr) {
		snprintf(err, errlen, "probe '%s' resolved to no place to probe in '%s'", text,
			 r.path);
		ret = -ENOENT;
	}
	if (!ret && r.nr > USTAT_MAX_SITES) {
		snprintf(err, errlen,
			 "probe '%s' needs %d uprobes, more than %d: name a narrower place%s",
			 text, r.nr, USTAT_MAX_SITES, r.spec.kind == USTAT_SPEC_FUNC ?
			 " ('func+0' is the out-of-line copy alone)" : "");
		ret = -E2BIG;
	}
	if (!ret) {
		ret = make_sites(&r, sites);
		if (!ret)
			*nr = r.nr;
	}
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (r.di_ret == 0)
		ustat_debuginfo__close(&r.di);
	ustat_elf__close(r.fd, r.elf);
	free(r.sites);
	ustat_probe_spec__exit(&r.spec);
	return ret;
}

void ustat_probe__exit(struct ustat_probe *p)
{
	ustat_probe_spec__exit(&p->spec);
}
