# SPDX-License-Identifier: GPL-2.0
# Which probes: wildcards, C++ names demangled, raw addresses, many sites;
# and -a -- CMD.  Real uprobes on programs built here (tests/fixtures).
. "$(dirname "$0")/lib.sh"

need_uprobes reach || exit 0

P=$TMPD/reach-prog X=$TMPD/cxx-prog
cc -O1 -g -fno-omit-frame-pointer -o $P tests/fixtures/reach-prog.c ||
	{ fail "reach: build reach-prog" "cc failed"; exit 0; }

hits() { probe_hits "$TMPD/r.json" "$1"; }

# A wildcard: the three wild_* functions, each its own probe with its count.
if record_json "wildcard" 'wild_*' -- $P 3 5 7; then
	check_eq "wildcard 'wild_*': three probes, each named and counted" "7 7 7 3" \
		"$(hits wild_red) $(hits wild_green) $(hits wild_blue) $(jq_get "$TMPD/r.json" '.probes | length')"
fi
if record_json "wildcard with binary" "$P:*_blue" -- $P 3 5 7; then
	check_eq "wildcard 'BINARY:*_blue': one function, hits" "7 1" \
		"$(hits "$P:wild_blue") $(jq_get "$TMPD/r.json" '.probes | length')"
fi
$USTAT record -o "$TMPD/x.data" 'nomatch_*' -- $P 2>"$TMPD/err" &&
	fail "wildcard matching nothing" "accepted" ||
	check_eq "wildcard matching nothing: one line naming the pattern" "1 1" \
		"$(wc -l <"$TMPD/err") $(grep -c "no function of .* matches 'nomatch_\*'" "$TMPD/err")"
$USTAT record -o "$TMPD/x.data" 'libc.so.6:*' -- $P 2>"$TMPD/err" &&
	fail "wildcard past the cap" "accepted" ||
	check_eq "wildcard past the cap: refused, saying how many" 1 \
		"$(grep -c "matches [0-9]* functions of .*, more than 1024" "$TMPD/err")"

# A raw address: equal to leaf's symbol, it counts what 'leaf' counts.
ADDR=0x$(nm $P | awk '$3 == "leaf" { print $1 }')
if record_json "raw address" "$P:$ADDR" -- $P 3 5 7 && cp "$TMPD/r.json" "$TMPD/raw.json" &&
   record_json "leaf" leaf -- $P 3 5 7; then
	check_eq "raw address $ADDR (leaf's): the same hits as leaf" "8 8" \
		"$(probe_hits "$TMPD/raw.json" "$P:$ADDR") $(hits leaf)"
fi
# Both at once are one site (issue 22: identical sites are one), said once.
if record_json "raw address and leaf" "$P:$ADDR" leaf -- $P 3 5 7; then
	check_eq "raw address with leaf: one probe, counted once, a warning" "1 8 1" \
		"$(jq_get "$TMPD/r.json" '.probes | length') $(jq_get "$TMPD/r.json" '[.probes[].hits] | add') $(grep -c 'is the same site as' "$TMPD/err")"
fi
INSIDE=$(printf '0x%x' $((ADDR + 1)))
$USTAT record -o "$TMPD/x.data" "$P:$INSIDE" -- $P 2>"$TMPD/err" &&
	fail "raw address inside an instruction" "accepted" ||
	check_eq "raw address inside an instruction: refused by the decoder" 1 \
		"$(grep -c "address $INSIDE is leaf+0x1: offset 0x1 is inside the instruction" "$TMPD/err")"
$USTAT record -o "$TMPD/x.data" "$P:0x10" -- $P 2>"$TMPD/err" &&
	fail "raw address in no function" "accepted" ||
	check_eq "raw address in no function: refused" 1 "$(grep -c "no function of" "$TMPD/err")"

# -a -- CMD: system-wide for as long as CMD runs, beside a running program.
# The program runs until record is done: attaching may take seconds on a busy machine.
touch "$TMPD/running"
(while [ -e "$TMPD/running" ]; do $P 1 1 1 >/dev/null; sleep 0.05; done) &
bg=$!
if record_json "-a -- sleep 1" -a "$P:wild_red" -- sleep 1; then
	rm -f "$TMPD/running"
	wait $bg
	check_ge "-a -- sleep 1: hits of a program running beside it" 1 "$(hits "$P:wild_red")"
	check_eq "-a -- sleep 1: the target says both" "system-wide, while: sleep 1" \
		"$(jq_get "$TMPD/r.json" '.target')"
	# A program started between the /proc walk and the enable has no
	# COMM (perf record has the same window): its row is unnamed, not
	# another program's.
	check_eq "-a -- sleep 1: --sort comm says who made the hits" "reach-prog" \
		"$($USTAT report -i "$TMPD/p.data" --sort comm --json |
		   jq -r '.rows[].comm | select(. != "")' | sort -u | tr '\n' ' ' | sed 's/ $//')"
fi
rm -f "$TMPD/running"
wait $bg 2>/dev/null

# Who pays: two programs of one file (a hard link: one inode, two names)
# under one sh -c, told apart by script's comm.
ln $P $TMPD/twin-prog
if record_json "script comm" "$P:leaf" -- sh -c "$P 3 5 7; $TMPD/twin-prog 1 1 1"; then
	$USTAT script -i "$TMPD/p.data" >"$TMPD/s.txt"
	check_eq "script: comm tells two programs under one sh -c apart" "8 2" \
		"$(awk '$8 == "reach-prog"' "$TMPD/s.txt" | wc -l) $(awk '$8 == "twin-prog"' "$TMPD/s.txt" | wc -l)"
	check_eq "report --comm: each program's hits" "8 2" \
		"$($USTAT report -i "$TMPD/p.data" --json --comm reach-prog | jq '.probes[0].hits') $($USTAT report -i "$TMPD/p.data" --json --comms twin-prog | jq '.probes[0].hits')"
	check_eq "report --sort comm --json: rows per program" "reach-prog 8 twin-prog 2" \
		"$($USTAT report -i "$TMPD/p.data" --sort comm --json | jq -r '.rows[] | "\(.comm) \(.hits)"' | tr '\n' ' ' | sed 's/ $//')"
	check_eq "report --sort probe,comm,pid --csv: a row per program, pids apart" "2 2" \
		"$($USTAT report -i "$TMPD/p.data" --sort probe,comm,pid --csv | tail -n +2 | wc -l) $($USTAT report -i "$TMPD/p.data" --sort probe,comm,pid --csv | tail -n +2 | cut -d, -f3 | sort -u | wc -l)"
	check_eq "report --sort comm --stdio: the Command column" "8 reach-prog|2 twin-prog" \
		"$($USTAT report -i "$TMPD/p.data" --sort comm | sed -n '/Command/,/^#$/p' | awk '!/^#/ { printf "%s%s %s", n++ ? "|" : "", $2, $4 }')"
	twin=$(awk '$8 == "twin-prog" { print $3; exit }' "$TMPD/s.txt")
	check_eq "script --pid: the twin's lines only" "2 twin-prog" \
		"$($USTAT script -i "$TMPD/p.data" --no-header --pid "$twin" | awk '{ print $8 }' | uniq -c | awk '{ print $1, $2 }')"
	# --time from the 2nd to the 4th line's times: three lines.
	t2=$(grep -v '^#' "$TMPD/s.txt" | sed -n 2p | cut -d' ' -f1)
	t4=$(grep -v '^#' "$TMPD/s.txt" | sed -n 4p | cut -d' ' -f1)
	check_eq "script --time START,END: the lines inside" 3 \
		"$($USTAT script -i "$TMPD/p.data" --no-header --time "$t2,$t4" | wc -l)"
	cpu=$(grep -v '^#' "$TMPD/s.txt" | sed -n 1p | cut -d' ' -f2)
	check_eq "report --cpu: the hits of one CPU, as script counts them" \
		"$(awk -v c="$cpu" '!/^#/ && $2 == c' "$TMPD/s.txt" | wc -l)" \
		"$($USTAT report -i "$TMPD/p.data" --json --cpu "$cpu" | jq '.probes[0].hits')"
	$USTAT report -i "$TMPD/p.data" --time 5,x >/dev/null 2>"$TMPD/err" &&
		fail "report --time 5,x" "accepted" ||
		check_eq "report --time 5,x: one line naming the option" 1 "$(grep -c -- '--time 5,x' "$TMPD/err")"
fi

# -t TID -- sleep 1 and -p PID -- sleep 1: a running program, for one second.
S=$BIN/spin
if [ -x $S ]; then
	$S 4 >/dev/null &
	spid=$!
	sleep 0.3
	if record_json "-t TID -- sleep 1" -t $spid -x $S target_func -- sleep 1; then
		check_eq "-t TID -- sleep 1: the target says so" "tid $spid, while: sleep 1" \
			"$(jq_get "$TMPD/r.json" .target)"
		check_ge "-t TID: hits" 1 "$(hits target_func)"
		check_eq "-t TID: every line is that thread's" "$spid" \
			"$($USTAT script -i "$TMPD/p.data" --no-header | awk '{ print $4 }' | sort -u)"
	fi
	record_json "-p PID -- sleep 1" -p $spid -x $S target_func -- sleep 1 &&
		check_eq "-p PID -- sleep 1: the target says so" "pid $spid, while: sleep 1" \
			"$(jq_get "$TMPD/r.json" .target)"
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	$USTAT record -o "$TMPD/x.data" -t 999999999 -x $S target_func 2>"$TMPD/err" &&
		fail "-t with no such thread" "accepted" ||
		check_eq "-t with no such thread: refused" 1 "$(grep -c 'no thread with tid 999999999' "$TMPD/err")"
else
	skip "reach: -t" "no $S (make test-build)"
fi

# -C: only the CPUs asked for.  The program runs on CPU 0 (taskset).
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	record_json "-C 0" -C 0 "$P:leaf" -- taskset -c 0 $P 3 5 7 &&
		check_eq "-C 0: the hits on CPU 0" 8 "$(hits "$P:leaf")"
	record_json "-C 1" -C 1 "$P:leaf" -- taskset -c 0 $P 3 5 7 &&
		check_eq "-C 1: none of CPU 0's hits" 0 "$(hits "$P:leaf")"
else
	skip "reach: -C" "needs taskset and 2 CPUs"
fi
$USTAT record -o "$TMPD/x.data" -C 4095 "$P:leaf" -- $P 2>"$TMPD/err" &&
	fail "-C 4095" "accepted" ||
	check_eq "-C with a CPU that is not online: refused" 1 "$(grep -c 'CPU 4095 is not online' "$TMPD/err")"

# libc stripped, libc6-dbg installed: the message says the debug file was searched.
if $USTAT list --kernel >/dev/null 2>&1 && dpkg-query -W -f='${Status}' libc6-dbg 2>/dev/null | grep -q "ok installed"; then
	$USTAT record -o "$TMPD/x.data" 'libc.so.6:no_such_function_here' -- true 2>"$TMPD/err"
	check_eq "libc with libc6-dbg: no 'it is stripped' hint, the debug file named" "0 1" \
		"$(grep -c 'it is stripped' "$TMPD/err") $(grep -c 'nor in its debug file' "$TMPD/err")"
else
	skip "reach: libc6-dbg hint" "libc6-dbg is not installed"
fi

# C++: demangled names in, demangled names out.
if ! command -v g++ >/dev/null; then
	skip "reach: C++ names" "no g++"
elif ! g++ -O1 -g -o $X tests/fixtures/cxx-prog.cpp; then
	fail "reach: build cxx-prog" "g++ failed"
elif record_json "C++ one overload" 'Widget::poke(int)' -- $X 4 &&
	check_eq "C++ 'Widget::poke(int)': one overload, by an inner scope" "8 1" \
		"$(hits 'ns::Widget::poke(int)') $(jq_get "$TMPD/r.json" '.probes | length')" &&
	record_json "C++ names" 'ns::Widget::poke' 'twice<int>' -- $X 4; then
	check_eq "C++ 'ns::Widget::poke': each overload, by signature" "4 8" \
		"$(hits 'ns::Widget::poke()') $(hits 'ns::Widget::poke(int)')"
	check_eq "C++ 'twice<int>': the template instance only" 12 "$(hits 'twice<int>')"
	$USTAT script -i "$TMPD/p.data" >"$TMPD/s.txt"
	check_eq "C++: script names the probe demangled" 4 \
		"$(grep -c ' ns::Widget::poke() ' "$TMPD/s.txt")"
	$USTAT list -x $X --funcs >"$TMPD/l.txt"
	check_eq "C++: list --funcs prints the names record takes" \
		"ns::Widget::poke() ns::Widget::poke(int) twice<double> twice<int>" \
		"$(grep -E 'poke|twice' "$TMPD/l.txt" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
	$USTAT record -o "$TMPD/x.data" 'ns::Widget::nothere' -- $X 2>"$TMPD/err" &&
		fail "C++: unknown name" "accepted" ||
		check_eq "C++: unknown name: one line, not a USDT error" "1 0" \
			"$(wc -l <"$TMPD/err") $(grep -c USDT "$TMPD/err")"
fi

# 1,000 sites: a generated program whose 1,000 functions run once each.
awk 'BEGIN {
	print "volatile int sink;"
	for (i = 0; i < 1000; i++)
		printf "__attribute__((noinline)) void fn%04d(void) { sink++; }\n", i
	print "int main(void) {"
	for (i = 0; i < 1000; i++)
		printf "\tfn%04d();\n", i
	print "\treturn 0;\n}"
}' >"$TMPD/many.c"
cc -O1 -o $TMPD/many $TMPD/many.c || { fail "reach: build many" "cc failed"; exit 0; }
start=$(date +%s.%N)
if record_json "1,000 sites" -v 'fn*' -- $TMPD/many; then
	end=$(date +%s.%N)
	check_eq "1,000 sites: 1,000 probes of one hit each" "1000 1000 1" \
		"$(jq_get "$TMPD/r.json" '[.probes | length, (map(.hits) | add), (map(.hits) | unique | length)] | map(tostring) | join(" ")')"
	group=$(grep -o 'in group uprobe_stat_[0-9]*' "$TMPD/err" | awk '{ print $3 }')
	if [ -n "$group" ]; then
		check_eq "1,000 sites: nothing of $group left in uprobe_events" 0 \
			"$(grep -c "$group/" /sys/kernel/tracing/uprobe_events)"
	fi
	# Printed, and bounded generously (the machine is shared).  Where the
	# detach goes: closing the events (the kernel's grace periods, one
	# trace event after another under its event_mutex, ~90 ms each here:
	# 90 s when each site had its own, ~2 s with 64 sites an event) and
	# removing the definitions (one write for the group).  See
	# Documentation/performance.md.
	echo "# 1,000 sites: $(grep -o 'attached [0-9]* uprobes in [0-9.]* s' "$TMPD/err"), $(grep -o 'detached [0-9]* uprobes in [0-9.]* s' "$TMPD/err"); whole record $(echo "$end - $start" | bc) s"
	grep -o 'detach: .*' "$TMPD/err" | sed 's/^/#   /'
	detach=$(sed -n 's/.*detached [0-9]* uprobes in \([0-9.]*\) s.*/\1/p' "$TMPD/err")
	removed=$(sed -n 's/.*removed [0-9]* uprobe_events definitions in \([0-9.]*\) s.*/\1/p' "$TMPD/err")
	if [ -z "$detach" ]; then
		fail "1,000 sites: detach time" "record -v printed none"
	elif [ "$(echo "$detach < 30" | bc)" = 1 ]; then
		pass "1,000 sites: detached in $detach s (bound: 30 s)"
	else
		fail "1,000 sites: detach time" "$detach s, over 30 s"
	fi
	if [ -n "$removed" ]; then
		[ "$(echo "$removed < 5" | bc)" = 1 ] &&
			pass "1,000 sites: definitions removed in $removed s (bound: 5 s)" ||
			fail "1,000 sites: removing the definitions" "$removed s"
	fi
fi
