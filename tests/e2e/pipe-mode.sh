# SPDX-License-Identifier: GPL-2.0
# Pipe mode, as perf has it: record -o - writes perf's pipe format to
# stdout; report -i - and script -i - read it from stdin; stock perf reads
# our stream and we read stock perf's.
. "$(dirname "$0")/lib.sh"

need_uprobes pipe-mode || exit 0
H=$BIN/hits
T=2 N=1000
PROBES="target_func nest_inner"

# The same recording through a file and through a pipe: the same exact counts.
$USTAT record -o "$TMPD/f.data" --no-signals $PROBES -- $H $T $N 0 >/dev/null 2>&1
$USTAT report -i "$TMPD/f.data" --json >"$TMPD/f.json"
timeout 60 $USTAT record -o - --no-signals $PROBES -- $H $T $N 0 2>"$TMPD/rerr" |
	timeout 60 $USTAT report -i - --json >"$TMPD/p.json" 2>"$TMPD/perr"
check_eq "record -o - | report -i -: both exit 0" "0 0" "${PIPESTATUS[*]}"
check_eq "pipe: exact target_func hits" $((T * N)) "$(probe_hits "$TMPD/p.json" target_func)"
check_eq "pipe: exact nest_inner hits" $((2 * T)) "$(probe_hits "$TMPD/p.json" nest_inner)"
check_eq "pipe and file give the same counts" \
	"$(jq -c '[.probes[] | [.name, .hits]]' "$TMPD/f.json")" \
	"$(jq -c '[.probes[] | [.name, .hits]]' "$TMPD/p.json")"
# What only the stream's last records carry: the end of the command, the host.
check_eq "pipe: the report knows how the command ended" "exited 0" \
	"$(jq_get "$TMPD/p.json" '"\(.command_end.how) \(.command_end.status)"')"
# The workload's stdout went to stderr, not into the stream.
check_eq "pipe: the command's stdout is on record's stderr" 1 \
	"$(grep -c "^target_func=$((T * N)) " "$TMPD/rerr")"

# As perf report does: no -i and a pipe on stdin reads the stream.
$USTAT record -o - --no-signals $PROBES -- $H $T $N 0 2>/dev/null |
	$USTAT report --json >"$TMPD/d.json" 2>/dev/null
check_eq "report without -i reads a piped stream" $((T * N)) \
	"$(probe_hits "$TMPD/d.json" target_func)"

# script -i -
$USTAT record -o "-" --no-signals $PROBES -- $H $T $N 0 2>/dev/null >"$TMPD/s.pipe"
cat "$TMPD/s.pipe" | $USTAT script -i - >"$TMPD/s.txt" 2>"$TMPD/serr"
check_eq "script -i -: exits 0" 0 $?
check_eq "script -i -: one line a target_func hit" $((T * N)) \
	"$(grep -c ' target_func ' "$TMPD/s.txt")"
# A file holding a stream (record -o - > FILE) is read as one.
$USTAT report -i "$TMPD/s.pipe" --json >"$TMPD/sf.json" 2>/dev/null
check_eq "report -i FILE of a stream" $((T * N)) "$(probe_hits "$TMPD/sf.json" target_func)"

# A command that writes much to stdout does not corrupt the stream.
timeout 60 $USTAT record -o - --no-signals "$H:target_func" -- \
	sh -c "seq 200000; exec $H $T $N 0" 2>"$TMPD/nerr" |
	$USTAT report -i - --json >"$TMPD/n.json" 2>>"$TMPD/nerr"
check_eq "noisy command: both exit 0" "0 0" "${PIPESTATUS[*]}"
check_eq "noisy command: exact hits" $((T * N)) "$(jq_get "$TMPD/n.json" '[.probes[].hits] | add')"
check_eq "noisy command: its stdout on stderr" 200000 "$(grep -cx '[0-9]*' "$TMPD/nerr")"

# A cut stream: one line, non-zero exit.
size=$(stat -c %s "$TMPD/s.pipe")
for cut in $((size - 20)) $((size / 2)) 9; do
	head -c $cut "$TMPD/s.pipe" | $USTAT report -i - >/dev/null 2>"$TMPD/cerr"
	rc=$?
	if [ $rc -ge 1 ] && [ $rc -le 127 ] && [ "$(wc -l <"$TMPD/cerr")" -eq 1 ]; then
		pass "stream cut at $cut of $size bytes: refused in one line ($(cat "$TMPD/cerr"))"
	else
		fail "stream cut at $cut of $size bytes" "exit $rc: $(tr '\n' '|' <"$TMPD/cerr")"
	fi
done

# Refused before anything is attached: a closed stdout, a terminal.
$USTAT record -o - --no-signals target_func -- $H 1 1 0 >&- 2>"$TMPD/xerr"
rc=$?
check_eq "-o - with stdout closed: one line, exit 1" "1 1" "$rc $(wc -l <"$TMPD/xerr")"
if command -v script >/dev/null; then
	script -qc "$USTAT record -o - --no-signals target_func -- $H 1 1 0; echo rc=\$?" /dev/null \
		</dev/null >"$TMPD/tty" 2>&1
	check_eq "-o - to a terminal: refused" "1 1" \
		"$(grep -c 'standard output is a terminal' "$TMPD/tty") $(grep -c 'rc=1' "$TMPD/tty")"
fi

# A reader that goes away: record ends with an error, nothing left attached.
before=$(grep -c . /sys/kernel/tracing/uprobe_events 2>/dev/null)
timeout 60 $USTAT record -v -o - --no-signals target_func -- $H 2 3000000 0 2>"$TMPD/gerr" |
	head -c 4096 >/dev/null
rc=${PIPESTATUS[0]}
if [ "$rc" -ge 1 ] && [ "$rc" -le 127 ]; then
	pass "reader gone: record exits $rc, not killed by SIGPIPE"
else
	fail "reader gone" "exit $rc: $(tail -1 "$TMPD/gerr")"
fi
group=$(grep -o 'in group uprobe_stat_[0-9]*' "$TMPD/gerr" | awk '{ print $3 }')
if [ -n "$group" ]; then
	check_eq "reader gone: nothing of $group left in uprobe_events" 0 \
		"$(grep -c "$group/" /sys/kernel/tracing/uprobe_events)"
fi

if ! have_perf; then skip "pipe-mode: stock perf" "perf (linux-perf) is not installed"; exit 0; fi

# Stock perf reads our stream.
perf script -i - -F event <"$TMPD/s.pipe" >"$TMPD/ps.txt" 2>"$TMPD/pserr"
check_eq "perf script -i - reads our stream" 0 $?
check_eq "perf script -i -: exact target_func samples" $((T * N)) \
	"$(grep -c 'target_func:' "$TMPD/ps.txt")"
perf report -i - --stdio <"$TMPD/s.pipe" >"$TMPD/pr.txt" 2>/dev/null
check_eq "perf report -i - --stdio: target_func's event count" $((T * N)) \
	"$(awk '/^# Samples: .* of event .*target_func/ { getline; print $NF }' "$TMPD/pr.txt")"

# We read stock perf's stream.
if ! have_tracefs; then skip "pipe-mode: perf's stream" "perf probe needs tracefs"; exit 0; fi
cp $H "$TMPD/ustatpipe"
cleanup() { perf probe -q -d 'probe_ustatpipe:*' 2>/dev/null; rm -rf "$TMPD"; }
trap cleanup EXIT
if ! perf probe -q -x "$TMPD/ustatpipe" target_func >/dev/null 2>&1; then
	skip "pipe-mode: perf's stream" "perf probe cannot add uprobes here"
	exit 0
fi
perf record -q -e probe_ustatpipe:target_func -o - -- "$TMPD/ustatpipe" $T $N 0 2>/dev/null |
	$USTAT report -i - --json >"$TMPD/sp.json" 2>"$TMPD/sperr"
check_eq "perf record -o - | report -i -: both exit 0" "0 0" "${PIPESTATUS[*]}"
check_eq "perf's stream: exact hits" $((T * N)) \
	"$(probe_hits "$TMPD/sp.json" probe_ustatpipe:target_func)"
perf record -q -e probe_ustatpipe:target_func -o - -- "$TMPD/ustatpipe" $T $N 0 2>/dev/null |
	$USTAT script >"$TMPD/sps.txt" 2>/dev/null
check_eq "perf's stream: script (stdin a pipe) one line a hit" $((T * N)) \
	"$(grep -c 'probe_ustatpipe:target_func' "$TMPD/sps.txt")"
