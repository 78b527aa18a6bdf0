// SPDX-License-Identifier: GPL-2.0
/*
 * The probed instruction in words, for record --dry-run.  Disassembly is
 * capstone's job; inside perf, or without capstone, the bytes and the
 * decoded length say what the site is.
 *
 * capstone is loaded when the dry run first asks for it, not linked: its
 * tables are relocated at load, 3.3 MiB resident in every process that
 * maps it, a third of what report, top and record need in all, for the one
 * question only the dry run asks.  Built against its header, it is opened
 * by the soname the build found (USTAT_CAPSTONE_SONAME); a system without
 * it at run time gets the bytes, as a build without it does.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>

#include "disasm.h"
#include "util/uprobe-stat/resolve/insn-check.h"

#ifdef HAVE_UPROBE_STAT_CAPSTONE
#include <capstone/capstone.h>
#include <linux/kernel.h>

#include "util/uprobe-stat/util/dl.h"

/* Each call's type as capstone.h declares it. */
static struct {
	bool			 tried;
	void			*h;
	typeof(cs_version)	*version;
	typeof(cs_open)		*open;
	typeof(cs_option)	*option;
	typeof(cs_disasm)	*disasm;
	typeof(cs_free)		*free;
	typeof(cs_close)	*close;
} cs;

/* Whether capstone is there: loaded on the first call. */
static bool cs_load(void)
{
	const struct ustat_dl_sym syms[] = {
		{ "cs_version",	(void **)&cs.version },
		{ "cs_open",	(void **)&cs.open },
		{ "cs_option",	(void **)&cs.option },
		{ "cs_disasm",	(void **)&cs.disasm },
		{ "cs_free",	(void **)&cs.free },
		{ "cs_close",	(void **)&cs.close },
	};
	char err[256];

	if (!cs.tried) {
		cs.tried = true;
		cs.h = ustat_dl__open(USTAT_CAPSTONE_SONAME, syms, ARRAY_SIZE(syms), err,
				      sizeof(err));
	}
	return cs.h;
}

static int cs_text(const u8 *code, size_t len, char *out, size_t outlen)
{
	cs_insn *insn = NULL;
	csh h;
	size_t n;

	if (cs.open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -1;
	cs.option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	n = cs.disasm(h, code, len, 0, 1, &insn);
	if (n == 1)
		snprintf(out, outlen, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "",
			 insn->op_str);
	if (n)
		cs.free(insn, n);
	cs.close(&h);
	return n == 1 ? 0 : -1;
}

const char *ustat_disasm__library(void)
{
	static char buf[32];
	int major, minor;

	if (!cs_load())
		return "none";
	cs.version(&major, &minor);
	snprintf(buf, sizeof(buf), "capstone %d.%d", major, minor);
	return buf;
}
#else
static bool cs_load(void)
{
	return false;
}

static int cs_text(const u8 *code __maybe_unused, size_t len __maybe_unused,
		   char *out __maybe_unused, size_t outlen __maybe_unused)
{
	return -1;
}

const char *ustat_disasm__library(void)
{
	return "none";
}
#endif

int ustat_disasm(const u8 *code, size_t len, char *out, size_t outlen)
{
	int n, i;
	size_t at = 0;

	if (cs_load())
		return cs_text(code, len, out, outlen);
	n = ustat_insn__length(code, len);
	if (n <= 0)
		return -1;
	for (i = 0; i < n && at < outlen; i++)
		at += snprintf(out + at, outlen - at, "%s%02x", i ? " " : "", code[i]);
	if (at < outlen)
		snprintf(out + at, outlen - at, " (%d bytes; no capstone)", n);
	return 0;
}
