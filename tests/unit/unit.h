/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __USTAT_TEST_UNIT_H
#define __USTAT_TEST_UNIT_H

/* cmocka needs these before its header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/*
 * Where the build put the test programs (the Makefile runs the tests from
 * the top of the tree).
 */
#define TEST_BIN_DIR	"build/tests"

#endif /* __USTAT_TEST_UNIT_H */
