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
# TESTS=pattern limits the run to files whose name matches the pattern.

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

for t in build/tests/unit/test-*; do
	[ -x "$t" ] || continue
	[ -n "${TESTS:-}" ] && [[ "$t" != *$TESTS* ]] && continue
	name=$(basename "$t")
	echo "== $name"
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out/tap" 2>"$out/err"
	rc=$?
	cat "$out/tap"
	# TAP: "ok N - x", "ok N # SKIP x", "not ok N - x"
	sed -n -e 's/^not ok [0-9]* - \(.*\)/FAIL: \1/p' \
	       -e 's/^ok [0-9]* # [Ss][Kk][Ii][Pp] *\(.*\)/SKIP: \1/p' \
	       -e '/# [Ss][Kk][Ii][Pp]/!s/^ok [0-9]* - \(.*\)/PASS: \1/p' "$out/tap" >"$out/lines"
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
	name=$(basename "$t" .sh)
	echo "== $name"
	bash "$t" 2>&1 | tee "$out/lines"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$out/lines"; then
		echo "FAIL: $name exited with status $rc" | tee -a "$out/lines"
	fi
	count "$out/lines" "$name"
done

echo
for f in "${failed_names[@]}"; do echo "failed: $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
