# SPDX-License-Identifier: GPL-2.0
# Every input the fuzzers ever crashed on (tests/fuzz/crashers/) and the
# seed corpus (tests/fuzz/corpus/), replayed through the fuzz targets built
# with gcc: none may crash again.  In the sanitizer pass the replay
# binaries are built with ASan and UBSan too.
. "$(dirname "$0")/lib.sh"

dir=${REPLAY_DIR:-$BIN}
for target in tests/fuzz/fuzz-*.c; do
	name=$(basename "$target" .c)
	bin=$dir/replay-$name
	if [ ! -x "$bin" ]; then
		fail "replay $name" "$bin is not built"
		continue
	fi
	files=$(ls tests/fuzz/crashers/$name/* tests/fuzz/corpus/$name/* 2>/dev/null)
	n=$(echo "$files" | grep -c .)
	# shellcheck disable=SC2086
	LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp "$bin" $files >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ $rc -eq 0 ] && grep -q "replayed $n inputs" "$TMPD/out"; then
		pass "replay $name: $n crashers and seeds"
	else
		fail "replay $name" "exit $rc: $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$TMPD/err")"
	fi
done
