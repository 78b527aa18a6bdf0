# SPDX-License-Identifier: GPL-2.0
# record on real uprobes, then report, script, and stock perf on our file.
. "$(dirname "$0")/lib.sh"

need_uprobes record-report || exit 0

T=4 N=5000 D=5
data=$TMPD/hits.data
# Probes only: the kernel signals' own samples are tested in signals.sh.
$USTAT record --no-signals -o "$data" target_func target_func%return recurse recurse%return \
	nest_outer nest_outer%return nest_inner nest_inner%return \
	-- $BIN/hits $T $N $D >"$TMPD/out" 2>"$TMPD/err"
check_eq "record exits 0" 0 $?
check_eq "workload ran" "target_func=$((T * N)) recurse=$((T * (D + 1))) nest_outer=$T nest_inner=$((2 * T))" \
	"$(cat "$TMPD/out")"
grep -q "Captured and wrote .* ($((2 * (T * N + T * (D + 1) + 3 * T))) samples, 0 lost)" "$TMPD/err" &&
	pass "record summary line counts the samples" ||
	fail "record summary line counts the samples" "$(tail -1 "$TMPD/err")"

$USTAT report -i "$data" --json >"$TMPD/r.json"
check_eq "report --json exits 0" 0 $?
check_eq "exact hits: target_func" $((T * N)) "$(probe_hits "$TMPD/r.json" target_func)"
check_eq "exact hits: target_func%return" $((T * N)) "$(probe_hits "$TMPD/r.json" target_func%return)"
check_eq "exact hits: recurse (nested $D deep)" $((T * (D + 1))) "$(probe_hits "$TMPD/r.json" recurse)"
check_eq "exact hits: nest_inner" $((2 * T)) "$(probe_hits "$TMPD/r.json" nest_inner)"
check_eq "%return pairs == calls: target_func" $((T * N)) \
	"$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "target_func") | .latency_ns.count')"
check_eq "%return pairs == calls: recursion" $((T * (D + 1))) \
	"$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "recurse") | .latency_ns.count')"
check_eq "%return pairs == calls: nesting" $((2 * T)) \
	"$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "nest_inner") | .latency_ns.count')"
check_eq "no unmatched returns" 0 \
	"$(jq_get "$TMPD/r.json" '[.probes[].unmatched_returns] | add')"
check_eq "per-CPU hits sum to the probe's hits" $((T * N)) \
	"$(jq_get "$TMPD/r.json" '[.probes[] | select(.name == "target_func") | .per_cpu[].hits] | add')"
check_eq "CPU table sums to all samples" "$(jq_get "$TMPD/r.json" .samples)" \
	"$(jq_get "$TMPD/r.json" '[.cpus[].hits] | add')"
check_eq "no lost events" 0 "$(jq_get "$TMPD/r.json" .lost)"
# An outer call lasts longer than the inner calls it makes.
outer=$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "nest_outer") | .latency_ns.min')
inner=$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "nest_inner") | .latency_ns.min')
[ -n "$outer" ] && [ "$outer" -gt "$inner" ] && pass "nested latency: outer > inner" ||
	fail "nested latency: outer > inner" "outer=$outer inner=$inner"
dur=$(jq_get "$TMPD/r.json" .duration_ns)
[ "$dur" -gt 0 ] && [ "$dur" -lt 60000000000 ] && pass "duration is plausible" ||
	fail "duration is plausible" "$dur"

$USTAT report -i "$data" --stdio >"$TMPD/r.txt"
grep -q "target_func%return" "$TMPD/r.txt" && grep -q "^# Per CPU" "$TMPD/r.txt" &&
	grep -q "^# Latency" "$TMPD/r.txt" && pass "report --stdio has the three tables" ||
	fail "report --stdio has the three tables" "$(head -5 "$TMPD/r.txt")"
$USTAT report -i "$data" --csv --sort probe,cpu >"$TMPD/r.csv"
check_eq "report --csv header" "probe,cpu,hits,hits_per_sec,share,lat_count,lat_min,lat_avg,lat_p50,lat_p90,lat_p99,lat_max,lookups,lookups_fallback,lookup_spec_p99,lookup_fallback_p99,spec_fail,xol_allocs,xol_waits,xol_wait_p99,xol_cross_cpu,mmap_fallbacks,invalidations,hold_p99,sites,hit_path,cost_total_ns,cost_entry_ns,cost_lookup_ns,cost_singlestep_ns,cost_consumer_ns,cost_return_ns,tree_retries,tree_writes,xol_area_fails" \
	"$(head -1 "$TMPD/r.csv")"
check_eq "report --csv probe,cpu rows sum to target_func hits" $((T * N)) \
	"$(awk -F, '$1 == "target_func" { s += $3 } END { print s }' "$TMPD/r.csv")"

$USTAT script -i "$data" >"$TMPD/s.txt"
check_eq "script: one line per sample" "$(jq_get "$TMPD/r.json" .samples)" \
	"$(grep -vc '^#' "$TMPD/s.txt")"
check_eq "script: fields (time cpu pid tid event probe ip comm)" 8 \
	"$(grep -v '^#' "$TMPD/s.txt" | awk '{ print NF }' | sort -u)"
check_eq "script: target_func lines" $((T * N)) \
	"$(awk '$6 == "target_func"' "$TMPD/s.txt" | wc -l)"
sorted=$(grep -v '^#' "$TMPD/s.txt" | awk '{ print $1 }' | sort -c -g 2>&1 && echo sorted)
check_eq "script: lines in time order" sorted "$sorted"

if ! have_perf; then
	skip "stock perf reads our file" "perf (linux-perf) is not installed"
	exit 0
fi
perf script -i "$data" -F event,cpu,tid,time >"$TMPD/ps.txt" 2>"$TMPD/ps.err"
check_eq "stock perf script exits 0" 0 $?
check_eq "stock perf script: target_func samples" $((T * N)) \
	"$(grep -c 'probe_hits:target_func:' "$TMPD/ps.txt")"
check_eq "stock perf script: target_func__return samples" $((T * N)) \
	"$(grep -c 'probe_hits:target_func__return:' "$TMPD/ps.txt")"
# The same CPUs, TIDs and times as our script, in perf's format.
# perf prints microseconds, truncated: cut ours to the same digits.
ours=$(grep -v '^#' "$TMPD/s.txt" |
	awk '$6 == "recurse" { print $4, $2, substr($1, 1, index($1, ".") + 6) }' | sort)
theirs=$(awk '/probe_hits:recurse:/ { gsub(/[\[\]:]/, ""); print $1, $2 + 0, $3 }' \
	"$TMPD/ps.txt" | sort)
check_eq "stock perf script: same tid, cpu, time" "$ours" "$theirs"
perf report -i "$data" --stdio --sort cpu >"$TMPD/pr.txt" 2>/dev/null
check_eq "stock perf report --sort cpu exits 0" 0 $?
grep -q "Samples: 20K of event 'probe_hits:target_func'" "$TMPD/pr.txt" &&
	pass "stock perf report counts our samples" ||
	fail "stock perf report counts our samples" "$(grep Samples "$TMPD/pr.txt" | head -2)"

# A ring buffer of one page overflows: the lost samples are written,
# counted, and shown in the report header and JSON, never dropped silently.
$USTAT record -m 1 --no-signals -o "$TMPD/lost.data" target_func -- $BIN/hits 2 50000 0 \
	>/dev/null 2>"$TMPD/err"
$USTAT report -i "$TMPD/lost.data" --json >"$TMPD/l.json"
lost=$(jq_get "$TMPD/l.json" .lost)
if [ "$lost" = 0 ]; then
	skip "lost samples are counted" "a 1-page buffer did not overflow on this machine"
else
	# Lost records count the thread and mmap records lost beside samples.
	sum=$(($(probe_hits "$TMPD/l.json" target_func) + lost))
	if [ $sum -ge 100000 ] && [ $sum -le 100064 ]; then
		pass "lost + recorded hits == calls (+ a few task records)"
	else
		fail "lost + recorded hits == calls (+ a few task records)" "$sum"
	fi
	grep -q "($(jq_get "$TMPD/l.json" .samples) samples, $lost lost)" "$TMPD/err" &&
		pass "record's summary counts the lost samples" ||
		fail "record's summary counts the lost samples" "$(grep Captured "$TMPD/err")"
	$USTAT report -i "$TMPD/lost.data" | grep -q "^# WARNING: $lost events were lost" &&
		pass "report header warns of the lost samples" ||
		fail "report header warns of the lost samples" "no warning"
	check_eq "lost per CPU sums to the total" "$lost" "$(jq_get "$TMPD/l.json" '[.cpus[].lost] | add')"
fi
