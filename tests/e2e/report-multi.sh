# SPDX-License-Identifier: GPL-2.0
# report --diff A B and report -i a -i b on two real recordings whose call
# counts are known and differ, with one probe each the other lacks.
. "$(dirname "$0")/lib.sh"

# -- Bad input: one line, exit 1..127 ------------------------------------
one_line() {	# NAME MSG ARGS...
	local name=$1 msg=$2 rc lines
	shift 2
	"$USTAT" report "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "report: $name" "exit status $rc (wanted 1..127)"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "report: $name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$lines" -ne 1 ]; then
		fail "report: $name" "$lines lines on stderr"
	else
		pass "report: $name"
	fi
}
echo junk >"$TMPD/junk"
echo junk >"$TMPD/junk2"
one_line "--diff with one file" "report --diff takes two files, A (the baseline) and B" \
	--diff "$TMPD/junk"
one_line "--diff of a missing file" "cannot open '$TMPD/nope'" --diff "$TMPD/nope" "$TMPD/junk"
one_line "--diff of a non-perf file" "not a perf.data file" --diff "$TMPD/junk" "$TMPD/junk"
one_line "--diff with --csv" "--csv and --tui show one file" --diff --csv "$TMPD/junk" "$TMPD/junk"
one_line "merge: unknown sort key" "unknown --sort key 'frob' (known: probe, cpu, comm, host, file)" \
	-i "$TMPD/junk" -i "$TMPD/junk2" --sort frob
one_line "merge of a non-perf file" "not a perf.data file" -i "$TMPD/junk" -i "$TMPD/junk2"
one_line "merge: one file twice" "-i $TMPD/junk given twice" -i "$TMPD/junk" -i "$TMPD/junk"

need_uprobes report-multi || exit 0

# A: 2 threads x 3000 calls, B: 2 x 5000; nest_inner only in A, recurse only in B.
T=2 NA=3000 NB=5000 D=3
A=$TMPD/a.data B=$TMPD/b.data
$USTAT record --no-signals -o "$A" target_func target_func%return nest_inner \
	-- $BIN/hits $T $NA $D >/dev/null 2>"$TMPD/err"
check_eq "record A exits 0" 0 $?
$USTAT record --no-signals -o "$B" target_func target_func%return recurse \
	-- $BIN/hits $T $NB $D >/dev/null 2>"$TMPD/err"
check_eq "record B exits 0" 0 $?

J=$TMPD/diff.json
$USTAT report --diff "$A" "$B" --json >"$J" 2>"$TMPD/err"
check_eq "report --diff --json exits 0" 0 $?
tf='.probes[] | select(.name == "target_func")'
check_eq "diff: target_func hits A, B, delta" "$((T * NA)) $((T * NB)) $((T * (NB - NA)))" \
	"$(jq -r "$tf | \"\(.hits.a) \(.hits.b) \(.hits.delta)\"" "$J")"
check_eq "diff: target_func delta %" "66.667" "$(jq -r "$tf | .hits.delta_pct" "$J")"
check_eq "diff: latency pairs A -> B" "$((T * NA)) $((T * NB))" \
	"$(jq -r "$tf | \"\(.latency_ns.count.a) \(.latency_ns.count.b)\"" "$J")"
check_eq "diff: p99 delta is B - A" true \
	"$(jq -r "$tf | .latency_ns.p99 | .delta == .b - .a" "$J")"
check_eq "diff: per-CPU hits add up to each side" "$((T * NA)) $((T * NB))" \
	"$(jq -r "[$tf | .per_cpu[].hits.a] | add" "$J") $(jq -r "[$tf | .per_cpu[].hits.b] | add" "$J")"
check_eq "diff: nest_inner only in A" "a $((2 * T)) 0 [\"nest_inner\"]" \
	"$(jq -r '.probes[] | select(.name == "nest_inner") | "\(.in) \(.hits.a) \(.hits.b)"' "$J") $(jq -c .only_in_a "$J")"
check_eq "diff: recurse only in B" "b 0 $((T * (D + 1))) [\"recurse\"]" \
	"$(jq -r '.probes[] | select(.name == "recurse") | "\(.in) \(.hits.a) \(.hits.b)"' "$J") $(jq -c .only_in_b "$J")"
check_eq "diff: samples delta" "$(( (2 * T * NB + T * (D + 1)) - (2 * T * NA + 2 * T) ))" \
	"$(jq -r .samples.delta "$J")"

$USTAT report --diff "$A" "$B" --sort probe,cpu --json >"$TMPD/cpu.json"
check_eq "diff --sort probe,cpu: rows add up to target_func's hits" "$((T * NA)) $((T * NB))" \
	"$(jq -r '[.rows[] | select(.probe == "target_func") | .hits.a] | add' "$TMPD/cpu.json") $(jq -r '[.rows[] | select(.probe == "target_func") | .hits.b] | add' "$TMPD/cpu.json")"

$USTAT report --diff "$A" "$B" >"$TMPD/diff.txt" 2>"$TMPD/err"
check_eq "report --diff (stdio) exits 0" 0 $?
grep -qE "^ +$((T * NA)) +$((T * NB)) +\+$((T * (NB - NA))) +\+66\.67% .* target_func$" "$TMPD/diff.txt" &&
	grep -q "^# only in A ($A): nest_inner" "$TMPD/diff.txt" &&
	grep -q "recurse (only in B)" "$TMPD/diff.txt" &&
	grep -q "^# Latency, entry to return (ns): A, B and the change" "$TMPD/diff.txt" &&
	pass "diff stdio: side by side, with the change and the mismatches" ||
	fail "diff stdio: side by side, with the change and the mismatches" "$(head -12 "$TMPD/diff.txt")"

# -- Merge ---------------------------------------------------------------
M=$TMPD/merge.json
$USTAT report -i "$A" -i "$B" --json >"$M" 2>"$TMPD/err"
check_eq "merge --json exits 0" 0 $?
check_eq "merge: target_func hits add up exactly" $((T * (NA + NB))) "$(probe_hits "$M" target_func)"
check_eq "merge: latency pairs add up" $((T * (NA + NB))) \
	"$(jq -r "$tf | .latency_ns.count" "$M")"
check_eq "merge: per-file hits" "$((T * NA)) $((T * NB))" \
	"$(jq -r "$tf | [.per_file[].hits] | map(tostring) | join(\" \")" "$M")"
check_eq "merge: samples add up" \
	"$(( $(jq -r .samples.a "$J") + $(jq -r .samples.b "$J") ))" "$(jq -r .samples "$M")"
check_eq "merge: mismatched probes are reported, each with its file" \
	"nest_inner:$A recurse:$B" \
	"$(jq -r '[.mismatched[] | "\(.name):\(.only_in | join(","))"] | join(" ")' "$M")"
check_eq "merge: a probe in one file keeps its own count" $((2 * T)) "$(probe_hits "$M" nest_inner)"
$USTAT report -i "$A" -i "$B" --sort file,probe --json >"$TMPD/byfile.json"
check_eq "merge --sort file,probe: one row per file" "$((T * NA)) $((T * NB))" \
	"$(jq -r "[.rows[] | select(.probe == \"target_func\") | .hits] | sort | map(tostring) | join(\" \")" "$TMPD/byfile.json")"
host=$(jq -r '.files[0].host' "$M")
$USTAT report -i "$A" -i "$B" --sort host --json >"$TMPD/byhost.json"
check_eq "merge --sort host: both files are this host, one row of all samples" \
	"1 $host $(jq -r .samples "$M")" \
	"$(jq -r '"\(.rows | length) \(.rows[0].host) \(.rows[0].hits)"' "$TMPD/byhost.json")"
$USTAT report -i "$A" -i "$B" --sort host,probe,cpu >"$TMPD/merge.txt" 2>"$TMPD/err"
check_eq "merge (stdio) exits 0" 0 $?
grep -q "^# uprobe-stat report: 2 files merged" "$TMPD/merge.txt" &&
	grep -q "^# WARNING: probe recurse is in 1 of 2 files, only in: $B" "$TMPD/merge.txt" &&
	grep -qE "^# Overhead +Hits +Hits/s +Host +Probe +CPU$" "$TMPD/merge.txt" &&
	pass "merge stdio: files, mismatches, host column" ||
	fail "merge stdio: files, mismatches, host column" "$(head -12 "$TMPD/merge.txt")"
# One -i is the one-file report, as before.
$USTAT report -i "$A" --json >"$TMPD/one.json"
check_eq "one -i is still the one-file report" $((T * NA)) "$(probe_hits "$TMPD/one.json" target_func)"

# -- Processes, and one name in two binaries --------------------------------
# C: a copy of the workload under another name, so another binary and
# another command: its target_func is not A's, and must not be added to it.
cp $BIN/hits "$TMPD/hits2"
C=$TMPD/c.data NC=700
$USTAT record --no-signals -o "$C" target_func -- "$TMPD/hits2" 1 $NC $D >/dev/null 2>"$TMPD/err"
check_eq "record C (the copy) exits 0" 0 $?
$USTAT report --diff "$A" "$B" --sort comm,probe --json >"$TMPD/comm.json"
check_eq "diff --sort comm,probe: the hits process's target_func, A and B" \
	"$((T * NA)) $((T * NB))" \
	"$(jq -r '.rows[] | select(.comm == "hits" and .probe == "target_func") | "\(.hits.a) \(.hits.b)"' "$TMPD/comm.json")"
$USTAT report -i "$A" -i "$C" --json >"$TMPD/ac.json"
check_eq "merge: same name in two binaries stays two probes" "$((T * NA)) $NC" \
	"$(jq -r '[.probes[] | select(.name == "target_func") | .hits] | map(tostring) | join(" ")' "$TMPD/ac.json")"
check_eq "merge: ... both reported as mismatched" 2 \
	"$(jq '[.mismatched[] | select(.name == "target_func")] | length' "$TMPD/ac.json")"
$USTAT report -i "$A" -i "$C" --sort comm --json >"$TMPD/ac-comm.json"
check_eq "merge --sort comm: a row per command, each its file's samples" \
	"hits2:$NC hits:$(jq -r '.files[0].samples' "$TMPD/ac.json")" \
	"$(jq -r '[.rows[] | "\(.comm):\(.hits)"] | sort | join(" ")' "$TMPD/ac-comm.json")"
$USTAT report -i "$A" -i "$C" >"$TMPD/ac.txt"
grep -q "target_func ($BIN/hits)\|target_func (.*/build/tests/hits)" "$TMPD/ac.txt" &&
	grep -q "target_func ($TMPD/hits2)" "$TMPD/ac.txt" &&
	pass "merge stdio: probes of one name are told apart by their binary" ||
	fail "merge stdio: probes of one name are told apart by their binary" "$(sed -n 1,14p "$TMPD/ac.txt")"
