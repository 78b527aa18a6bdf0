# SPDX-License-Identifier: GPL-2.0
# tools-perf-patch/perf/ is what scripts/perf-patch.sh makes from today's
# sources: the in-tree 'perf uprobe-stat' cannot drift from the standalone
# one.  (make perf-check applies, builds and runs it.)
. "$(dirname "$0")/lib.sh"

if [ ! -f .deps/src/tools/perf/perf.c ]; then
	skip "perf patch is fresh" "no kernel tools/ in .deps (make deps)"
	exit 0
fi
./scripts/perf-patch.sh "$TMPD/perf" >/dev/null 2>"$TMPD/err"
check_eq "perf patch generates" 0 $?
if diff -r "$TMPD/perf" tools-perf-patch/perf >"$TMPD/diff"; then
	pass "tools-perf-patch/perf matches src/ and Documentation/"
else
	fail "tools-perf-patch/perf matches src/ and Documentation/" \
		"stale: run 'make perf-patch' ($(grep -c '^[<>]' "$TMPD/diff") lines differ)"
fi
