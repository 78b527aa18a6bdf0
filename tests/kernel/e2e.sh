#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2e.sh - make kernel-e2e: the uprobes_core tracepoints, recorded by the
# tool, in a running kernel built with the series (qemu, TCG).
#
# The guest runs perf-uprobe-stat record + report --json twice:
#   churn  target_func hit by one thread while another maps and unmaps
#          pages: lookups take both paths, and speculation fails;
#   hits   target_func from two threads: its first instruction is a
#          rip-relative mov, so every hit is single-stepped in an xol slot.
# The host reads the JSON and checks what the series promises:
#   uprobe_lookup events == hits; speculative + fallback == lookups;
#   spec_fail > 0 with churn; xol allocations == single-step recycles ==
#   hits; latencies above 0 and below 1 s.
# And inheritance (the series' first patch): the commit message's
# reproducer forks under an inherited uprobe PMU event, list --kernel
# finds inheritance working, and record --attach task, plain per-task
# events inherited into a workload's threads and its child, counts every
# call. The same reproducer in the unpatched kernel must fail, or the
# test proves nothing.
# (The cost per hit, patched and unpatched, is tests/kernel/uprobe-cost.sh.)
#
# Output: PASS:/FAIL:/SKIP: lines; exit 1 when anything failed.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
kt_harness kernel-e2e

ustat=$top/perf-uprobe-stat
adds=()
kt_guest_bins "$ustat" "$top/build/tests/churn" "$top/build/tests/hits" \
	"$top/build/tests/waiter" "$top/build/tests/regchurn" "$top/build/tests/xolfail"
gcc -O2 -Wall -static -o "$work/inherit-repro" "$top/tests/kernel/inherit-repro.c" ||
	{ fail "cannot build tests/kernel/inherit-repro.c"; exit 1; }
adds+=(--add "$work/inherit-repro:/guest/inherit-repro")

cat > "$work/guest.sh" <<'GUEST'
T=/sys/kernel/tracing
for e in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle \
	 uprobe_find_retry xol_area_fail; do
	[ -f $T/events/uprobes_core/$e/format ] && echo "event $e"
done
cd /tmp
# The observer shift first, so that the records below save it (cached
# for this boot in a folder the guest surely has).
export XDG_CACHE_HOME=/tmp/xdg-cache
echo "release $(uname -r)"
/guest/perf-uprobe-stat bench --observer -d 0.5 -r 3 > observer.out 2> observer.err
echo "rc observer $?"
echo "### observer.out"
cat observer.out
echo "### observer.err"
cat observer.err
echo "### end"
/guest/perf-uprobe-stat record -o churn.data target_func -- /guest/churn 3000 \
	> churn.out 2>&1
echo "rc churn $?"
/guest/perf-uprobe-stat record -o hits.data target_func -- /guest/hits 2 1500 \
	> hits.out 2>&1
echo "rc hits $?"
# Who made target_func's samples, and any sample written twice: for the
# failure below, seen in 2 of 19 runs on 2026-12-02 (3001 samples for 3000
# calls and 3000 lookups), not yet explained.
echo "### hits.tids"
/guest/perf-uprobe-stat script -i hits.data 2>/dev/null |
	awk '$5 == "probe_hits:target_func" { print $3 "/" $4 }' | sort | uniq -c
echo "### hits.dups"
/guest/perf-uprobe-stat script -i hits.data 2>/dev/null | grep " probe_hits:target_func " |
	sort | uniq -d | head -3
echo "### end"
# Registration churn beside lookups that miss (the workload's own int3s),
# and without the churn. 512 uprobes on a file nobody maps first, through
# tracefs, so that the walks are of a tree of some size; never disabled,
# the guest goes away (each disable would wait for a grace period). Then a single-stepped hit with no room for the
# xol area until the workload frees its address space 200 ms later.
dd if=/dev/zero of=/tmp/regchurn.text bs=4096 count=4 2>/dev/null
i=0
while [ $i -lt 512 ]; do
	echo "p:rctree/p$i /tmp/regchurn.text:$((i * 16))"
	i=$((i + 1))
done >> $T/uprobe_events
echo 1 > $T/events/rctree/enable
echo "rc tree $?"
/guest/perf-uprobe-stat record -o regchurn.data target_func -- /guest/regchurn 20000 \
	> regchurn.out 2>&1
echo "rc regchurn $?"
/guest/perf-uprobe-stat record -o quiet.data target_func -- /guest/regchurn 5000 nochurn \
	> quiet.out 2>&1
echo "rc quiet $?"
/guest/perf-uprobe-stat record -o xolfail.data xol_func -- /guest/xolfail 200 \
	> xolfail.out 2>&1
echo "rc xolfail $?"
# Inheritance: the reproducer, what list --kernel finds, and record with
# per-task events only (--attach task) of a workload that creates two
# threads and forks a child, each calling target_func 500 times.
/guest/inherit-repro > repro.out 2>&1
echo "rc repro $?"
echo "### repro.out"
cat repro.out
echo "### list.out"
/guest/perf-uprobe-stat list --kernel 2>&1
echo g > go
/guest/perf-uprobe-stat record -o inherit.data --attach task -x /guest/waiter target_func \
	-- /guest/waiter 2 500 fork < go > inherit.out 2>&1
echo "rc inherit $?"
for w in churn hits inherit regchurn quiet xolfail; do
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
# The last two events everywhere the others are: CSV, diff, a merge of two
# inputs, and top --stdio (text and -j) live on xolfail.  Each command's
# stderr goes to a part of its own (parts are read by name).
for o in "regchurn --sort cpu" "xolfail --sort probe"; do
	set -- $o
	echo "### $1.csv"
	/guest/perf-uprobe-stat report -i $1.data --csv $2 $3 2> $1.csv.err
	echo "### $1.csv.err"
	cat $1.csv.err
done
echo "### diff.json"
/guest/perf-uprobe-stat report --diff --json xolfail.data xolfail.data 2> diff.err
echo "### diff.err"
cat diff.err
echo "### diff.stdio"
/guest/perf-uprobe-stat report --diff --stdio xolfail.data xolfail.data 2> /dev/null
echo "### merge.json"
cp xolfail.data xolfail2.data	# one path given twice is refused
/guest/perf-uprobe-stat report --json -i xolfail.data -i xolfail2.data 2> merge.err
echo "### merge.err"
cat merge.err
echo "### end"
/guest/perf-uprobe-stat top --stdio -j -d 1 xol_func -- /guest/xolfail 200 \
	> topj.out 2> topj.err
echo "rc topj $?"
/guest/perf-uprobe-stat top --stdio -d 1 xol_func -- /guest/xolfail 200 \
	> tops.out 2> tops.err
echo "rc tops $?"
for w in topj tops; do
	echo "### $w.out"
	cat $w.out
	echo "### $w.err"
	cat $w.err
done
echo "### end"
GUEST

kt_guest_run

for e in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle \
	 uprobe_find_retry xol_area_fail; do
	grep -qx "event $e" "$work/out" && pass "events/uprobes_core/$e exists" ||
		fail "events/uprobes_core/$e exists" "not in the guest's tracefs"
done
part() { awk -v s="### $1" '$0 == s { on = 1; next } /^### / { on = 0 } on' "$work/out"; }
for w in churn hits inherit regchurn quiet xolfail; do
	check "$w: record exits 0" 0 "$(awk -v w="$w" '$1 == "rc" && $2 == w { print $3 }' "$work/out")"
	part "$w.json" > "$work/$w.json"
	# The guest's clock is TCG's: per-CPU sched_clock may step back across
	# CPUs, so a record can arrive out of time order; report says so on
	# stderr and still counts it.  Anything else on stderr is a failure.
	other=$(part "$w.json.err" | grep -v 'records arrived out of time order$')
	[ -z "$other" ] && pass "$w: report --json says nothing unexpected" ||
		fail "$w: report --json says nothing unexpected" "$(echo "$other" | head -3)"
	jq -e . "$work/$w.json" >/dev/null 2>&1 ||
		{ fail "$w: report --json is JSON" "$(head -c 300 "$work/$w.json")"; continue; }
done

# j FILE FILTER: one value from a report.
j() { jq -r "$2" "$work/$1.json" 2>/dev/null; }
sig='.probes[] | select(.name == "target_func") | .signals'

# churn: both lookup paths, speculation failures
calls=$(part churn.out | sed -n 's/.*hits=\([0-9]*\).*/\1/p' | head -1)
hits=$(j churn '.probes[] | select(.name == "target_func") | .hits')
check "churn: every call recorded" "${calls:-?}" "$hits"
check "churn: uprobe_lookup events == hits" "$hits" "$(j churn "$sig.lookups")"
check "churn: speculative + fallback == lookups" "$(j churn "$sig.lookups")" \
	"$(j churn "$sig | .lookups_speculative + .lookups_fallback")"
n=$(j churn "$sig.spec_fail | add")
[ "${n:-0}" -gt 0 ] && pass "churn: speculation failed with the churning thread ($n: $(j churn "$sig.spec_fail" | tr -d ' \n'))" ||
	fail "churn: speculation failed with the churning thread" "spec_fail $n"
n=$(j churn "$sig.lookups_fallback")
[ "${n:-0}" -gt 0 ] && pass "churn: lookups fell back to mmap_lock ($n)" ||
	fail "churn: lookups fell back to mmap_lock" "$n"
check "churn: no lookup missed the probe" 0 "$(j churn "$sig.lookups_not_found")"

# hits: every hit single-stepped in an xol slot, from two threads
hits=$(j hits '.probes[] | select(.name == "target_func") | .hits')
check "hits: two threads' calls recorded" 3000 "$hits"
[ "$hits" = 3000 ] || echo "# kernel-e2e: hits: samples per pid/tid: $(part hits.tids | tr -s ' \n' ' ');" \
	"written twice: $(part hits.dups | head -1)"
check "hits: uprobe_lookup events == hits" "$hits" "$(j hits "$sig.lookups")"
tot='.signals.total'
check "hits: xol slot allocations == hits" "$hits" "$(j hits "$tot.xol.allocs")"
check "hits: single-step recycles == allocations" "$hits" "$(j hits "$tot.xol.recycles.single_step")"
check "hits: per-CPU allocations add up" "$hits" "$(j hits "[.signals.per_cpu[].stats.xol.allocs] | add")"
# xol events name a slot: the tool gives them to the probe the task hit
check "hits: allocations given to target_func" "$hits" "$(j hits "$sig.xol.allocs")"
check "hits: recycles given to target_func" "$hits" "$(j hits "$sig.xol.recycles.single_step")"

# latencies: measured, and sane
for w in churn hits; do
	for h in "$sig.lookup_ns.speculative" "$sig.lookup_ns.fallback" ".signals.total.xol.wait_ns"; do
		v=$(j $w "$h | if . == null then empty else \"\(.min) \(.max)\" end")
		[ -z "$v" ] && continue
		read -r lo hi <<<"$v"
		name="$w: ${h##*.lookup_ns.} between 0 and 1 s (min $lo, max $hi ns)"
		if [ "$lo" -gt 0 ] 2>/dev/null && [ "$hi" -lt 1000000000 ]; then
			pass "$name"
		elif [ "$h" = ".signals.total.xol.wait_ns" ] && [ "$lo" = 0 ]; then
			pass "$name"	# a slot free at once waits 0 ns
		else
			fail "$name"
		fi
	done
done
check "churn: both lookup paths' latencies measured" true \
	"$(j churn "[$sig | .lookup_ns.speculative, .lookup_ns.fallback] | all(. != null)")"

# regchurn: the uprobes tree walk retried under registration churn. The
# retries come from the workload's own int3s (lookups that miss); a walk
# that finds its uprobe returns at once, so the probe's hits have none.
out=$(part regchurn.out | grep -m1 '^calls=')
check "regchurn: 512 uprobes registered through tracefs first" 0 \
	"$(awk '$1 == "rc" && $2 == "tree" { print $3 }' "$work/out")"
check "regchurn: the workload ran (its traps caught)" "calls=20000 traps=80000" \
	"$(echo "$out" | grep -o 'calls=[0-9]* traps=[0-9]*')"
regs=$(echo "$out" | sed -n 's/.*refused=\([0-9]*\).*/\1/p')
[ "${regs:-0}" -gt 0 ] && pass "regchurn: the churning thread's registrations took the tree lock ($regs refused)" ||
	fail "regchurn: the churning thread's registrations took the tree lock" "$out"
check "regchurn: every call recorded" 20000 "$(j regchurn '.probes[] | select(.name == "target_func") | .hits')"
check "regchurn: lookups: one a hit, one a trap" \
	"20000 80000" "$(j regchurn "[($sig.lookups), (.signals.others | map(.stats.lookups) | add)] | join(\" \")")"
retries=$(j regchurn '.signals.total.tree_retries.count')
writes=$(j regchurn '.signals.total.tree_retries.writes_seen')
if [ "${retries:-0}" -gt 0 ]; then
	pass "regchurn: uprobe_find_retry fired under registration churn ($retries retries, $writes tree updates seen)"
else
	fail "regchurn: uprobe_find_retry fired under registration churn" "retries '$retries'"
fi
check "regchurn: the retries are the missing lookups' (others), none the probe's" \
	"$retries 0" "$(j regchurn "[(.signals.others | map(.stats.tree_retries.count) | add), ($sig.tree_retries.count)] | join(\" \")")"
check "regchurn: per-CPU retries add up" "$retries" \
	"$(j regchurn '[.signals.per_cpu[].stats.tree_retries.count] | add')"
check "quiet: no churn, no retry" 0 "$(j quiet '.signals.total.tree_retries.count')"
check "quiet: the traps were looked up all the same" 20000 \
	"$(j quiet '.signals.others | map(.stats.lookups) | add')"

# xolfail: no room for the xol area. Each failure restarts the hit, which
# the probe counts again: hits = failures + the one that went through.
fails=$(j xolfail '.signals.total.xol_area_fails')
hits=$(j xolfail '.probes[] | select(.name == "xol_func") | .hits')
check "xolfail: the workload ran" "calls=1" "$(part xolfail.out | grep -o 'calls=1')"
if [ "${fails:-0}" -gt 0 ]; then
	pass "xolfail: xol_area_fail fired with the address space full ($fails)"
else
	fail "xolfail: xol_area_fail fired with the address space full" "'$fails'; $(part xolfail.out | tail -n2 | tr '\n' ' ')"
fi
check "xolfail: one call, hits = failures + 1 (each failure a restarted hit)" \
	"$((${fails:-0} + 1))" "$hits"
check "xolfail: the failures are the probe's" "$fails" \
	"$(j xolfail '.probes[] | select(.name == "xol_func") | .signals.xol_area_fails')"
check "xolfail: one xol slot once the area could be made" 1 "$(j xolfail '.signals.total.xol.allocs')"
check "xolfail: report --stdio shows the failures" 1 \
	"$(part xolfail.stdio | grep -c "^  all  *[0-9]*  *[0-9-]*  *$fails\$")"

# The observer shift: bench --observer measured it in the guest (the churn
# workload counted, then recorded), record saved it in churn.data, and
# report shows it beside the file's own rates.
check "observer: bench --observer exits 0" 0 \
	"$(awk '$1 == "rc" && $2 == "observer" { print $3 }' "$work/out")"
part observer.out | sed 's/^/# kernel-e2e: /'
[ -z "$(part observer.err)" ] || echo "# kernel-e2e: bench --observer said: $(part observer.err | head -3)"
obs='.signals.observer_shift'
check "observer: churn.data carries the measurement of this boot" \
	"$(awk '$1 == "release" { print $2 }' "$work/out")" "$(j churn "$obs.release")"
case $(j churn "$obs.source") in
"bench --observer, cached in /tmp/xdg-cache/uprobe-stat/observer") pass "observer: its source named" ;;
*) fail "observer: its source named" "$(j churn "$obs.source")" ;;
esac
check "observer: both ways counted hits" true \
	"$(j churn "$obs.hits | .counted > 0 and .recorded > 0")"
# the file's own rate beside it is the file's: fallbacks per 100 lookups
check "observer: report puts the file's own fallback rate beside it" true \
	"$(j churn "($obs.per_100_lookups.lookups_fallback.this_file - (.signals.total.lookups_fallback * 100 / .signals.total.lookups)) | fabs < 0.0001")"
check "observer: shift = recorded - counted" true \
	"$(j churn "$obs.per_100_lookups | to_entries | all(.value | (.shift - (.recorded.median - .counted.median)) | fabs < 0.001)")"
check "observer: report --stdio prints it beside the lookup tables" 1 \
	"$(part churn.stdio | grep -c '^# Observer shift: what recording itself adds')"
check "observer: ... with the fallbacks' row" 1 \
	"$(part churn.stdio | grep -c '^  lookups_fallback  *[0-9.]*  *[0-9.]*  *[0-9.]*  *[-+][0-9.]*  ')"
echo "# kernel-e2e: observer shift per 100 lookups (bench's churn): $(j churn "$obs.per_100_lookups | to_entries | map(\"\(.key) counted \(.value.counted.median) recorded \(.value.recorded.median) shift \(.value.shift)\") | join(\"; \")"); this churn file: $(j churn "$obs.per_100_lookups | to_entries | map(\"\(.key) \(.value.this_file)\") | join(\", \")")"

# The same two events in the other outputs: CSV columns by name
col() {	# PART COLUMN ROW-FILTER(awk on $1): the column's values, space-separated
	part "$1" | awk -F, -v c="$2" -v k="$3" 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
		$1 ~ k { printf "%s%s", s, $(n[c]); s = " " }'
}
check "regchurn: report --csv --sort cpu: per-CPU tree_retries add up" "$retries" \
	"$(col regchurn.csv tree_retries . | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
check "regchurn: report --csv --sort cpu: per-CPU tree_writes add up" "$writes" \
	"$(col regchurn.csv tree_writes . | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
check "xolfail: report --csv: xol_func's xol_area_fails" "$fails" "$(col xolfail.csv xol_area_fails '^xol_func$')"
for p in regchurn.csv.err xolfail.csv.err diff.err merge.err; do
	other=$(part $p | grep -v 'records arrived out of time order$')
	[ -z "$other" ] && pass "${p%.err}: report says nothing unexpected" ||
		fail "${p%.err}: report says nothing unexpected" "$(echo "$other" | head -3)"
done
part diff.json > "$work/diff.json"
part merge.json > "$work/merge.json"
check "xolfail: report --diff --json: xol_area_fails in A and B, delta 0" "$fails $fails 0" \
	"$(j diff '.probes[] | select(.name == "xol_func") | .signals.xol_area_fails | "\(.a) \(.b) \(.delta)"')"
check "xolfail: report --diff --json: tree_retries there too" 0 \
	"$(j diff '.probes[] | select(.name == "xol_func") | .signals.tree_retries.delta')"
check "xolfail: report --diff --stdio lists xol_area_fails" 1 \
	"$(part diff.stdio | grep -c "^  xol_func  *xol_area_fails  *$fails  *$fails  *+0")"
check "xolfail: report -i A -i B: xol_area_fails added" "$((${fails:-0} * 2))" \
	"$(j merge '.probes[] | select(.name == "xol_func") | .signals.xol_area_fails')"
# top --stdio live on the same workload: its last block has the failures
for w in topj tops; do
	check "xolfail: top ($w) exits 0" 0 \
		"$(awk -v w="$w" '$1 == "rc" && $2 == w { print $3 }' "$work/out")"
done
last=$(part topj.out | grep '"probe" : "xol_func"' | tail -n1)
tf=$(echo "$last" | jq -r '."xol-area-fails" // "absent"' 2>/dev/null)
th=$(echo "$last" | jq -r '.hits' 2>/dev/null)
if [ "${tf:-0}" -gt 0 ] 2>/dev/null && [ "$((tf + 1))" = "$th" ]; then
	pass "xolfail: top --stdio -j: xol-area-fails = hits - 1 ($tf, hits $th)"
else
	fail "xolfail: top --stdio -j: xol-area-fails = hits - 1" "${last:-no xol_func line}"
fi
check "xolfail: top --stdio -j: tree-retries present" 0 \
	"$(echo "$last" | jq -r '."tree-retries" // "absent"' 2>/dev/null)"
check "xolfail: top --stdio: its header names the two columns" 1 \
	"$(part tops.out | grep -c '^#.*treeretries  *xolareafail$')"
last=$(part tops.out | grep ' xol_func ' | tail -n1)
read -r _ _ th _ _ _ tr tf <<<"$last"
if [ "${tf:-0}" -gt 0 ] 2>/dev/null && [ "$((tf + 1))" = "$th" ] && [ "$tr" = 0 ]; then
	pass "xolfail: top --stdio: the last columns, 0 retries and hits - 1 failures ($tf)"
else
	fail "xolfail: top --stdio: the last columns" "${last:-no xol_func line}"
fi

# inheritance: the fix in the series' first patch
check "inherit: the commit message's reproducer forks (exit 0)" 0 \
	"$(awk '$1 == "rc" && $2 == "repro" { print $3 }' "$work/out")"
row=$(part list.out | grep '^uprobe PMU events inherited')
case $row in
*" yes "*) pass "inherit: list --kernel: ${row%%  *} yes" ;;
*) fail "inherit: list --kernel finds inheritance working" "${row:-no such row}" ;;
esac
if part inherit.out | grep 'cannot inherit' >/dev/null; then
	fail "inherit: record --attach task without the EFAULT warning" \
		"$(part inherit.out | grep -m1 'cannot inherit')"
else
	pass "inherit: record --attach task without the EFAULT warning"
fi
check "inherit: the workload's threads and child ran" "done 1500" \
	"$(part inherit.out | grep -m1 '^done ')"
check "inherit: per-task events counted every call of 2 threads and a child" 1500 \
	"$(j inherit '.probes[] | select(.name == "target_func") | .hits')"

# The same reproducer in the unpatched kernel (same config): it must fail
# there, or the check above proves nothing.
cat > "$work/repro.sh" <<'GUEST'
/guest/inherit-repro > /tmp/repro.out 2>&1
echo "rc repro $?"
cat /tmp/repro.out
GUEST
KERNEL_SERIES=none "$top/scripts/kernel-qemu.sh" run --timeout 300 \
	--add "$work/inherit-repro:/guest/inherit-repro" "$work/repro.sh" \
	>"$work/out-unpatched" 2>"$work/err-unpatched"
rc=$(awk '$1 == "rc" && $2 == "repro" { print $3 }' "$work/out-unpatched")
if [ "$rc" = 1 ]; then
	pass "inherit: the reproducer fails in the unpatched kernel ($(grep -v '^rc ' "$work/out-unpatched" | head -n1))"
else
	fail "inherit: the reproducer fails in the unpatched kernel" \
		"exit '${rc:-none}': $(tail -n3 "$work/out-unpatched" "$work/err-unpatched")"
fi

[ $failed -eq 0 ] || { echo "--- guest output"; cat "$work/out"; }
exit $failed
