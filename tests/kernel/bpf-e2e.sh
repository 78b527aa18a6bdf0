#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpf-e2e.sh - make kernel-e2e: the BPF fentry/fexit sources of lookups and
# xol slots (src/bpf/uprobe-kfunc.bpf.c) against the uprobes_core
# tracepoints, in one kernel that has both: the series built with BPF, BTF
# and ftrace direct calls (KQ_VARIANT=bpf, scripts/kernel-qemu.sh).
#
# The guest records each workload once with --bpf-signals=also: the
# tracepoints answer the report's tables and the fentry programs count the
# very same hits beside them (report --json: signals.bpf_fentry), so the
# two can be compared event for event:
#   churn  target_func hit by one thread while another maps and unmaps:
#          lookups, speculative and fallback, equal in both;
#   hits   two threads, every hit single-stepped: xol allocations equal,
#          frees (fentry cannot tell why) == the tracepoint's recycles.
# Then once with --bpf-signals=only: the report's tables come from BPF
# and its sources say so. And nothing stays attached.
#
# Output: PASS:/FAIL:/SKIP: lines; exit 1 when anything failed.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
kt_harness kernel-bpf

ustat=$top/perf-uprobe-stat
adds=()
kt_guest_bins "$ustat" "$top/build/tests/churn" "$top/build/tests/hits"
if ! ldd "$ustat" | grep libbpf >/dev/null; then
	echo "SKIP: kernel-bpf: $ustat is built without libbpf: no fentry to compare"
	exit 0
fi

cat > "$work/guest.sh" <<'GUEST'
T=/sys/kernel/tracing
[ -f /sys/kernel/btf/vmlinux ] && echo "have btf"
[ -f $T/events/uprobes_core/uprobe_lookup/format ] && echo "have uprobes_core"
cd /tmp
/guest/perf-uprobe-stat record --bpf-signals=also -o churn.data target_func \
	-- /guest/churn 3000 > churn.out 2>&1
echo "rc churn $?"
/guest/perf-uprobe-stat record --bpf-signals=also -o hits.data target_func \
	-- /guest/hits 2 1500 > hits.out 2>&1
echo "rc hits $?"
/guest/perf-uprobe-stat record --bpf-signals=only -o only.data target_func \
	-- /guest/hits 2 1500 > only.out 2>&1
echo "rc only $?"
echo "uprobe_events $(wc -l < $T/uprobe_events)"
for w in churn hits only; do
	echo "### $w.out"
	cat $w.out
	echo "### $w.json"
	/guest/perf-uprobe-stat report -i $w.data --json 2> $w.json.err
	echo "### $w.json.err"
	cat $w.json.err
	echo "### $w.stdio"
	/guest/perf-uprobe-stat report -i $w.data --stdio
	echo "### end"
done
GUEST

KQ_VARIANT=bpf kt_guest_run
grep -q '^have btf$' "$work/out" && pass "the guest kernel has BTF" ||
	fail "the guest kernel has BTF" "no /sys/kernel/btf/vmlinux"
grep -q '^have uprobes_core$' "$work/out" && pass "the guest kernel has the uprobes_core events" ||
	fail "the guest kernel has the uprobes_core events"

part() { awk -v s="### $1" '$0 == s { on = 1; next } /^### / { on = 0 } on' "$work/out"; }
j() { jq -r "$2" "$work/$1.json" 2>/dev/null; }
for w in churn hits only; do
	check "$w: record exits 0" 0 "$(awk -v w="$w" '$1 == "rc" && $2 == w { print $3 }' "$work/out")"
	part "$w.json" > "$work/$w.json"
	jq -e . "$work/$w.json" >/dev/null 2>&1 ||
		{ fail "$w: report --json is JSON" "$(head -c 300 "$work/$w.json")"; continue; }
	check "$w: fentry attached" attached "$(j "$w" .signals.bpf_fentry.state)"
done
tp=.signals.total
bf=.signals.bpf_fentry.stats

# churn: the same lookups, by path, from both sources
hits=$(j churn '.probes[] | select(.name == "target_func") | .hits')
for k in lookups lookups_speculative lookups_fallback lookups_not_found; do
	check "churn: $k: tracepoint == fentry" "$(j churn "$tp.$k")" "$(j churn "$bf.$k")"
done
check "churn: lookups == hits" "$hits" "$(j churn "$bf.lookups")"
n=$(j churn "$bf.lookups_fallback")
[ "${n:-0}" -gt 0 ] && pass "churn: fentry saw fallbacks to mmap_lock ($n)" ||
	fail "churn: fentry saw fallbacks to mmap_lock" "$n"
check "churn: fentry timed both paths" true \
	"$(j churn "[$bf.lookup_ns.speculative, $bf.lookup_ns.fallback] | all(. != null and .count > 0)")"
check "churn: sources: lookups from the tracepoint" "tracepoint uprobes_core:uprobe_lookup" \
	"$(j churn .signals.sources.lookup_latency)"

# hits: xol slots taken and freed
hits=$(j hits '.probes[] | select(.name == "target_func") | .hits')
check "hits: xol allocations: tracepoint == fentry" "$(j hits "$tp.xol.allocs")" "$(j hits "$bf.xol.allocs")"
check "hits: xol allocations == hits" "$hits" "$(j hits "$bf.xol.allocs")"
check "hits: fentry frees == the tracepoint's recycles" \
	"$(j hits "$tp.xol.recycles | add")" "$(j hits "$bf.xol.frees_no_reason")"
check "hits: lookups: tracepoint == fentry" "$(j hits "$tp.lookups")" "$(j hits "$bf.lookups")"

# only: the tables from BPF, and the sources say so
hits=$(j only '.probes[] | select(.name == "target_func") | .hits')
src=$(j only .signals.sources.lookup_latency)
case $src in
"BPF fentry/fexit find_active_uprobe_rcu"*) pass "only: lookup_latency from BPF ($src)" ;;
*) fail "only: lookup_latency from BPF" "$src" ;;
esac
src=$(j only .signals.sources.xol_slots)
case $src in
"BPF "*xol_free_insn_slot*) pass "only: xol_slots from BPF ($src)" ;;
*) fail "only: xol_slots from BPF" "$src" ;;
esac
check "only: the table's lookups == hits" "$hits" "$(j only "$tp.lookups")"
check "only: the table's xol allocations == hits" "$hits" "$(j only "$tp.xol.allocs")"
# grep to the end, not -q: under pipefail a grep that quits early makes part
# die of SIGPIPE, and the test failed with the table there (seen once).
if part only.stdio | grep '^# Uprobe lookup latency' >/dev/null; then
	pass "only: report --stdio prints the lookup table"
else
	fail "only: report --stdio prints the lookup table" "$(part only.stdio | head -n 12 | tr '\n' '|')"
fi
check "nothing left in uprobe_events" "uprobe_events 0" \
	"$(grep -o 'uprobe_events [0-9]*' "$work/out")"

[ $failed -eq 0 ] || { echo "--- guest output"; cat "$work/out"; }
exit $failed
