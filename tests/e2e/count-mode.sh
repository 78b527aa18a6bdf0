# SPDX-License-Identifier: GPL-2.0
# The counting consumer: top counts the probes its view needs no sample of,
# record --count writes perf stat record's records, and the counts are
# exact; report --tui replays a -b file's counts; every loss is reported.
. "$(dirname "$0")/lib.sh"

need_uprobes count-mode || exit 0

# hits THREADS CALLS DEPTH prints what it did:
# target_func=N recurse=N nest_outer=N nest_inner=N
calls() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; }

# top --stdio: plain probes counted, their totals exact at the end
# (--no-signals: recorded kernel signals would have the probes sampled).
timeout 120 $USTAT top --stdio -d 1 --no-signals -x $BIN/hits target_func nest_inner \
	-- $BIN/hits 2 20000 3 >"$TMPD/top.out" 2>"$TMPD/top.err"
check_eq top-count-exit 0 $?
check_eq top-consumer "# consumer: counting" "$(head -n 1 "$TMPD/top.out")"
last() { awk -v p="$1" '$2 == p { h = $3 } END { print h }' "$TMPD/top.out"; }
check_eq top-counts-exact "40000 4" "$(last target_func) $(last nest_inner)"

# The JSON lines say the consumer; a %return pair is sampled for its
# latency beside the counted probe.
timeout 120 $USTAT top --stdio -j -d 1 --no-signals -x $BIN/hits target_func \
	target_func%return nest_inner -- $BIN/hits 1 3000 3 >"$TMPD/topj.out" 2>"$TMPD/topj.err"
cons=$(tail -n 1 "$TMPD/topj.out" | jq -r '.consumer' 2>/dev/null)
check_eq top-mixed-consumer counting+samples "$cons"
lat=$(jq -r 'select(.probe == "target_func") | ."latency-count"' "$TMPD/topj.out" 2>/dev/null |
	tail -n 1)
nest=$(jq -r 'select(.probe == "nest_inner") | .hits' "$TMPD/topj.out" 2>/dev/null | tail -n 1)
check_eq top-mixed-exact "3000 2" "$lat $nest"

# Kernel signals go to probes by the addresses the probes' samples show: where
# top records any, it samples every probe, or each probe's signals would read 0.
tev=/sys/kernel/tracing/events
if [ -d $tev/mmap_lock/mmap_lock_acquire_returned ] || [ -d $tev/lock/contention_begin ] ||
   [ -d $tev/uprobes_core ]; then
	timeout 120 $USTAT top --stdio -d 1 -x $BIN/hits target_func nest_inner \
		-- $BIN/hits 2 2000 3 >"$TMPD/tops.out" 2>"$TMPD/tops.err"
	check_eq top-signals-sample "# consumer: samples" "$(head -n 1 "$TMPD/tops.out")"
else
	skip top-signals-sample "this kernel has none of the kernel signals' tracepoints"
fi

# record --count: counts only, per probe and per CPU, exact.
out=$TMPD/c.data
timeout 120 $USTAT record --count --no-signals -f -o "$out" -x $BIN/hits target_func \
	target_func%return nest_inner -- $BIN/hits 2 20000 5 >"$TMPD/wl.out" 2>"$TMPD/rec.err"
check_eq record-count-exit 0 $?
if grep -q "counted $(( $(calls "$TMPD/wl.out" target_func) * 2 + 4 )) hits (consumer: counting)" \
	"$TMPD/rec.err"; then pass record-count-summary
else fail record-count-summary "$(grep counted "$TMPD/rec.err")"; fi
$USTAT report --json -i "$out" >"$TMPD/r.json" 2>"$TMPD/rep.err"
check_eq report-consumer counting "$(jq_get "$TMPD/r.json" .consumer)"
check_eq report-no-samples 0 "$(jq_get "$TMPD/r.json" .samples)"
tf=$(calls "$TMPD/wl.out" target_func)
check_eq report-counts-exact "$tf $tf $(calls "$TMPD/wl.out" nest_inner)" \
	"$(probe_hits "$TMPD/r.json" target_func) $(probe_hits "$TMPD/r.json" target_func%return) $(probe_hits "$TMPD/r.json" nest_inner)"
sum=$(jq_get "$TMPD/r.json" '[.probes[] | select(.name == "target_func") | .per_cpu[].hits] | add')
check_eq report-per-cpu-sum "$tf" "$sum"
if $USTAT report -i "$out" | grep -q "^# consumer: counting"; then pass report-header-consumer
else fail report-header-consumer "$($USTAT report -i "$out" | grep consumer)"; fi
# -C: the counts of the CPUs named only
cpu0=$(jq_get "$TMPD/r.json" '[.probes[] | select(.name == "target_func") | .per_cpu[] | select(.cpu == 0) | .hits] | add // 0')
$USTAT report --json -C 0 -i "$out" >"$TMPD/c0.json" 2>/dev/null
check_eq report-cpu-filter "$cpu0" "$(probe_hits "$TMPD/c0.json" target_func)"

# Several files: their counts add up.
cp "$out" "$TMPD/c2.data"
$USTAT report --json -i "$out" -i "$TMPD/c2.data" >"$TMPD/m.json" 2>/dev/null
check_eq report-multi-counts $((tf * 2)) "$(probe_hits "$TMPD/m.json" target_func)"

# Stock perf reads the file: perf script without error, perf stat report
# with the counts per CPU.
if have_perf; then
	if perf script -i "$out" >/dev/null 2>"$TMPD/perf.err"; then pass stock-perf-script
	else fail stock-perf-script "$(head -n 1 "$TMPD/perf.err")"; fi
	perf stat report -i "$out" >"$TMPD/ps.out" 2>&1
	rc=$?
	ps=$(awk '$3 == "probe_hits:target_func" { s += $2 } END { print s + 0 }' "$TMPD/ps.out")
	check_eq stock-perf-stat-report "0 $tf" "$rc $ps"
else
	skip stock-perf "perf (linux-perf) is not installed"
fi

# Loss accounting: one-page buffers for a sampled probe at full speed;
# whatever did not fit is counted.  The kernel counts every dropped
# record, the threads' COMM, MMAP2 and EXIT records too (a handful here):
# calls <= samples + lost <= calls + 16, and report says what record said.
timeout 120 $USTAT record -m 1 --no-signals -f -o "$TMPD/l.data" -x $BIN/hits target_func \
	-- $BIN/hits 2 20000 1 >"$TMPD/lwl.out" 2>"$TMPD/l.err"
s=$(sed -n 's/.*(\([0-9]*\) samples, \([0-9]*\) lost).*/\1 \2/p' "$TMPD/l.err")
n=$(calls "$TMPD/lwl.out" target_func)
got=$(echo "$s" | awk '{ print $1 + $2 }')
if [ -n "$got" ] && [ "$got" -ge "$n" ] && [ "$got" -le $((n + 16)) ]; then
	pass "loss-accounted ($s samples and lost of $n calls)"
else
	fail loss-accounted "$n calls, samples and lost: '$s'"
fi
$USTAT report --json -i "$TMPD/l.data" >"$TMPD/l.json" 2>/dev/null
check_eq loss-in-report "$(echo "$s" | awk '{ print $2 }')" "$(jq_get "$TMPD/l.json" .lost)"

# report --tui of a -b file shows its hits (the maps' counts are metadata).
$USTAT record -b -f -o "$TMPD/b.data" -x $BIN/hits target_func nest_inner \
	-- $BIN/hits 2 20000 3 >"$TMPD/bwl.out" 2>"$TMPD/b.err"
if grep -q "not built with BPF support\|counting with perf samples instead" "$TMPD/b.err"; then
	skip tui-bpf-replay "BPF unavailable: $(head -n 1 "$TMPD/b.err")"
	exit 0
fi
if ! command -v tmux >/dev/null; then
	skip tui-bpf-replay "tmux is not installed"
	exit 0
fi
sock=$TMPD/tmux.sock
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT
tm -f /dev/null new-session -d -x 120 -y 40 \
	"$USTAT report --tui -i $TMPD/b.data 2>$TMPD/tui.err; sleep 600"
seen=
for i in $(seq 50); do
	seen=$(tm capture-pane -p 2>/dev/null | awk '$1 == "target_func" { print $2 }')
	[ -n "$seen" ] && break
	sleep 0.1
done
scr=$(tm capture-pane -p 2>/dev/null)
tm send-keys q
# 40000 calls show as 40.0k
check_eq tui-bpf-replay-hits 40.0k "$seen"
if echo "$scr" | head -n 1 | grep -q "| bpf |"; then pass tui-bpf-replay-consumer
else fail tui-bpf-replay-consumer "$(echo "$scr" | head -n 1)"; fi
