// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"

#ifdef HAVE_UPROBE_STAT_CXA_DEMANGLE
/* libstdc++'s C ABI entry (cxxabi.h is C++ only). */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

char *ustat_demangle(const char *sym)
{
	int status = 0;

	if (!sym || strncmp(sym, "_Z", 2))
		return NULL;
	return __cxa_demangle(sym, NULL, NULL, &status);
}
#else
/* Inside perf: util/demangle-cxx.h, a weak stub when perf has no demangler. */
#include "../demangle-cxx.h"

char *ustat_demangle(const char *sym)
{
	if (!sym || strncmp(sym, "_Z", 2))
		return NULL;
	return cxx_demangle_sym(sym, true, true);
}
#endif

/*
 * Where the parameter list of a demangled FULL starts: the last '(' at
 * depth 0 of <> and () that is not followed by a closing part of a
 * function pointer type; NULL without one (a variable, a guard).
 */
static char *param_start(char *full)
{
	char *p, *open = NULL;
	int angle = 0, paren = 0;

	for (p = full; *p; p++) {
		switch (*p) {
		case '<':
			/* "operator<" and "operator<<" are names, not templates. */
			if (p - full >= 8 && !strncmp(p - 8, "operator", 8))
				break;
			angle++;
			break;
		case '>':
			if (p - full >= 8 && !strncmp(p - 8, "operator", 8))
				break;
			if (p > full && p[-1] == '-')	/* operator-> */
				break;
			angle--;
			break;
		case '(':
			if (!angle && !paren)
				open = p;
			paren++;
			break;
		case ')':
			paren--;
			break;
		default:
			break;
		}
	}
	return open;
}

/* The start of the name: after the return type, a blank at depth 0. */
static char *name_start(char *full, char *end)
{
	char *p, *start = full;
	int depth = 0;

	for (p = full; p < end; p++) {
		if (*p == '<' || *p == '(')
			depth++;
		else if ((*p == '>' || *p == ')') && depth)
			depth--;
		else if (*p == ' ' && !depth && strncmp(start, "operator", 8))
			start = p + 1;
	}
	return start;
}

void ustat_demangle__split(char *full, char *sig, size_t len)
{
	char *open = param_start(full), *start;

	start = name_start(full, open ? open : full + strlen(full));
	snprintf(sig, len, "%s", start);
	if (open)
		*open = '\0';
	memmove(full, start, strlen(start) + 1);
}

bool ustat_demangle__is_cxx(const char *name)
{
	return strstr(name, "::") || strpbrk(name, "<>()~");
}

void ustat_demangle__name(const char *sym, char *buf, size_t len)
{
	char *full = ustat_demangle(sym), sig[8];

	if (!full) {
		snprintf(buf, len, "%s", sym);
		return;
	}
	ustat_demangle__split(full, sig, sizeof(sig));
	snprintf(buf, len, "%s", full);
	free(full);
}

bool ustat_demangle__same(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

int ustat_demangle__names(char **names, int *nr)
{
	char **sig, buf[1024];
	int i, j, k = 0;
	bool *over;

	sig = calloc(*nr ? *nr : 1, sizeof(*sig));
	over = calloc(*nr ? *nr : 1, sizeof(*over));
	if (!sig || !over) {
		free(sig);
		free(over);
		return -ENOMEM;
	}
	for (i = 0; i < *nr; i++) {
		char *full = ustat_demangle(names[i]);

		if (!full)
			continue;
		ustat_demangle__split(full, buf, sizeof(buf));
		sig[i] = strdup(buf);
		free(names[i]);
		names[i] = full;
		if (!sig[i])
			goto nomem;
	}
	/* Overloads share a name: those are listed by signature (all marked first). */
	for (i = 0; i < *nr; i++) {
		for (j = 0; sig[i] && j < *nr; j++) {
			if (j != i && sig[j] && !strcmp(names[i], names[j]) &&
			    strcmp(sig[i], sig[j]))
				break;
		}
		over[i] = sig[i] && j < *nr;
	}
	for (i = 0; i < *nr; i++) {
		if (over[i]) {
			free(names[i]);
			names[i] = sig[i];
			sig[i] = NULL;
		}
		free(sig[i]);
	}
	free(over);
	free(sig);
	if (*nr)
		qsort(names, *nr, sizeof(*names), cmp_name);
	for (i = 0; i < *nr; i++) {
		if (k && !strcmp(names[k - 1], names[i])) {
			free(names[i]);
			continue;
		}
		names[k++] = names[i];
	}
	*nr = k;
	return 0;
nomem:
	for (i = 0; i < *nr; i++)
		free(sig[i]);
	free(sig);
	free(over);
	return -ENOMEM;
}
