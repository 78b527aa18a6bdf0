/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_DEMANGLE_H
#define __USTAT_DEMANGLE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * C++ names as people write them.  The demangling itself is a library's:
 * libstdc++'s __cxa_demangle in the standalone build, perf's own
 * cxx_demangle_sym() (libbfd, libiberty or __cxa_demangle, whichever perf
 * was built with) inside perf.  Only what the demangler prints is cut
 * here: "int twice<int>(int)" names the function "twice<int>" and its
 * signature "twice<int>(int)".
 */

/* A malloc'ed "ns::Class::method(int) const", or NULL: not a C++ symbol. */
char *ustat_demangle(const char *sym);

/*
 * Cut a demangled FULL in place to the function's name ("twice<int>") and
 * return its signature, the name with the parameter list and qualifiers
 * after it ("twice<int>(int)"), in SIG[LEN].
 */
void ustat_demangle__split(char *full, char *sig, size_t len);

/* Does the name look like C++ (a scope, template or parameter list)? */
bool ustat_demangle__is_cxx(const char *name);

/* The name to print for SYM: demangled without parameters, or SYM. */
void ustat_demangle__name(const char *sym, char *buf, size_t len);

/* Compare two C++ names as typed, ignoring blanks ("f(int, char)" = "f(int,char)"). */
bool ustat_demangle__same(const char *a, const char *b);

/*
 * NAMES[0..*NR) (malloc'ed symbols) as record takes them: demangled, by
 * signature where overloads share a name; sorted, each once.
 */
int ustat_demangle__names(char **names, int *nr);

#endif /* __USTAT_DEMANGLE_H */
