# SPDX-License-Identifier: GPL-2.0
# bench --compare on real bench runs: the same kind twice is within noise,
# no probe attached vs attached is significant; bad input fails in one line.
# The runs are short (0.2 s windows, 4 repeats, one thread): two CPUs here
# are shared.  The verdicts are statistics, not timings: see below.
. "$(dirname "$0")/lib.sh"

# one_line NAME MSG ARGS...: bench exits 1..127 with one stderr line holding MSG.
one_line() {
	local name=$1 msg=$2 rc lines
	shift 2
	"$USTAT" bench "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "bench --compare: $name" "exit status $rc (wanted 1..127)"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "bench --compare: $name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$lines" -ne 1 ]; then
		fail "bench --compare: $name" "$lines lines on stderr"
	else
		pass "bench --compare: $name"
	fi
}

echo '{"tool": "uprobe-stat bench", "results": [' >"$TMPD/cut.json"
echo '{"tool": "perf stat", "results": []}' >"$TMPD/other.json"
one_line "one file" "takes two bench --json files: A.json B.json" --compare "$TMPD/cut.json"
one_line "missing file" "$TMPD/nope.json: No such file or directory" \
	--compare "$TMPD/nope.json" "$TMPD/cut.json"
one_line "truncated JSON" "$TMPD/cut.json: not JSON: line 2: unexpected end of input" \
	--compare "$TMPD/cut.json" "$TMPD/cut.json"
one_line "not bench's JSON" "not a bench --json file" \
	--compare "$TMPD/other.json" "$TMPD/other.json"

need_uprobes bench-compare || exit 0

run() {		# run FILE [bench options]: a short nop5 run, as JSON
	local f=$1
	shift
	$USTAT bench --kind nop5 --threads 1 --duration 0.2 --warmup 0.05 --repeat 4 --json "$@" \
		>"$f" 2>"$TMPD/err" || { fail "bench $*" "$(head -1 "$TMPD/err")"; return 1; }
}
verdict() { jq -r ".results[] | select(.kind == \"$2\" and .threads == 1) | .verdict" "$1"; }

run "$TMPD/a.json" || exit 0
check_eq "bench --json keeps every repeat's hits/s" 4 \
	"$(jq '[.results[] | select(.kind == "nop5") | .repeats[].hits_per_sec | numbers] | length' "$TMPD/a.json")"

# A run against itself: exactly no difference.
$USTAT bench --compare --json "$TMPD/a.json" "$TMPD/a.json" >"$TMPD/same.json" 2>"$TMPD/err"
check_eq "compare a run with itself exits 0" 0 $?
check_eq "a run with itself: ratio 1, p 1" "1 1 within noise" \
	"$(jq -r '.results[] | select(.kind == "nop5") | "\(.ratio) \(.p) \(.verdict)"' "$TMPD/same.json")"

# Two runs of the same kind on the same kernel.  The test is at p < 0.05:
# by its very definition it calls 1 in 20 such pairs significant, and a
# machine shared with other work drifts between runs.  So a pair that
# differs is run again, up to three pairs, and all three must differ to fail.
for try in 1 2 3; do
	run "$TMPD/b.json" || exit 0
	$USTAT bench --compare --json "$TMPD/a.json" "$TMPD/b.json" >"$TMPD/ab.json"
	v=$(verdict "$TMPD/ab.json" nop5)
	[ "$v" = "within noise" ] && break
	cp "$TMPD/b.json" "$TMPD/a.json"
done
check_eq "two runs of nop5 on one kernel: within noise" "within noise" "$v"
check_eq "... with a stated test" "welch-t-two-sided 0.05" \
	"$(jq -r '"\(.test) \(.alpha)"' "$TMPD/ab.json")"

run "$TMPD/na.json" --no-attach || exit 0
$USTAT bench --compare --json "$TMPD/na.json" "$TMPD/a.json" >"$TMPD/na-a.json"
check_eq "no probe vs attached nop5: significant" significant "$(verdict "$TMPD/na-a.json" nop5)"
ratio=$(jq -r '.results[] | select(.kind == "nop5") | .ratio < 1' "$TMPD/na-a.json")
check_eq "... and the attached run is the slower" true "$ratio"

$USTAT bench --compare "$TMPD/na.json" "$TMPD/a.json" >"$TMPD/table" 2>"$TMPD/err"
check_eq "the table exits 0" 0 $?
grep -q "Welch's t-test on the repeats, two-sided, significant when p < 0.05" "$TMPD/table" &&
	grep -q "^  nop5 .* significant$" "$TMPD/table" &&
	grep -q "note: A and B did not run the same way" "$TMPD/table" &&
	pass "the table states its test, verdict and the runs' difference" ||
	fail "the table states its test, verdict and the runs' difference" "$(cat "$TMPD/table")"
