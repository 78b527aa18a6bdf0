#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a hit costs: record --dry-run names each site's kernel path and
# prices it without running anything; report splits the cost of a hit
# into parts that add up, on a program whose probed functions start with
# a 5-byte nop, an emulated push and a single-stepped mov (paths.c).
. tests/e2e/lib.sh

P=$BIN/paths
export XDG_CACHE_HOME=$TMPD/cache	# a calibration of this run, not an old one

need_uprobes "hit-cost" || exit 0
if [ "$(uname -m)" != x86_64 ]; then
	skip "hit-cost" "the kernel paths are known for x86-64 only"
	exit 0
fi
# The nop5 optimisation is there when the kernel has the uprobe syscall.
if grep -qw __x64_sys_uprobe /proc/kallsyms; then nop5_path=nop5-optimised
else nop5_path=int3-emulated; fi

# ---- dry run: paths, costs, nothing run
rm -f "$TMPD/marker"
$USTAT record --dry-run --json path_nop5 path_emul path_step path_emul%return \
	-- "$P" "$TMPD/marker" 1000 >"$TMPD/dry.json" 2>"$TMPD/dry.err"
check_eq "dry-run: exit 0 when every site can be probed" 0 $?
path_of() { jq_get "$TMPD/dry.json" ".sites[] | select(.probe == \"$1\") | .path"; }
check_eq "dry-run: the 5-byte nop's path" "$nop5_path" "$(path_of path_nop5)"
check_eq "dry-run: push %rbp is emulated" int3-emulated "$(path_of path_emul)"
check_eq "dry-run: mov %rdi,%rax is single-stepped" int3-singlestep "$(path_of path_step)"
insn=$(jq_get "$TMPD/dry.json" '.sites[] | select(.probe == "path_step") | .insn')
case "$insn" in
mov*rdi*rax*|"48 89 f8"*) pass "dry-run: the instruction is disassembled ($insn)" ;;
*) fail "dry-run: the instruction is disassembled" "got '$insn'" ;;
esac
n=$(jq_get "$TMPD/dry.json" '[.sites[] | select(.cost.total_ns > 0)] | length')
check_eq "dry-run: a cost per hit for every site" 4 "$n"
ret_part=$(jq_get "$TMPD/dry.json" '.sites[] | select(.probe == "path_emul%return") | .cost.parts.return_ns')
if awk -v r="$ret_part" 'BEGIN { exit !(r > 0) }'; then
	pass "dry-run: a %return probe has a return part ($ret_part ns)"
else
	fail "dry-run: a %return probe has a return part" "return_ns '$ret_part'"
fi
if [ ! -e "$TMPD/marker" ]; then pass "dry-run: the command is not run"
else fail "dry-run: the command is not run" "it created its marker file"; fi
if [ -s "$XDG_CACHE_HOME/uprobe-stat/calibration" ]; then
	pass "dry-run: the calibration is cached"
else
	fail "dry-run: the calibration is cached" "no $XDG_CACHE_HOME/uprobe-stat/calibration"
fi
$USTAT record --dry-run path_nop5 -- "$P" "$TMPD/marker" 1 >"$TMPD/dry.txt" 2>&1
if grep -q "nothing attached" "$TMPD/dry.txt" && grep -q "$nop5_path" "$TMPD/dry.txt"; then
	pass "dry-run: the table names the path"
else
	fail "dry-run: the table names the path" "$(head -c 300 "$TMPD/dry.txt")"
fi
# Other tests may define uprobes meanwhile: look for ours, on paths.
check_eq "dry-run: nothing defined in uprobe_events" 0 \
	"$(grep -c "$(readlink -f "$P")" /sys/kernel/tracing/uprobe_events 2>/dev/null)"

# ---- a site inside an instruction is refused, naming it
$USTAT record --dry-run path_nop5 path_step+1 -- "$P" "$TMPD/marker" 1 \
	>/dev/null 2>"$TMPD/refused.err"
rc=$?
if [ $rc -ne 0 ] && grep -q "path_step+1" "$TMPD/refused.err"; then
	pass "dry-run: a site inside an instruction is refused, named"
else
	fail "dry-run: a site inside an instruction is refused, named" "rc $rc: $(cat "$TMPD/refused.err")"
fi
$USTAT record --dry-run --rate lots path_nop5 -- "$P" "$TMPD/marker" 1 >/dev/null 2>"$TMPD/rate.err"
if [ $? -ne 0 ] && grep -q -- "--rate" "$TMPD/rate.err"; then pass "dry-run: a bad --rate is refused"
else fail "dry-run: a bad --rate is refused" "$(cat "$TMPD/rate.err")"; fi
$USTAT record --dry-run --rate 100000/s --json path_step -- "$P" "$TMPD/marker" 1 >"$TMPD/rate.json" 2>/dev/null
pct=$(jq_get "$TMPD/rate.json" '.cpu_pct')
if awk -v p="$pct" 'BEGIN { exit !(p > 1 && p < 1000) }'; then
	pass "dry-run: --rate gives the CPU cost ($pct% at 100000 hits/s of a single-stepped site)"
else
	fail "dry-run: --rate gives the CPU cost" "cpu_pct '$pct'"
fi

# ---- -p: the rate from one second of counting on the target only
"$P" "$TMPD/marker.p" 40000000000 >/dev/null &
pid=$!
sleep 0.3
$USTAT record --dry-run --json -x "$P" -p $pid path_emul >"$TMPD/pid.json" 2>"$TMPD/pid.err"
rate=$(jq_get "$TMPD/pid.json" '.sites[0].rate_per_s')
kill $pid 2>/dev/null
wait $pid 2>/dev/null
if awk -v r="$rate" 'BEGIN { exit !(r > 1000) }'; then
	pass "dry-run -p: the rate is counted on the target ($rate hits/s)"
else
	fail "dry-run -p: the rate is counted on the target" "rate '$rate': $(cat "$TMPD/pid.err")"
fi

# ---- record the three, report the parts
$USTAT record -o "$TMPD/cost.data" path_nop5 path_emul path_step \
	-- "$P" "$TMPD/marker.r" 20000 >/dev/null 2>"$TMPD/rec.err"
$USTAT report -i "$TMPD/cost.data" --json >"$TMPD/cost.json" 2>"$TMPD/rep.err"
for p in path_nop5 path_emul path_step; do
	c=$(jq -c ".probes[] | select(.name == \"$p\") | .cost" "$TMPD/cost.json" 2>/dev/null)
	tot=$(echo "$c" | jq -r '.total_ns')
	sum=$(echo "$c" | jq -r '[.parts[]] | add')
	if awk -v t="$tot" -v s="$sum" 'BEGIN { d = t - s; if (d < 0) d = -d; exit !(t > 0 && d <= 0.15 * t) }'; then
		pass "report: $p's parts add up to its total ($sum of $tot ns)"
	else
		fail "report: $p's parts add up to its total" "parts $sum, total $tot: $c"
	fi
	nsrc=$(echo "$c" | jq -r '.source | length')
	check_eq "report: $p's parts each say where they came from" 5 "$nsrc"
done
step=$(jq_get "$TMPD/cost.json" '.probes[] | select(.name == "path_step") | .cost.parts.singlestep_ns')
steptot=$(jq_get "$TMPD/cost.json" '.probes[] | select(.name == "path_step") | .cost.total_ns')
if awk -v s="$step" -v t="$steptot" 'BEGIN { exit !(s > 0.3 * t) }'; then
	pass "report: the single-step part is large for the single-stepped site ($step of $steptot ns)"
else
	fail "report: the single-step part is large for the single-stepped site" "$step of $steptot ns"
fi
check_eq "report: no single-step part for the nop5 site" 0 \
	"$(jq_get "$TMPD/cost.json" '.probes[] | select(.name == "path_nop5") | .cost.parts.singlestep_ns')"
tool=$(jq_get "$TMPD/cost.json" '.tool_cost.consumer_ns_per_hit')
if awk -v t="$tool" 'BEGIN { exit !(t > 0) }'; then pass "report: the tool's own cost per hit ($tool ns)"
else fail "report: the tool's own cost per hit" "'$tool'"; fi
$USTAT report -i "$TMPD/cost.data" >"$TMPD/cost.txt" 2>&1
if grep -q "^# What a hit costs" "$TMPD/cost.txt" && grep -q "^# tool's own cost" "$TMPD/cost.txt"; then
	pass "report: stdio has the cost section and the tool's cost in the header"
else
	fail "report: stdio has the cost section" "$(head -c 400 "$TMPD/cost.txt")"
fi
hdr=$($USTAT report -i "$TMPD/cost.data" --csv 2>/dev/null | head -1)
case "$hdr" in
*,hit_path,cost_total_ns,cost_entry_ns,cost_lookup_ns,cost_singlestep_ns,cost_consumer_ns,cost_return_ns,tree_retries,tree_writes,xol_area_fails)
	pass "report: CSV has the cost columns" ;;
*) fail "report: CSV has the cost columns" "$hdr" ;;
esac

# ---- the totals against bench, measured now, same kinds, sampled as record does
$USTAT bench -k nop5,int3,xol -t 1 -d 0.3 -r 3 --record --json >"$TMPD/bench.json" 2>/dev/null
for pair in path_nop5:nop5 path_emul:int3 path_step:xol; do
	p=${pair%%:*}
	k=${pair#*:}
	b=$(jq_get "$TMPD/bench.json" ".results[] | select(.kind == \"$k\") | .ns_per_hit_above_base")
	t=$(jq_get "$TMPD/cost.json" ".probes[] | select(.name == \"$p\") | .cost.total_ns")
	d=$(awk -v b="$b" -v t="$t" 'BEGIN { if (b > 0) printf "%.0f", 100 * (t - b) / b; else print "?" }')
	if [ "$d" != "?" ] && [ "${d#-}" -le 25 ]; then
		pass "report: $p's total is within 25% of bench's $k ($t vs $b ns, ${d}%)"
	else
		# Performance is not asserted (project rule): the two ran at different moments.
		skip "report: $p's total is within 25% of bench's $k" \
			"$t vs $b ns (${d}%): calibration and bench ran seconds apart on a shared machine (load $(cut -d' ' -f1 /proc/loadavg))"
	fi
done
