# SPDX-License-Identifier: GPL-2.0
# top --stdio --openmetrics scraped by a real Prometheus (Debian's package)
# on loopback: the hits Prometheus stores for the probe are the calls the
# workload made, per CPU and per process, the latency histogram counted
# every pair; promtool accepts the raw /metrics; --stdio and -j print one
# block (one JSON object a probe) an interval and end cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"

need_uprobes openmetrics || exit 0
W=$BIN/waiter
# Threads, and processes one after the other, not 'fork': a child forked
# by the probed process is now and then not counted in tracefs mode (a
# recorder issue of its own, seen with record too).
CALLS=150000	# waiter 3 50000: three threads, 50,000 each
OM_CALLS=40000	# waiter 2 10000, then waiter 1 20000

# --- --stdio and -j, without a terminal ----------------------------------------
$USTAT top --stdio -j -d 0.3 -x $W target_func -- \
	sh -c "echo go | $W 3 50000" </dev/null >"$TMPD/j.out" 2>"$TMPD/j.err"
rc=$?
check_eq "--stdio -j: exits 0 when the command ends" 0 $rc
if jq -e . "$TMPD/j.out" >/dev/null 2>&1 && [ "$(wc -l <"$TMPD/j.out")" -ge 1 ]; then
	pass "--stdio -j: every line is a JSON object"
else
	fail "--stdio -j: every line is a JSON object" "$(head -3 "$TMPD/j.out")"
fi
check_eq "--stdio -j: the last line has every call" $CALLS \
	"$(tail -1 "$TMPD/j.out" | jq -r 'select(.probe == "target_func") | .hits')"

$USTAT top --stdio -d 0.2 -x $W target_func -- sleep 30 </dev/null >"$TMPD/s.out" 2>&1 &
tpid=$!
for i in $(seq 200); do grep -q target_func "$TMPD/s.out" && break; sleep 0.1; done
sleep 1.2
kill -TERM $tpid
wait $tpid
rc=$?
check_eq "--stdio: SIGTERM ends it with exit 0" 0 $rc
blocks=$(grep -c "target_func" "$TMPD/s.out")
check_ge "--stdio: one block an interval (0.2 s for 1.2 s)" 4 "$blocks"
check_eq "--stdio: no uprobe_events definition left" 0 \
	"$(grep -c "uprobe_stat_$tpid/" /sys/kernel/tracing/uprobe_events 2>/dev/null)"

# A reader that goes away (| head) ends it as cleanly as a signal.
$USTAT top --stdio -d 0.2 -x $W target_func -- sleep 30 </dev/null 2>"$TMPD/p.err" | head -2 >/dev/null
check_eq "--stdio | head: exits 0 once the pipe is closed" "0" "${PIPESTATUS[0]}"

# --- bad input: one line, before any probe -------------------------------------
$USTAT top --stdio --openmetrics nonsense -x $W target_func -- true >/dev/null 2>"$TMPD/bad.err"
rc=$?
if [ $rc -ne 0 ] && [ "$(wc -l <"$TMPD/bad.err")" = 1 ] &&
   grep -q "openmetrics" "$TMPD/bad.err"; then
	pass "--openmetrics nonsense: a one-line error"
else
	fail "--openmetrics nonsense: a one-line error" "exit $rc: $(cat "$TMPD/bad.err")"
fi
if grep -q "not built with OpenMetrics" "$TMPD/bad.err"; then
	skip "openmetrics: Prometheus scrape" "$(cat "$TMPD/bad.err")"
	exit 0
fi

# --- a real Prometheus ---------------------------------------------------------
for c in prometheus promtool curl; do
	if ! command -v $c >/dev/null; then
		skip "openmetrics: Prometheus scrape" "$c is not installed (Debian: prometheus, curl)"
		exit 0
	fi
done
EP=$((20000 + RANDOM % 20000))
PP=$((EP + 1))
ppid=""
tpid=""
cleanup() {
	[ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	[ -n "$ppid" ] && kill -TERM "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

cat >"$TMPD/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: uprobe-stat
    static_configs:
      - targets: ['127.0.0.1:$EP']
EOF
mkfifo "$TMPD/go"
$USTAT top --stdio -d 1 -m 1024 --openmetrics 127.0.0.1:$EP -x $W target_func target_func%return -- \
	sh -c "read x <$TMPD/go; echo go | $W 2 10000; echo go | $W 1 20000; sleep 60" \
	</dev/null >"$TMPD/top.out" 2>"$TMPD/top.err" &
tpid=$!
timeout 90 prometheus --config.file="$TMPD/prometheus.yml" --storage.tsdb.path="$TMPD/tsdb" \
	--web.listen-address=127.0.0.1:$PP >"$TMPD/prom.log" 2>&1 &
ppid=$!

# q QUERY: the first value of an instant query, or "" (none yet).
q() {
	curl -s -G "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
for i in $(seq 100); do curl -s "127.0.0.1:$EP/metrics" >/dev/null && break; sleep 0.1; done
echo go >"$TMPD/go"	# the workload runs once top serves
# Two scrapes after the workload is done: Prometheus has the final counts.
for i in $(seq 300); do
	[ "$(q 'sum(uprobe_stat_hits_total{probe="target_func"})')" = $OM_CALLS ] && break
	sleep 0.1
done
before=$(q 'count_over_time(up{job="uprobe-stat"}[5m])')
for i in $(seq 100); do
	now=$(q 'count_over_time(up{job="uprobe-stat"}[5m])')
	[ -n "$now" ] && [ -n "$before" ] && [ "$now" -ge $((before + 2)) ] && break
	sleep 0.1
done
check_eq "Prometheus: the target is up" 1 "$(q 'up{job="uprobe-stat"}')"
# (A loaded machine can starve top until its buffers overflow: then the
# records it lost say why the hits fall short.)
lost=$(q 'uprobe_stat_lost_events_total')
check_eq "Prometheus: uprobe_stat_hits_total for the probe is the calls made (lost: $lost)" \
	$OM_CALLS "$(q 'sum(uprobe_stat_hits_total{probe="target_func"})')"
check_eq "Prometheus: per process they add up to the same" $OM_CALLS \
	"$(q 'sum(uprobe_stat_process_hits_total{probe="target_func"})')"
check_eq "Prometheus: two processes hit it (the waiter and its child)" 2 \
	"$(q 'count(uprobe_stat_process_hits_total{probe="target_func"})')"
check_eq "Prometheus: the latency histogram counted every call" $OM_CALLS \
	"$(q 'uprobe_stat_latency_seconds_count{probe="target_func"}')"
check_eq "Prometheus: its +Inf bucket too" $OM_CALLS \
	"$(q 'uprobe_stat_latency_seconds_bucket{probe="target_func",le="+Inf"}')"
check_eq "Prometheus: the processes were not capped" 0 "$(q 'uprobe_stat_processes_capped')"

curl -s "127.0.0.1:$EP/metrics" >"$TMPD/metrics.txt"
if promtool check metrics <"$TMPD/metrics.txt" >"$TMPD/promtool.out" 2>&1; then
	pass "promtool check metrics: the raw /metrics passes"
else
	fail "promtool check metrics: the raw /metrics passes" "$(head -3 "$TMPD/promtool.out")"
fi
curl -s -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$TMPD/h" \
	"127.0.0.1:$EP/metrics" >"$TMPD/om.txt"
if grep -qi "^content-type: application/openmetrics-text" "$TMPD/h" &&
   [ "$(tail -1 "$TMPD/om.txt")" = "# EOF" ]; then
	pass "OpenMetrics asked for: its content type, ending in # EOF"
else
	fail "OpenMetrics asked for: its content type, ending in # EOF" "$(grep -i content-type "$TMPD/h")"
fi
check_eq "/ is not found" 404 "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$EP/")"

kill -TERM $tpid
wait $tpid
rc=$?
t=$tpid
tpid=""
check_eq "top --stdio --openmetrics: SIGTERM ends it with exit 0" 0 $rc
check_eq "top --stdio --openmetrics: no uprobe_events definition left" 0 \
	"$(grep -c "uprobe_stat_$t/" /sys/kernel/tracing/uprobe_events 2>/dev/null)"
if curl -s -m 1 "127.0.0.1:$EP/metrics" >/dev/null; then
	fail "top gone: the port is closed" "still answers"
else
	pass "top gone: the port is closed"
fi
