# SPDX-License-Identifier: GPL-2.0
# Who called: record -g and --call-graph dwarf on real uprobes, then
# report --folded, JSON, script, and stock perf script on our file.
. "$(dirname "$0")/lib.sh"

need_uprobes callgraph || exit 0

A=300 B=700
T="timeout 120"
# folded_count FILE CALLER: the hits of the folded lines that pass through CALLER.
folded_count() {
	awk -v c="$2" '{ n = $NF; $NF = ""; if (index(";" $0, ";" c ";")) s += n } END { print s + 0 }' "$1"
}

# ---- bad input: refused in one line, before anything is made -------------
for bad in "--call-graph lbr" "--call-graph dwarf,0" "--call-graph dwarf,99999" "--call-graph dwarf,x" \
	   "-g -b" "-g --count"; do
	# shellcheck disable=SC2086
	rm -f "$TMPD/bad.data"
	$T $USTAT record -f -o "$TMPD/bad.data" $bad -x $BIN/callers cg_hot -- $BIN/callers \
		>"$TMPD/bad.out" 2>&1
	rc=$?
	[ $rc != 0 ] && [ $rc -lt 128 ] && [ "$(grep -c . "$TMPD/bad.out")" = 1 ] && [ ! -e "$TMPD/bad.data" ] &&
		pass "record $bad: refused" || fail "record $bad: refused" "rc=$rc $(head -2 "$TMPD/bad.out")"
done

$T $USTAT top --stdio -g -x $BIN/callers cg_hot -- $BIN/callers >"$TMPD/top.out" 2>&1
rc=$?
[ $rc = 1 ] && [ "$(grep -c . "$TMPD/top.out")" = 1 ] && grep -q "record -g" "$TMPD/top.out" &&
	pass "top -g: refused, pointing at record" || fail "top -g: refused, pointing at record" \
	"rc=$rc $(head -2 "$TMPD/top.out")"

# ---- frame pointers --------------------------------------------------------
data=$TMPD/fp.data
$T $USTAT record -g --no-signals -f -o "$data" -x $BIN/callers cg_hot -- $BIN/callers $A $B \
	>"$TMPD/out" 2>"$TMPD/err"
check_eq "record -g exits 0" 0 $?
grep -q "($((A + B)) samples, 0 lost)" "$TMPD/err" && pass "record -g: every hit, none lost" ||
	fail "record -g: every hit, none lost" "$(tail -2 "$TMPD/err")"

$T $USTAT report -i "$data" --folded >"$TMPD/f.txt" 2>"$TMPD/f.err"
check_eq "report --folded exits 0" 0 $?
check_eq "--folded: cg_caller_a's hits" $A "$(folded_count "$TMPD/f.txt" cg_caller_a)"
check_eq "--folded: cg_caller_b's hits" $B "$(folded_count "$TMPD/f.txt" cg_caller_b)"
check_eq "--folded: the counts add up to the hits" $((A + B)) \
	"$(awk '{ s += $NF } END { print s }' "$TMPD/f.txt")"
check_eq "--folded: one line per distinct stack" "$(cut -d' ' -f1 "$TMPD/f.txt" | sort -u | wc -l)" \
	"$(wc -l <"$TMPD/f.txt")"
grep -q '^.*;main;cg_caller_a;cg_hot;cg_hot [0-9]*$' "$TMPD/f.txt" &&
	pass "--folded: root first, the probed function, the probe last" ||
	fail "--folded: root first, the probed function, the probe last" "$(head -3 "$TMPD/f.txt")"

$T $USTAT report -i "$data" --json >"$TMPD/r.json"
check_eq "report --json exits 0" 0 $?
cc='.probes[] | select(.name == "cg_hot") | .callchains'
check_eq "JSON: callchains add up to the hits" $((A + B)) "$(jq_get "$TMPD/r.json" "[$cc[].count] | add")"
check_eq "JSON: the top path is cg_caller_b's" "$B cg_hot cg_caller_b" \
	"$(jq_get "$TMPD/r.json" "$cc[0] | \"\\(.count) \\(.frames[0].sym) \\(.frames[1].sym)\"")"
check_eq "JSON: cg_caller_a's hits" $A \
	"$(jq_get "$TMPD/r.json" "[$cc[] | select(.frames[1].sym == \"cg_caller_a\") | .count] | add")"
src=$(jq_get "$TMPD/r.json" "$cc[0].frames[1].srcline")
case $src in callers.c:[0-9]*) pass "JSON: frames carry file:line" ;;
*) fail "JSON: frames carry file:line" "'$src'" ;; esac
check_eq "JSON: frames carry the binary" "$(readlink -f $BIN/callers)" \
	"$(jq_get "$TMPD/r.json" "$cc[0].frames[0].dso")"

$T $USTAT report -i "$data" >"$TMPD/r.txt"
grep -q "^# Who called" "$TMPD/r.txt" && grep -q "cg_caller_b+0x[0-9a-f]* (.*callers) callers.c:" "$TMPD/r.txt" &&
	pass "report --stdio: the call paths" || fail "report --stdio: the call paths" "$(tail -5 "$TMPD/r.txt")"

$T $USTAT script -i "$data" >"$TMPD/s.txt"
check_eq "script exits 0" 0 $?
check_eq "script: a chain under each event, its caller second" "$A $B" \
	"$(awk '/ cg_hot 0x/ { ev = 1; n = 0; next } ev && /^\t/ { n++; if (n == 2) { sub(/\+.*/, "", $2); c[$2]++ } next } { ev = 0 }
		END { print c["cg_caller_a"] + 0, c["cg_caller_b"] + 0 }' "$TMPD/s.txt")"
grep -q "^	 *[0-9a-f]* cg_hot+0x0 (.*callers)$" "$TMPD/s.txt" &&
	pass "script: 'addr sym+off (dso)' frame lines" || fail "script: 'addr sym+off (dso)' frame lines" \
	"$(grep -m3 '^	' "$TMPD/s.txt")"

if have_perf; then
	$T perf script -i "$data" >"$TMPD/p.txt" 2>"$TMPD/p.err"
	check_eq "stock perf script reads the file" 0 $?
	check_eq "stock perf script: the same callers" "$A $B" \
		"$(awk '/probe_callers:cg_hot:/ { ev = 1; n = 0; next } ev && /^\t/ { n++; if (n == 2) { sub(/\+.*/, "", $2); c[$2]++ } next } { ev = 0 }
			END { print c["cg_caller_a"] + 0, c["cg_caller_b"] + 0 }' "$TMPD/p.txt")"
else
	skip "stock perf script: the same callers" "no perf"
fi

# A child forked without exec maps what its parent maps (FORK records).
$T $USTAT record -g --no-signals -f -o "$TMPD/fork.data" -x $BIN/callers cg_hot \
	-- $BIN/callers 30 70 fork >/dev/null 2>&1
$T $USTAT report -i "$TMPD/fork.data" --folded >"$TMPD/ff.txt" 2>/dev/null
check_eq "--folded, parent and forked child: per caller, all named" "60 140 0" \
	"$(folded_count "$TMPD/ff.txt" cg_caller_a) $(folded_count "$TMPD/ff.txt" cg_caller_b) $(grep -c unknown "$TMPD/ff.txt")"

# A return probe's chain starts where the function returns to: its caller.
$T $USTAT record -g --no-signals -f -o "$TMPD/ret.data" -x $BIN/callers cg_hot%return \
	-- $BIN/callers 30 70 >/dev/null 2>&1
$T $USTAT report -i "$TMPD/ret.data" --folded >"$TMPD/rf.txt" 2>/dev/null
check_eq "--folded cg_hot%return: per caller" "30 70" \
	"$(folded_count "$TMPD/rf.txt" cg_caller_a) $(folded_count "$TMPD/rf.txt" cg_caller_b)"
grep -q ";cg_caller_b;cg_hot%return 70$" "$TMPD/rf.txt" &&
	pass "--folded cg_hot%return: the caller, then the probe" ||
	fail "--folded cg_hot%return: the caller, then the probe" "$(cat "$TMPD/rf.txt")"

# ---- DWARF: no frame pointers ---------------------------------------------
data=$TMPD/dwarf.data
# 8 KiB of stack a hit: a buffer that holds them all.
$T $USTAT record --call-graph dwarf -m 16M --no-signals -f -o "$data" -x $BIN/callers-nofp cg_hot \
	-- $BIN/callers-nofp $A $B >"$TMPD/out" 2>"$TMPD/err"
check_eq "record --call-graph dwarf exits 0" 0 $?
grep -q "($((A + B)) samples, 0 lost)" "$TMPD/err" && pass "--call-graph dwarf: every hit, none lost" ||
	fail "--call-graph dwarf: every hit, none lost" "$(tail -2 "$TMPD/err")"
$T $USTAT report -i "$data" --folded >"$TMPD/f.txt" 2>"$TMPD/f.err"
if [ "$(folded_count "$TMPD/f.txt" cg_caller_a)" = 0 ] && [ "$(folded_count "$TMPD/f.txt" cg_caller_b)" = 0 ]; then
	skip "--call-graph dwarf: per-caller counts" "libdw unwound nothing here: $(head -2 "$TMPD/f.txt" "$TMPD/f.err" | tr '\n' ' ')"
else
	check_eq "--call-graph dwarf: cg_caller_a's hits" $A "$(folded_count "$TMPD/f.txt" cg_caller_a)"
	check_eq "--call-graph dwarf: cg_caller_b's hits" $B "$(folded_count "$TMPD/f.txt" cg_caller_b)"
	check_eq "--call-graph dwarf: the counts add up to the hits" $((A + B)) \
		"$(awk '{ s += $NF } END { print s }' "$TMPD/f.txt")"
	if have_perf; then
		$T perf script -i "$data" >"$TMPD/pd.txt" 2>/dev/null
		check_eq "stock perf script unwinds our dwarf file: the same callers" "$A $B" \
			"$(awk '/probe_callers_nofp:cg_hot:/ { ev = 1; n = 0; next } ev && /^\t/ { n++; if (n == 2) { sub(/\+.*/, "", $2); c[$2]++ } next } { ev = 0 }
				END { print c["cg_caller_a"] + 0, c["cg_caller_b"] + 0 }' "$TMPD/pd.txt")"
	fi
	# The frame-pointer walk of the same build misses the caller: the unwinding is libdw's.
	$T $USTAT record -g --no-signals -f -o "$TMPD/nofp.data" -x $BIN/callers-nofp cg_hot \
		-- $BIN/callers-nofp $A $B >/dev/null 2>&1
	$T $USTAT report -i "$TMPD/nofp.data" --folded >"$TMPD/nf.txt" 2>/dev/null
	[ "$(folded_count "$TMPD/nf.txt" cg_caller_a)" != $A ] &&
		pass "--call-graph dwarf finds what frame pointers cannot" ||
		fail "--call-graph dwarf finds what frame pointers cannot" "$(cat "$TMPD/nf.txt")"
fi

# ---- C++: demangled frames --------------------------------------------------
N=200
data=$TMPD/cxx.data
$T $USTAT record -g --no-signals -f -o "$data" -x $BIN/callers-cxx 'ns::Klass::method' \
	-- $BIN/callers-cxx $N >"$TMPD/out" 2>"$TMPD/err"
check_eq "record -g 'ns::Klass::method' exits 0" 0 $?
$T $USTAT report -i "$data" --folded >"$TMPD/f.txt" 2>"$TMPD/f.err"
check_eq "--folded C++: ns::outer_one's hits" $N "$(folded_count "$TMPD/f.txt" ns::outer_one)"
check_eq "--folded C++: ns::outer_two's hits" $((2 * N)) "$(folded_count "$TMPD/f.txt" ns::outer_two)"
grep -q ";ns::outer_one;ns::Klass::method;ns::Klass::method $N$" "$TMPD/f.txt" &&
	pass "--folded C++: demangled frames and probe" ||
	fail "--folded C++: demangled frames and probe" "$(cat "$TMPD/f.txt")"

bad_inputs <<EOF
report --folded --json: refused|exclude each other|report -i $TMPD/fp.data --folded --json
report --folded on two files: refused|--folded reads one file|report -i $TMPD/fp.data -i $TMPD/fp.data --folded
EOF

# ---- no callchains: nothing changes ------------------------------------------
$T $USTAT record --no-signals -f -o "$TMPD/plain.data" -x $BIN/callers cg_hot -- $BIN/callers 3 4 \
	>/dev/null 2>&1
$T $USTAT report -i "$TMPD/plain.data" --json >"$TMPD/p.json"
check_eq "without -g: callchains null" null \
	"$(jq_get "$TMPD/p.json" '.probes[] | select(.name == "cg_hot") | .callchains')"
$T $USTAT report -i "$TMPD/plain.data" --folded >"$TMPD/pf.txt" 2>"$TMPD/pf.err"
[ ! -s "$TMPD/pf.txt" ] && grep -q "no callchains" "$TMPD/pf.err" &&
	pass "--folded without -g: says so, prints nothing" ||
	fail "--folded without -g: says so, prints nothing" "$(cat "$TMPD/pf.txt" "$TMPD/pf.err")"
