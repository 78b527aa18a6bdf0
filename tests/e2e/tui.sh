# SPDX-License-Identifier: GPL-2.0
# The interactive view, driven in a real terminal (tmux): 'report --tui'
# replaying a file step by step must show, at each step, exactly what the
# file holds up to that time; every key changes the screen; the layout
# survives resizing and 256 CPUs on 80x24; 'top' shows a live command's
# hits; without a terminal both refuse with a one-line hint.
. "$(dirname "$0")/lib.sh"

# No terminal: a one-line refusal, before any probe is set.
$USTAT report -i /dev/null --tui </dev/null >"$TMPD/out" 2>"$TMPD/err"
rc=$?
if [ $rc -ne 0 ] && [ "$(wc -l <"$TMPD/err")" = 1 ] &&
   grep -q "needs a terminal: use 'report --stdio'" "$TMPD/err"; then
	pass "report --tui without a terminal: one-line refusal"
else
	fail "report --tui without a terminal: one-line refusal" "exit $rc: $(cat "$TMPD/err")"
fi
# (Other runs may hold uprobe_events definitions of their own: look for ours.)
$USTAT top target_func -- true </dev/null >"$TMPD/out" 2>"$TMPD/err" &
tpid=$!
wait $tpid
rc=$?
if [ $rc -ne 0 ] && grep -q "needs a terminal: use 'top --stdio'" "$TMPD/err" &&
   ! grep -q "uprobe_stat_$tpid/" /sys/kernel/tracing/uprobe_events 2>/dev/null; then
	pass "top without a terminal: refused"
else
	fail "top without a terminal: refused" "exit $rc: $(cat "$TMPD/err")"
fi

if ! command -v tmux >/dev/null; then
	skip "tui in a terminal" "tmux is not installed"
	exit 0
fi

sock=$TMPD/tmux.sock
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT

# start W H CMD: a fresh terminal of W x H running CMD (its exit code and
# stderr end up in $TMPD/rc and $TMPD/tui.err).
start() {
	local i
	rm -f "$TMPD/rc"
	tm kill-server 2>/dev/null
	# a server being killed can take the new session with it: retry
	for ((i = 0; i < 5; i++)); do
		while [ -S "$sock" ] && tm has-session 2>/dev/null; do sleep 0.1; done
		rm -f "$sock"
		tm -f /dev/null new-session -d -x "$1" -y "$2" \
			"$3 2>$TMPD/tui.err; echo \$? >$TMPD/rc; sleep 600" 2>/dev/null &&
			sleep 0.2 && tm has-session 2>/dev/null && return 0
		sleep 0.3
	done
	return 1
}
screen() { tm capture-pane -p 2>/dev/null; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (a grep pattern).
wait_for() {
	local i
	for ((i = 0; i < ${2:-5} * 10; i++)); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# key KEY... then wait until the screen has been redrawn.
key() { tm send-keys "$@"; sleep 0.4; }
# row_hits NAME: the Hits column of probe NAME on the screen.
row_hits() { screen | awk -v n="$1" '$1 == n { print $2; exit }'; }
# quit: 'q' must end the program with status 0, and no sanitizer report.
quit() {
	local i
	tm send-keys q
	for ((i = 0; i < 50; i++)); do [ -f "$TMPD/rc" ] && break; sleep 0.1; done
	if [ "$(cat "$TMPD/rc" 2>/dev/null)" = 0 ] &&
	   ! grep -q -E "Sanitizer|runtime error" "$TMPD/tui.err"; then
		pass "$1: q quits cleanly"
	else
		fail "$1: q quits cleanly" "status $(cat "$TMPD/rc" 2>/dev/null), $(head -3 "$TMPD/tui.err")"
	fi
}

# A file of known content: 4 CPUs, 3 probes and their returns, 20000
# samples over 5 s starting at 1.0 s (gen-perf-data's clock).
data=$TMPD/g.data
$BIN/gen-perf-data "$data" 4 3 20000 5000 >"$TMPD/gen" || { fail "gen-perf-data" "exit $?"; exit 0; }
$USTAT script -i "$data" >"$TMPD/script" 2>/dev/null
# hits_until NAME T: samples of probe NAME with a time up to T seconds.
hits_until() { awk -v n="$1" -v t="$2" '$1 !~ /^#/ && $6 == n && $1 + 0 <= t + 0 { c++ } END { print c + 0 }' "$TMPD/script"; }

start 100 30 "$USTAT report -i $data --tui --paused -d 1"
if wait_for "uprobe-stat replay"; then
	pass "replay: the view starts"
else
	fail "replay: the view starts" "$(screen | head -3; cat "$TMPD/tui.err")"
	exit 0
fi
screen | head -1 | grep -q "PAUSED" && screen | head -1 | grep -q "6 probes" &&
	pass "replay: header says paused, 6 probes" ||
	fail "replay: header says paused, 6 probes" "$(screen | head -1)"
check_eq "replay at the start: only what is at the start" "$(hits_until func0 1.0)" "$(row_hits func0)"

key n
key n
check_eq "replay after 2 steps: header at 2.0 s" 1 "$(screen | head -1 | grep -c '| 2.0 s |')"
for p in func0 func1%return func2; do
	check_eq "replay after 2 steps: $p = the file's samples up to 3.0 s" \
		"$(hits_until "$p" 3.0)" "$(row_hits "$p")"
done
# four CPUs, all equally busy: each cell at the top level ('#')
check_eq "heat map: 4 CPUs at the hottest level" 4 \
	"$(screen | sed -n '5p' | grep -o '[0-9]#' | wc -l)"
# the sparkline has two intervals of history
screen | grep -q "last 3 intervals" && pass "sparkline keeps the history" ||
	fail "sparkline keeps the history" "$(screen | grep 'intervals')"

# every key changes what is drawn
before=$(screen)
key m
after=$(screen)
if [ "$before" != "$after" ] && ! echo "$after" | grep -q "CPUs: hits/s"; then
	pass "m: another heat map metric ($(echo "$after" | grep -o 'CPUs: [^ ]*'))"
else
	fail "m: another heat map metric" "$(echo "$after" | grep 'CPUs:')"
fi
key m; key m; key m; key m
screen | grep -q "CPUs: hits/s" && pass "m: five metrics, then back to hits/s" ||
	fail "m: five metrics, then back to hits/s" "$(screen | grep 'CPUs:')"
key s
screen | grep -q "sort: hits)" && fail "s: another sort column" "$(screen | grep 'sort:')" ||
	pass "s: another sort column ($(screen | grep -o 'sort: [^)]*'))"
key Enter
if screen | grep -q "entry to return:"; then
	pass "Enter: probe detail"
else
	fail "Enter: probe detail" "$(screen | tail -8)"
fi
# A file without a calibration: the cost is unknown, and says why.
if screen | grep -q "a hit costs: unknown (the recording saved no calibration"; then
	pass "Enter: the detail says the cost of a hit is unknown without a calibration"
else
	fail "Enter: the detail says the cost of a hit is unknown" "$(screen | grep 'a hit costs')"
fi
first=$(screen | grep -A1 "entry to return" | head -1)
key Enter
key Down
key Enter
second=$(screen | grep -A1 "entry to return" | head -1)
[ -n "$second" ] && [ "$first" != "$second" ] && pass "Down: another probe's detail" ||
	fail "Down: another probe's detail" "'$first' then '$second'"
key Enter
key Right
key Enter
screen | grep -q "^ CPU 1$" && pass "Right: a CPU's detail (CPU 1)" ||
	fail "Right: a CPU's detail (CPU 1)" "$(screen | tail -8)"
key Enter
key h
screen | grep -q "uprobe-stat keys" && pass "h: help" || fail "h: help" "$(screen | head -5)"
key h
screen | grep -q "uprobe-stat keys" && fail "h again: help closes" "still shown" ||
	pass "h again: help closes"
key n
screen | grep -q "n steps when paused" && fail "n while paused steps" "refused" ||
	check_eq "n while paused steps (3.0 s)" 1 "$(screen | head -1 | grep -c '| 3.0 s |')"
key p
screen | head -1 | grep -q PAUSED && fail "p: resumes" "$(screen | head -1)" || pass "p: resumes"
# running at 1 s of recording per second: the file ends at 6.0 s
if wait_for "ENDED" 8; then
	pass "replay runs to the end of the file"
	# After the end the clock (and the sparkline) stay where the file ends.
	h1=$(screen | head -1 | grep -o '| [0-9.]* s |')
	sleep 2.5
	check_eq "after the end: the clock stops" "$h1" "$(screen | head -1 | grep -o '| [0-9.]* s |')"
	for p in func0 func0%return func1 func2%return; do
		check_eq "at the end: $p = all the file holds" \
			"$(grep "^$p " "$TMPD/gen" | cut -d' ' -f2)" "$(row_hits "$p")"
	done
	# The screen draws the numbers report computes: every probe row, hits
	# and latency p50/p99 as report --json gives them, in the view's units.
	$USTAT report -i "$data" --json >"$TMPD/r.json" 2>/dev/null
	want=$(jq -r '.probes[] | [.name, .hits,
		(.latency_ns.p50 // "-"), (.latency_ns.p99 // "-")] | @tsv' "$TMPD/r.json" |
		awk -F'\t' 'function ns(v) {
			if (v == "-") return "-"
			if (v < 1000) return sprintf("%.0fns", v)
			if (v < 1e6) return sprintf("%.1fus", v / 1e3)
			if (v < 1e9) return sprintf("%.1fms", v / 1e6)
			return sprintf("%.2fs", v / 1e9) }
			{ print $1, $2, ns($3), ns($4) }' | sort)
	shown=$(screen | awk '$1 ~ /^func[0-9]/ && NF == 6 { print $1, $2, $4, $5 }' | sort)
	if [ -n "$want" ] && [ "$(echo "$want" | wc -l)" = 6 ] && [ "$want" = "$shown" ]; then
		pass "the screen shows what report --json computes (6 probes)"
	else
		fail "the screen shows what report --json computes" "json: $(echo $want) screen: $(echo $shown)"
	fi
else
	fail "replay runs to the end of the file" "$(screen | head -1)"
fi

# resizing: redrawn to the new size, header and key line still there
tm resize-window -x 80 -y 24
sleep 0.5
if [ "$(screen | wc -l)" = 24 ] && screen | head -1 | grep -q "uprobe-stat replay" &&
   screen | tail -1 | grep -q "q quit"; then
	pass "resize to 80x24: redrawn whole"
else
	fail "resize to 80x24: redrawn whole" "$(screen | head -2; screen | tail -1)"
fi
quit "replay"

# 256 CPUs and 32 probes on 80x24: a compact heat map, the table scrolls.
big=$TMPD/big.data
$BIN/gen-perf-data "$big" 256 16 200000 2000 >/dev/null
start 80 24 "$USTAT report -i $big --tui --paused -d 1"
if wait_for "uprobe-stat replay"; then
	key n
	# compact: one character per CPU, rows of 64 led by their first CPU
	rows=$(screen | grep -c -E '^ +(0|64|128|192) [.:=+*#-]{64}')
	check_eq "256 CPUs on 80x24: four compact rows of 64" 4 "$rows"
	check_eq "256 CPUs on 80x24: 24 lines, key line last" "24 1" \
		"$(screen | wc -l) $(screen | tail -1 | grep -c 'q quit')"
	key Right
	key Enter
	screen | grep -q "^ CPU 1$" && pass "256 CPUs: CPU detail" ||
		fail "256 CPUs: CPU detail" "$(screen | tail -6)"
	quit "256 CPUs"
else
	fail "256 CPUs: the view starts" "$(cat "$TMPD/tui.err")"
fi

# Colours where the terminal has them; monochrome, with the same level
# characters, where it has none (vt100).
colours() { tm capture-pane -p -e 2>/dev/null | grep -c $'\e\[[0-9;]*3[0-7]m\|\e\[[0-9;]*38;'; }
start 100 30 "$USTAT report -i $data --tui --paused -d 1"
if wait_for "uprobe-stat replay"; then
	key n
	[ "$(colours)" -gt 0 ] && pass "a colour terminal gets colours" ||
		fail "a colour terminal gets colours" "no colour escapes in the pane"
	quit "colour"
fi
start 100 30 "env TERM=vt100 $USTAT report -i $data --tui --paused -d 1"
if wait_for "uprobe-stat replay"; then
	key n
	if [ "$(colours)" = 0 ] && [ "$(screen | sed -n '5p' | grep -o '[0-9]#' | wc -l)" = 4 ]; then
		pass "vt100: monochrome, the heat map still reads (level characters)"
	else
		fail "vt100: monochrome, the heat map still reads" "$(colours) colour lines; $(screen | sed -n '5p')"
	fi
	quit "vt100"
else
	fail "vt100: the view starts" "$(cat "$TMPD/tui.err")"
fi

# top: a live command's hits, and ENDED when it exits.
if need_uprobes "top live"; then
	T=2 N=3000
	# top never calibrates (it does not wait): one for this boot first, in our cache.
	export XDG_CACHE_HOME=$TMPD/cache
	$USTAT record --dry-run target_func -- $BIN/hits 1 1 >/dev/null 2>&1
	start 100 30 "env XDG_CACHE_HOME=$TMPD/cache $USTAT top -d 0.5 --no-signals -x $BIN/hits target_func -- $BIN/hits $T $N 0"
	if wait_for "ENDED" 30; then
		tpid=$(pgrep -P "$(tm display -p '#{pane_pid}')" | head -1)
		check_eq "top: every hit of the command is on the screen" $((T * N)) \
			"$(row_hits target_func)"
		screen | head -1 | grep -q "uprobe-stat top" && pass "top: header" ||
			fail "top: header" "$(screen | head -1)"
		screen | grep -q "target_func=" && fail "top: the command's output is not drawn over the view" \
			"$(screen | grep target_func=)" || pass "top: the command's output is not drawn over the view"
		# The detail: what a hit of the selected probe costs, in parts that add up.
		key Enter
		line=$(screen | grep -A1 "a hit costs" | tr '\n' ' ')
		if echo "$line" | awk '{
			for (i = 2; i <= NF; i++) { v = $i; gsub(/,/, "", v); if ($(i - 1) == "costs") t = v
				if ($(i - 1) ~ /^(entry|lookup|singlestep|consumer|return)$/) { s += v; n++ } }
			d = t - s; if (d < 0) d = -d; exit !(t > 0 && n == 5 && d <= 5) }'; then
			pass "top: the detail shows the cost of a hit in parts ($(echo $line))"
		else
			fail "top: the detail shows the cost of a hit in parts" "'$line': $(screen | tail -8)"
		fi
		key Enter
		quit "top"
	else
		fail "top: the command runs to its end" "$(screen | head -3; cat "$TMPD/tui.err")"
	fi
	if [ -n "$tpid" ] &&
	   ! grep -q "uprobe_stat_$tpid/" /sys/kernel/tracing/uprobe_events 2>/dev/null; then
		pass "top: leaves no uprobe behind"
	else
		fail "top: leaves no uprobe behind" "$(cat /sys/kernel/tracing/uprobe_events)"
	fi
fi

# top -b: the same screen from the kernel's counts (BPF), every hit on it.
if need_uprobes "top -b" && $USTAT record -b -f -o "$TMPD/probe.data" target_func \
	-- "$BIN/hits" 1 1 2>&1 >/dev/null | grep -q -- "-b: .*samples instead"; then
	skip "top -b" "BPF unavailable: $($USTAT record -b -f -o "$TMPD/probe.data" target_func -- "$BIN/hits" 1 1 2>&1 >/dev/null | grep -- -b:)"
elif need_uprobes "top -b"; then
	T=2 N=3000
	start 100 30 "$USTAT top -b -d 0.5 -x $BIN/hits target_func target_func%return -- $BIN/hits $T $N 0"
	if wait_for "ENDED" 30; then
		check_eq "top -b: every hit of the command is on the screen" "$((T * N)) $((T * N))" \
			"$(row_hits target_func) $(row_hits target_func%return)"
		quit "top -b"
	else
		fail "top -b: the command runs to its end" "$(screen | head -3; cat "$TMPD/tui.err")"
	fi
fi
