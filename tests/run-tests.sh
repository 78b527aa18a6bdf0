#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every test of uprobe-stat and ends with one line:
#	N passed, N failed, N skipped
#
# Unit tests are cmocka programs (build/tests/unit/test-*), run with TAP
# output.  End-to-end tests are tests/e2e/*.sh, each printing lines
#	PASS: name | FAIL: name: why | SKIP: name: why
# A test that needs something the machine lacks says SKIP and why; it
# never passes silently.  Exit status: 0 only when nothing failed.
#
# TESTS=pattern limits the run to files whose name matches the pattern;
# NO_ASAN=1 skips the second pass on the sanitizer build.

cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skip=0
failed_names=()
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() {		# $1: a file of PASS/FAIL/SKIP lines, $2: test file name
	local p f s
	p=$(grep -c '^PASS: ' "$1")
	f=$(grep -c '^FAIL: ' "$1")
	s=$(grep -c '^SKIP: ' "$1")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	while IFS= read -r line; do failed_names+=("$2: ${line#FAIL: }"); done \
		< <(grep '^FAIL: ' "$1")
}

# One pass of every test: LABEL, directory of the unit/replay binaries,
# the perf-uprobe-stat binary under test.
run_pass() {
	local label=$1 dir=$2 ustat=$3 t name rc

	for t in "$dir"/unit/test-*; do
		[ -x "$t" ] || continue
		[ -n "${TESTS:-}" ] && [[ "$t" != *$TESTS* ]] && continue
		name=$label$(basename "$t")
		echo "== $name"
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out/tap" 2>"$out/err"
		rc=$?
		cat "$out/tap"
		# TAP: "ok N - x", "ok N # SKIP x", "not ok N - x"
		sed -n -e "s/^not ok [0-9]* - \(.*\)/FAIL: $label\1/p" \
		       -e "s/^ok [0-9]* # [Ss][Kk][Ii][Pp] *\(.*\)/SKIP: $label\1/p" \
		       -e "/# [Ss][Kk][Ii][Pp]/!s/^ok [0-9]* - \(.*\)/PASS: $label\1/p" \
		       "$out/tap" >"$out/lines"
		if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$out/lines"; then
			# It crashed or failed outside a test: that is a failure too.
			echo "FAIL: $name exited with status $rc" >>"$out/lines"
			cat "$out/err"
		fi
		count "$out/lines" "$name"
	done

	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		[ -n "${TESTS:-}" ] && [[ "$t" != *$TESTS* ]] && continue
		name=$label$(basename "$t" .sh)
		echo "== $name"
		USTAT=$ustat REPLAY_DIR=$dir bash "$t" 2>&1 | sed -E "s/^(PASS|FAIL|SKIP): /\1: $label/" |
			tee "$out/lines"
		rc=${PIPESTATUS[0]}
		if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$out/lines"; then
			echo "FAIL: $name exited with status $rc" | tee -a "$out/lines"
		fi
		count "$out/lines" "$name"
	done
}

run_pass "" build/tests ./perf-uprobe-stat
# The same again on the AddressSanitizer + UBSan build, when there is one.
if [ -x build/asan/perf-uprobe-stat ] && [ -z "${NO_ASAN:-}" ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp
	export UBSAN_OPTIONS=print_stacktrace=1
	run_pass "[asan] " build/asan/tests build/asan/perf-uprobe-stat
fi

echo
for f in "${failed_names[@]}"; do echo "failed: $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
