# SPDX-License-Identifier: GPL-2.0
# The kernel signals on this (stock) kernel: mmap_lock fallbacks seen
# through callchains, mm_lock_seq invalidations, and what the report says
# about the signals it cannot have.
. "$(dirname "$0")/lib.sh"

need_uprobes signals || exit 0
if ! have_tracefs || [ ! -d /sys/kernel/tracing/events/mmap_lock ]; then
	skip signals "no mmap_lock tracepoints in tracefs"
	exit 0
fi
if [ -d /sys/kernel/tracing/events/uprobes_core ]; then
	skip "stock-kernel fallback" "this kernel has the uprobes_core tracepoints (tested by make kernel-e2e)"
	exit 0
fi

N=5000
# One thread hits a probe while another maps and unmaps: each munmap/mmap
# takes mmap_lock for writing, so lockless lookups fail and fall back.
# How many depends on how the two threads overlap, which a busy machine can
# spoil: up to three runs to see any.
for try in 1 2 3; do
	$USTAT record -f -o "$TMPD/churn.data" target_func -- $BIN/churn $N >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	$USTAT report -i "$TMPD/churn.data" --json >"$TMPD/c.json"
	[ "$(jq_get "$TMPD/c.json" .signals.total.mmap_lock.lookup_fallbacks)" != 0 ] && break
	echo "# run $try: no fallback seen (threads did not overlap?), again"
done
check_eq "record with churn exits 0" 0 $rc
check_eq "probe hits exact beside the signals" $N "$(probe_hits "$TMPD/c.json" target_func)"
fb=$(jq_get "$TMPD/c.json" .signals.total.mmap_lock.lookup_fallbacks)
if [ -n "$fb" ] && [ "$fb" -gt 0 ] && [ "$fb" -le $N ]; then
	pass "churn: lookup fallbacks in (0, $N] ($fb)"
else
	fail "churn: lookup fallbacks in (0, $N]" "got '$fb'"
fi
check_eq "churn: fallbacks are attributed to the probe" "$fb" \
	"$(jq_get "$TMPD/c.json" '.probes[] | select(.name == "target_func") | .signals.mmap_lock.lookup_fallbacks')"
inv=$(jq_get "$TMPD/c.json" .signals.total.mmap_lock.invalidations)
check_ge "churn: mm_lock_seq invalidations > 0" 1 "$inv"
check_eq "churn: every write hold is timed" "$inv" \
	"$(jq_get "$TMPD/c.json" .signals.total.mmap_lock.hold_ns.count)"
check_eq "churn: per-CPU fallbacks sum to the total" "$fb" \
	"$(jq_get "$TMPD/c.json" '[.signals.per_cpu[].stats.mmap_lock.lookup_fallbacks] | add')"
jq_get "$TMPD/c.json" .signals.sources.speculation_failures | grep -q '^fallback: mmap_lock' &&
	pass "report names the fallback source" ||
	fail "report names the fallback source" "$(jq_get "$TMPD/c.json" .signals.sources.speculation_failures)"
jq_get "$TMPD/c.json" .signals.sources.xol_slots | grep -q 'apply tools-perf-patch/kernel' &&
	pass "report says how to get xol slots" ||
	fail "report says how to get xol slots" "$(jq_get "$TMPD/c.json" .signals.sources.xol_slots)"
$USTAT report -i "$TMPD/churn.data" >"$TMPD/c.txt"
grep -q '^# Kernel signals' "$TMPD/c.txt" && grep -q 'lookup_latency .*unavailable' "$TMPD/c.txt" &&
	pass "report --stdio lists signal sources" || fail "report --stdio lists signal sources" "missing"

$USTAT record -o "$TMPD/quiet.data" target_func -- $BIN/churn $N nochurn >/dev/null 2>&1
$USTAT report -i "$TMPD/quiet.data" --json >"$TMPD/q.json"
qfb=$(jq_get "$TMPD/q.json" .signals.total.mmap_lock.lookup_fallbacks)
if [ -n "$qfb" ] && [ "$qfb" -le $((N / 100)) ]; then
	pass "no churn: fallbacks near 0 ($qfb)"
else
	fail "no churn: fallbacks near 0" "got '$qfb' of $N"
fi

if have_perf; then
	perf script -i "$TMPD/churn.data" -F event,trace 2>/dev/null |
		grep -c 'mmap_lock_acquire_returned: .*write=true success=true' >"$TMPD/n"
	check_ge "stock perf script decodes our tracepoint fields" 1 "$(cat "$TMPD/n")"
else
	skip "stock perf script decodes our tracepoint fields" "perf is not installed"
fi

$USTAT record --no-signals -o "$TMPD/none.data" target_func -- $BIN/churn 100 >/dev/null 2>&1
$USTAT report -i "$TMPD/none.data" --json >"$TMPD/n.json"
check_eq "--no-signals records the probe only" 1 \
	"$(perf script -i "$TMPD/none.data" -F event 2>/dev/null | sort -u | wc -l)"
jq_get "$TMPD/n.json" .signals.sources.speculation_failures | grep -q 'no-signals' &&
	pass "--no-signals is what the report says" ||
	fail "--no-signals is what the report says" "$(jq_get "$TMPD/n.json" .signals.sources.speculation_failures)"

# An address another tool probes: named through PROCMAP_QUERY and the ELF
# symbols (this recording probes main only; a -a recording probes
# target_func in the same binary).
cp $BIN/churn "$TMPD/churn2"
$USTAT record -a -o "$TMPD/bg.data" -x "$TMPD/churn2" target_func >/dev/null 2>&1 &
bg=$!
for i in $(seq 100); do [ -s "$TMPD/bg.data" ] && break; sleep 0.05; done
sleep 0.3
for try in 1 2 3; do
	$USTAT record -f -o "$TMPD/other.data" -x "$TMPD/churn2" main -- "$TMPD/churn2" $N \
		>/dev/null 2>&1
	$USTAT report -i "$TMPD/other.data" --json >"$TMPD/o.json"
	# Named while the process lived: on a loaded machine the recorder
	# may drain the lookup after churn2 exited, and then says unresolved.
	[ "$(jq_get "$TMPD/o.json" '.signals.others | length')" != 0 ] &&
		! jq_get "$TMPD/o.json" '.signals.others[0].where' | grep unresolved >/dev/null && break
done
kill -INT $bg
wait $bg
check_eq "another tool's probe is named by file and symbol" "churn2:target_func+0x0" \
	"$(jq_get "$TMPD/o.json" '.signals.others[0].where')"
check_eq "its fallbacks are not charged to our probe" 0 \
	"$(jq_get "$TMPD/o.json" '[.probes[].signals.mmap_lock.lookup_fallbacks] | add')"
