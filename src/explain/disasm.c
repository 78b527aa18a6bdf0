// SPDX-License-Identifier: GPL-2.0
/*
 * The probed instruction in words, for record --dry-run.  Disassembly is
 * capstone's job; inside perf, or without capstone, the bytes and the
 * decoded length say what the site is.
 */
#include <stdio.h>
#include <string.h>

#include "disasm.h"
#include "util/uprobe-stat/resolve/insn-check.h"

#ifdef HAVE_UPROBE_STAT_CAPSTONE
#include <capstone/capstone.h>

const char *ustat_disasm__library(void)
{
	static char buf[32];
	int major, minor;

	cs_version(&major, &minor);
	snprintf(buf, sizeof(buf), "capstone %d.%d", major, minor);
	return buf;
}

int ustat_disasm(const u8 *code, size_t len, char *out, size_t outlen)
{
	cs_insn *insn = NULL;
	csh h;
	size_t n;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -1;
	cs_option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	n = cs_disasm(h, code, len, 0, 1, &insn);
	if (n == 1)
		snprintf(out, outlen, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "",
			 insn->op_str);
	if (n)
		cs_free(insn, n);
	cs_close(&h);
	return n == 1 ? 0 : -1;
}
#else
const char *ustat_disasm__library(void)
{
	return "none";
}

int ustat_disasm(const u8 *code, size_t len, char *out, size_t outlen)
{
	int n = ustat_insn__length(code, len), i;
	size_t at = 0;

	if (n <= 0)
		return -1;
	for (i = 0; i < n && at < outlen; i++)
		at += snprintf(out + at, outlen - at, "%s%02x", i ? " " : "", code[i]);
	if (at < outlen)
		snprintf(out + at, outlen - at, " (%d bytes; not built with capstone)", n);
	return 0;
}
#endif
