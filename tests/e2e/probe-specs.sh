# SPDX-License-Identifier: GPL-2.0
# Probe specs beyond symbols, end to end on real uprobes: inlined
# functions, file.c:LINE and func:LINE (DWARF), separate debuginfo found by
# build-id, USDT probes with and without a semaphore; the sites of one
# probe summed in every report format and in script; bad specs.
. "$(dirname "$0")/lib.sh"

D=$BIN/dwarf
SRC=tests/fixtures/dwarf-prog.c
# Lines by their markers in the fixture, so that editing it moves nothing.
line_of() { grep -n "LINE:$1\b" $SRC | cut -d: -f1; }
BODY=$(line_of body) A_DECL=$(line_of caller_a) A_STMT=$(line_of a_stmt)
CALL=$(line_of call) NOCODE=$(line_of nocode)
REL=$((A_STMT - A_DECL))	# caller_a:REL is the line after the call
A=3 B=5 C=7			# add_one() and its body line run A + 2B + C times

need_uprobes probe-specs || exit 0

field() { jq_get "$TMPD/r.json" ".probes[] | select(.name == \"$1\") | $2"; }

# The same checks on each build of the program: -O0 and -O2, PIE and not.
for v in O0-pie O2-pie O0-nopie O2-nopie; do
	record_json "$v" add_one "dwarf-prog.c:$BODY" "caller_a:$REL" caller_b caller_b%return \
		-- $D/prog-$v $A $B $C || continue
	check_eq "$v: inlined function: out-of-line copy and 3 inlined copies" \
		"4 $((A + 2 * B + C))" "$(field add_one '"\(.sites) \(.hits)"')"
	check_eq "$v: inlined function: hits per site" "$C $A $B $B" \
		"$(field add_one '[.per_site[].hits] | map(tostring) | join(" ")')"
	check_eq "$v: file.c:LINE in an inlined function: 4 sites" \
		"4 $((A + 2 * B + C))" "$(field "dwarf-prog.c:$BODY" '"\(.sites) \(.hits)"')"
	check_eq "$v: func:LINE relative to the function's first line" "1 $A" \
		"$(field "caller_a:$REL" '"\(.sites) \(.hits)"')"
	check_eq "$v: func%return still pairs per function" "$B" \
		"$(field caller_b .latency_ns.count)"
done

# Report formats and script show a probe once, summed over its sites.
$USTAT report -i "$TMPD/p.data" --stdio >"$TMPD/r.txt"
grep -q "$((A + 2 * B + C)) .*add_one (4 sites)" "$TMPD/r.txt" &&
	pass "report --stdio: one row per probe, with its sites" ||
	fail "report --stdio: one row per probe, with its sites" "$(grep add_one "$TMPD/r.txt")"
$USTAT report -i "$TMPD/p.data" --csv >"$TMPD/r.csv"
check_eq "report --csv: hits and sites per probe" "$((A + 2 * B + C)) 4" \
	"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sites") s = i }
		    $1 == "add_one" { print $2, $s }' "$TMPD/r.csv")"
$USTAT script -i "$TMPD/p.data" >"$TMPD/s.txt"
check_eq "script: lines of a probe, all sites" $((A + 2 * B + C)) \
	"$(awk '$6 == "add_one"' "$TMPD/s.txt" | wc -l)"
check_eq "script: its events differ by site" 4 \
	"$(awk '$6 == "add_one" { print $5 }' "$TMPD/s.txt" | sort -u | wc -l)"
grep -q "^# probe add_one: 4 sites: " "$TMPD/s.txt" &&
	pass "script: header names the sites" || fail "script: header names the sites" \
	"$(grep '^#' "$TMPD/s.txt" | head -3)"

# The call line of an inlined function, and a declaration line (perf's func:0).
# The call line is caller_a:0's site too: one site, probed once, with a
# warning (issue 22), so caller_a:0 gets a recording of its own.
record_json "call line" "dwarf-prog.c:$CALL" caller_a:0 add_one:0 \
	-- $D/prog-O2-pie $A $B $C &&
	check_eq "line of an inlined call; func:0 of the same site merged; an inlined function's func:0" \
		"$A  $((A + 2 * B + C)) 1" \
		"$(field "dwarf-prog.c:$CALL" .hits) $(field caller_a:0 .hits) $(field add_one:0 .hits) $(grep -c "probe 'caller_a:0' is the same site as 'dwarf-prog.c:$CALL'" "$TMPD/err")"
record_json "func:0" caller_a:0 -- $D/prog-O2-pie $A $B $C &&
	check_eq "func:0" "$A" "$(field caller_a:0 .hits)"

# Separate debuginfo: a stripped copy, its DWARF by build-id in a tree of ours.
cp $D/prog-O2-pie "$TMPD/stripped"
objcopy --only-keep-debug "$TMPD/stripped" "$TMPD/prog.debug" &&
	strip --strip-all "$TMPD/stripped"
id=$(readelf -n "$TMPD/stripped" | sed -n 's/.*Build ID: //p')
mkdir -p "$TMPD/debug/.build-id/${id:0:2}"
mv "$TMPD/prog.debug" "$TMPD/debug/.build-id/${id:0:2}/${id:2}.debug"
$USTAT record -f -o "$TMPD/p.data" "dwarf-prog.c:$BODY" -- "$TMPD/stripped" 1 1 1 \
	>/dev/null 2>"$TMPD/err"
grep -q "has no DWARF debuginfo, and .*/\.build-id/${id:0:2}/${id:2}\.debug does not exist" \
	"$TMPD/err" && pass "stripped, no debuginfo: says where it looked" ||
	fail "stripped, no debuginfo: says where it looked" "$(cat "$TMPD/err")"
UPROBE_STAT_DEBUGINFO_DIR=$TMPD/debug record_json "split debuginfo" add_one \
	"dwarf-prog.c:$BODY" "caller_a:$REL" -- "$TMPD/stripped" $A $B $C &&
	check_eq "split debuginfo: static inline function, line, func:LINE" \
		"4 $((A + 2 * B + C)) 4 $((A + 2 * B + C)) 1 $A" \
		"$(field add_one '"\(.sites) \(.hits)"') $(field "dwarf-prog.c:$BODY" '"\(.sites) \(.hits)"') $(field "caller_a:$REL" '"\(.sites) \(.hits)"')"

# USDT: the semaphore is raised while, and only while, the guarded probe is attached.
N=50
for v in pie nopie; do
	record_json "usdt-$v" sdt:ustat_test:plain sdt:ustat_test:guarded -- $D/usdt-$v $N ||
		continue
	check_eq "usdt-$v: the program saw its semaphore raised" \
		"plain=$((N + 1)) guarded=$N semaphore_start=1 semaphore_end=1" "$(cat "$TMPD/out")"
	check_eq "usdt-$v: probe used in two places: 2 sites, every hit" "2 $((N + 1))" \
		"$(field sdt:ustat_test:plain '"\(.sites) \(.hits)"')"
	check_eq "usdt-$v: guarded probe fires once its semaphore is up" $N \
		"$(field sdt:ustat_test:guarded .hits)"
	record_json "usdt-$v unguarded" $D/usdt-$v:ustat_test:plain -- $D/usdt-$v $N ||
		continue
	check_eq "usdt-$v: BINARY:provider:name; no semaphore raised without its probe" \
		"$((N + 1)) plain=$((N + 1)) guarded=0 semaphore_start=0 semaphore_end=0" \
		"$(field $D/usdt-$v:ustat_test:plain .hits) $(cat "$TMPD/out")"
done

# Bad specs: one line on stderr naming the problem, exit status 1.
P=$D/prog-O2-pie
bad_inputs <<EOT
bad spec: unknown source file|source file 'nosuch.c' not found in the debuginfo of|record nosuch.c:10 -- $P 1 1 1
bad spec: line with no code|no code at dwarf-prog.c:$NOCODE (nearest lines with code: |record dwarf-prog.c:$NOCODE -- $P 1 1 1
bad spec: func:LINE past the function|no code at line 99 of caller_a|record caller_a:99 -- $P 1 1 1
bad spec: func:LINE of an unknown function|function 'nosuch' not found in the debuginfo|record nosuch:3 -- $P 1 1 1
bad spec: unknown USDT probe|USDT probe ustat_test:nope not found in|record sdt:ustat_test:nope -- $D/usdt-pie 1
bad spec: USDT probe in a binary without any|has no USDT probes (no .note.stapsdt)|record sdt:a:b -- $P 1 1 1
bad spec: %return on a line|a line probe takes no +OFF or %return|record dwarf-prog.c:10%return -- $P 1 1 1
bad spec: too many colons|too many ':'|record a:b:c:d -- $P 1 1 1
bad spec: line 0 of a file|source lines start at 1|record dwarf-prog.c:0 -- $P 1 1 1
bad spec: stripped, no debuginfo|the binary is stripped, and its debuginfo was not found|record add_one -- $TMPD/stripped 1 1 1
EOT
