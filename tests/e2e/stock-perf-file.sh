# SPDX-License-Identifier: GPL-2.0
# report and script read perf.data that stock 'perf record' wrote.
. "$(dirname "$0")/lib.sh"

need_uprobes stock-perf-file || exit 0
if ! have_perf; then skip stock-perf-file "perf (linux-perf) is not installed"; exit 0; fi
if ! have_tracefs; then skip stock-perf-file "perf probe needs tracefs uprobe_events"; exit 0; fi

# A copy of the workload of our own, so the probe group name is ours alone.
cp $BIN/hits "$TMPD/ustathits"
cleanup() { perf probe -q -d 'probe_ustathits:*' 2>/dev/null; rm -rf "$TMPD"; }
trap cleanup EXIT
perf probe -q -x "$TMPD/ustathits" target_func >/dev/null 2>&1 &&
	perf probe -q -x "$TMPD/ustathits" target_func%return >/dev/null 2>&1
if [ $? -ne 0 ]; then skip stock-perf-file "perf probe cannot add uprobes here"; exit 0; fi

T=3 N=1500
data=$TMPD/stock.data
perf record -q -o "$data" -e probe_ustathits:target_func -e probe_ustathits:target_func__return \
	-- "$TMPD/ustathits" $T $N 0 >/dev/null 2>"$TMPD/err"
check_eq "stock perf record exits 0" 0 $?

$USTAT report -i "$data" --json >"$TMPD/r.json" 2>"$TMPD/rerr"
check_eq "report reads a stock perf file" 0 $?
check_eq "stock file: exact entry hits" $((T * N)) \
	"$(probe_hits "$TMPD/r.json" probe_ustathits:target_func)"
check_eq "stock file: exact return hits" $((T * N)) \
	"$(probe_hits "$TMPD/r.json" probe_ustathits:target_func__return)"
check_eq "stock file: __return pairs with its entry" "probe_ustathits:target_func__return" \
	"$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "probe_ustathits:target_func") | .pair')"
check_eq "stock file: latency pairs == calls" $((T * N)) \
	"$(jq_get "$TMPD/r.json" '.probes[] | select(.name == "probe_ustathits:target_func") | .latency_ns.count')"
check_eq "stock file: per-CPU sums" $((2 * T * N)) "$(jq_get "$TMPD/r.json" '[.cpus[].hits] | add')"

$USTAT script -i "$data" >"$TMPD/s.txt"
check_eq "script reads a stock perf file" $((2 * T * N)) "$(grep -vc '^#' "$TMPD/s.txt")"
# perf script on its own file agrees with ours, line by line (tid cpu time event).
perf script -i "$data" -F tid,cpu,time,event 2>/dev/null |
	awk '{ gsub(/[\[\]]/, "", $2); sub(/:$/, "", $3); sub(/:$/, "", $4); print $1, $2 + 0, $3, $4 }' |
	sort >"$TMPD/theirs"
grep -v '^#' "$TMPD/s.txt" |
	awk '{ print $4, $2, substr($1, 1, index($1, ".") + 6), $5 }' | sort >"$TMPD/ours"
cmp -s "$TMPD/ours" "$TMPD/theirs" && pass "script agrees with perf script on its own file" ||
	fail "script agrees with perf script on its own file" "$(diff "$TMPD/ours" "$TMPD/theirs" | head -3)"
