#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# record -b: hits and latencies counted in the kernel by BPF, exactly; only
# the target pays; without BPF, one line and samples instead.
. tests/e2e/lib.sh

need_uprobes bpf || exit 0

# hits THREADS CALLS DEPTH: each thread calls target_func CALLS times,
# recurse DEPTH + 1 times (nested), nest_inner twice.
out=$TMPD/b.data
$USTAT record -b -f -o "$out" target_func target_func%return recurse recurse%return \
	nest_inner -- "$BIN/hits" 2 20000 5 >"$TMPD/wl.out" 2>"$TMPD/rec.err"
rc=$?
if grep -q "not built with BPF support" "$TMPD/rec.err"; then
	skip bpf "this build has no libbpf (libbpf-dev, bpftool, clang-14)"
	exit 0
fi
if grep -q -- "-b: .*counting with perf samples instead" "$TMPD/rec.err"; then
	skip bpf "BPF unavailable here: $(head -n 1 "$TMPD/rec.err")"
	exit 0
fi
check_eq bpf-record-exit 0 "$rc"
$USTAT report --json -i "$out" >"$TMPD/r.json" 2>"$TMPD/rep.err"
check_eq bpf-consumer bpf "$(jq_get "$TMPD/r.json" .consumer)"
check_eq bpf-no-samples 0 "$(jq_get "$TMPD/r.json" .samples)"
# The workload prints what it did: target_func=N recurse=N nest_outer=N nest_inner=N
calls() { tr ' ' '\n' <"$TMPD/wl.out" | sed -n "s/^$1=//p"; }
check_eq bpf-counts-exact "$(calls target_func) $(calls target_func) $(calls recurse) $(calls recurse) $(calls nest_inner)" \
	"$(probe_hits "$TMPD/r.json" target_func) $(probe_hits "$TMPD/r.json" target_func%return) $(probe_hits "$TMPD/r.json" recurse) $(probe_hits "$TMPD/r.json" recurse%return) $(probe_hits "$TMPD/r.json" nest_inner)"
lat_count() { jq_get "$TMPD/r.json" ".probes[] | select(.name == \"$1\") | .latency_ns.count"; }
check_eq bpf-latency-pairs "$(calls target_func) $(calls recurse)" \
	"$(lat_count target_func) $(lat_count recurse)"
# per-CPU hits add up to the total
sum=$(jq_get "$TMPD/r.json" '[.probes[] | select(.name == "target_func") | .per_cpu[].hits] | add')
check_eq bpf-per-cpu-sum "$(calls target_func)" "$sum"
ncal=$(jq_get "$TMPD/r.json" '.bpf.latency_net_ns | length')
check_eq bpf-calibrated-rows 2 "$ncal"
neg=$(jq_get "$TMPD/r.json" '[.bpf.latency_net_ns[] | select(.p50 < 0 or .p50 > .p99)] | length')
check_eq bpf-calibrated-sane 0 "$neg"
if $USTAT report -i "$out" | grep -q "^# consumer: bpf"; then pass bpf-header-consumer
else fail bpf-header-consumer "report's header does not say the consumer was bpf"; fi
if have_perf; then
	if perf script -i "$out" >/dev/null 2>"$TMPD/perf.err"; then pass bpf-stock-perf-reads
	else fail bpf-stock-perf-reads "perf script: $(head -n 1 "$TMPD/perf.err")"; fi
else
	skip bpf-stock-perf-reads "perf (linux-perf) is not installed"
fi

# A bystander running the same binary while the command is recorded: no
# breakpoint in its memory (it pays nothing), none of its calls counted.
byte_at() {	# PID FUNC: the first byte of FUNC in PID's memory, in hex
	python3 - "$1" "$2" "$BIN/hits" <<'PY'
import os, subprocess, sys
pid, func, path = int(sys.argv[1]), sys.argv[2], os.path.realpath(sys.argv[3])
off = None
for line in subprocess.run(["readelf", "-Ws", path], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) >= 8 and f[7] == func and f[3] == "FUNC":
        vaddr = int(f[1], 16)
for line in subprocess.run(["readelf", "-Wl", path], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if f and f[0] == "LOAD":
        o, v, sz = int(f[1], 16), int(f[2], 16), int(f[5], 16)
        if v <= vaddr < v + sz:
            off = vaddr - v + o
for line in open(f"/proc/{pid}/maps"):
    f = line.split()
    if len(f) >= 6 and os.path.realpath(f[5]) == path:
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        mo = int(f[2], 16)
        if mo <= off < mo + hi - lo:
            with open(f"/proc/{pid}/mem", "rb") as m:
                m.seek(lo + off - mo)
                print(m.read(1).hex())
            break
PY
}
"$BIN/hits" 1 100000000000 >/dev/null &	# runs until killed
by=$!
sleep 0.2
$USTAT record -b -f -o "$TMPD/by.data" target_func -- "$BIN/hits" 1 300000 \
	>"$TMPD/wl2.out" 2>"$TMPD/rec2.err" &
rec=$!
tgt=""
for _ in $(seq 50); do
	sleep 0.05
	for p in $(pgrep -f "$BIN/hits 1 300000"); do
		[ "$(readlink /proc/$p/exe)" = "$(realpath "$BIN/hits")" ] && tgt=$p
	done
	[ -n "$tgt" ] && [ "$(byte_at "$tgt" target_func 2>/dev/null)" = cc ] && break
done
tgt_byte=$( [ -n "$tgt" ] && byte_at "$tgt" target_func 2>/dev/null)
by_byte=$(byte_at "$by" target_func 2>/dev/null)
wait "$rec"
kill "$by" 2>/dev/null
wait "$by" 2>/dev/null
check_eq bpf-target-armed cc "$tgt_byte"
if [ -n "$by_byte" ] && [ "$by_byte" != cc ]; then pass bpf-bystander-unarmed
else fail bpf-bystander-unarmed "the bystander's target_func starts with '$by_byte' while recording"; fi
$USTAT report --json -i "$TMPD/by.data" >"$TMPD/by.json" 2>/dev/null
check_eq bpf-bystander-not-counted 300000 "$(probe_hits "$TMPD/by.json" target_func)"

# -a: every process, and its hits counted per process in the kernel.
$USTAT record -b -a -f -o "$TMPD/a.data" -x "$BIN/hits" target_func >/dev/null 2>"$TMPD/a.err" &
rec=$!
for _ in $(seq 100); do
	grep -q '^SigCgt:.*[1-9a-f]' /proc/$rec/status 2>/dev/null && break
	sleep 0.1
done
sleep 1
"$BIN/hits" 1 3000 >/dev/null &
p1=$!
"$BIN/hits" 2 1000 >/dev/null &
p2=$!
wait $p1 $p2
kill -INT $rec
wait $rec
$USTAT report -i "$TMPD/a.data" >"$TMPD/a.txt" 2>/dev/null
per() { awk -v p="$1" '$1 == p && $4 == "target_func" { print $3 }' "$TMPD/a.txt"; }
check_eq bpf-per-process "3000 2000" "$(per $p1) $(per $p2)"

# BPF fentry/fexit on the kernel's uprobe code (bpf-kfunc.c): the lookup and
# xol questions of a kernel without the uprobes_core tracepoints.  Where the
# kernel lets them attach, the counts match the hits; where it refuses, the
# report says exactly why (this VM's kernel: EPERM, ftrace function hooks
# forbidden), never the old "not measurable without BPF".  Either way no
# program stays loaded and nothing is left in uprobe_events.
progs_before=$(bpftool prog list 2>/dev/null | grep -c 'ustat_\(lookup\|xol\|fork\)')
# Other users may change uprobe_events meanwhile: count the lines naming our file.
mine() { grep -c "$(realpath "$BIN/churn")" /sys/kernel/tracing/uprobe_events 2>/dev/null; }
ev_before=$(mine)
$USTAT record -f -o "$TMPD/kf.data" target_func -- "$BIN/churn" 300 >"$TMPD/kf.out" 2>&1
check_eq bpf-fentry-record-exit 0 "$?"
$USTAT report --json -i "$TMPD/kf.data" >"$TMPD/kf.json" 2>/dev/null
state=$(jq_get "$TMPD/kf.json" .signals.bpf_fentry.state)
lsrc=$(jq_get "$TMPD/kf.json" .signals.sources.lookup_latency)
xsrc=$(jq_get "$TMPD/kf.json" .signals.sources.xol_slots)
if [ -f /sys/kernel/tracing/events/uprobes_core/uprobe_lookup/format ]; then
	check_eq bpf-fentry-not-needed "not needed: uprobes_core tracepoints recorded" "$state"
elif [ "$state" = attached ]; then
	hits=$(probe_hits "$TMPD/kf.json" target_func)
	check_eq bpf-fentry-lookups "$hits" "$(jq_get "$TMPD/kf.json" .signals.total.lookups)"
	case $lsrc in
	"BPF fentry/fexit find_active_uprobe_rcu"*) pass "bpf-fentry-source ($lsrc)" ;;
	*) fail bpf-fentry-source "$lsrc" ;;
	esac
else
	# The state is the recorder's word on why; both questions repeat it.
	check_eq bpf-fentry-why-lookup "unavailable: $state;" "$(echo "$lsrc" | cut -c1-$((${#state} + 14)))"
	check_eq bpf-fentry-why-xol "unavailable: $state;" "$(echo "$xsrc" | cut -c1-$((${#state} + 14)))"
	if grep -q 'not measurable' <<<"$lsrc$xsrc"; then
		fail bpf-fentry-no-vague-why "$lsrc"
	else
		pass bpf-fentry-no-vague-why
	fi
	# This kernel keeps ftrace's function files from root: fentry cannot work.
	if ! cat /sys/kernel/tracing/available_filter_functions >/dev/null 2>&1; then
		case $state in
		"the kernel refused fentry (EPERM"*"allows no ftrace function hooks)")
			pass "bpf-fentry-eperm-says-why ($state)" ;;
		*) fail bpf-fentry-eperm-says-why "$state" ;;
		esac
		if $USTAT report -i "$TMPD/kf.data" 2>/dev/null |
			grep -q '^#   lookup_latency  *unavailable: the kernel refused fentry (EPERM'; then
			pass bpf-fentry-eperm-stdio
		else
			fail bpf-fentry-eperm-stdio "$($USTAT report -i "$TMPD/kf.data" 2>&1 | grep lookup_latency)"
		fi
	fi
fi
# The rest of the recording is as without it: every call counted.
calls=$(tr ' ' '\n' <"$TMPD/kf.out" | sed -n 's/^hits=//p' | head -n 1)
check_eq bpf-fentry-hits-counted "${calls:-?}" "$(probe_hits "$TMPD/kf.json" target_func)"
check_eq bpf-fentry-nothing-left "$progs_before $ev_before" \
	"$(bpftool prog list 2>/dev/null | grep -c 'ustat_\(lookup\|xol\|fork\)') $(mine)"
# --bpf-signals=off says so; a bad WHEN is refused before anything is attached.
$USTAT record -f --bpf-signals=off -o "$TMPD/kf-off.data" target_func -- "$BIN/hits" 1 100 \
	>/dev/null 2>&1
check_eq bpf-fentry-off "not tried (--bpf-signals=off)" \
	"$($USTAT report --json -i "$TMPD/kf-off.data" 2>/dev/null | jq -r .signals.bpf_fentry.state)"
$USTAT record -f --bpf-signals=sometimes -o "$TMPD/kf-bad.data" target_func -- "$BIN/hits" 1 100 \
	>"$TMPD/kf-bad.out" 2>"$TMPD/kf-bad.err"
rc=$?
check_eq bpf-fentry-bad-when "1 1 no-file empty" \
	"$rc $(wc -l <"$TMPD/kf-bad.err") $([ -e "$TMPD/kf-bad.data" ] && echo file || echo no-file) $([ -s "$TMPD/kf-bad.out" ] && echo ran || echo empty)"

# Where BPF cannot load, -b says so in one line and records samples, which
# count the same.  Simulated first (USTAT_TEST_NO_BPF, honoured for tests
# only), then for real without CAP_BPF and CAP_SYS_ADMIN, where the uprobe
# PMU does not need the latter.
USTAT_TEST_NO_BPF="simulated: no CAP_BPF" $USTAT record -b -f -o "$TMPD/sim.data" target_func \
	-- "$BIN/hits" 1 5000 >/dev/null 2>"$TMPD/sim.err"
check_eq bpf-fallback-sim-one-line "1 1" \
	"$(grep -c -- "-b" "$TMPD/sim.err") $(grep -c -- "-b: simulated: no CAP_BPF: counting with perf samples instead" "$TMPD/sim.err")"
$USTAT report --json -i "$TMPD/sim.data" >"$TMPD/sim.json" 2>/dev/null
check_eq bpf-fallback-sim-counts "samples 5000" \
	"$(jq_get "$TMPD/sim.json" .consumer) $(probe_hits "$TMPD/sim.json" target_func)"
if ! command -v capsh >/dev/null; then
	skip bpf-fallback "capsh (libcap2-bin) is not installed"
	exit 0
fi
capsh --drop=cap_bpf,cap_sys_admin -- -c "$USTAT record -b -f -o $TMPD/fb.data target_func -- $BIN/hits 1 5000" \
	>/dev/null 2>"$TMPD/fb.err"
rc=$?
if [ "$rc" != 0 ]; then
	# The fallback said so in one line, but the samples need CAP_SYS_ADMIN here too.
	skip bpf-fallback "cannot record without CAP_SYS_ADMIN here: $(tail -n 1 "$TMPD/fb.err")"
	exit 0
fi
check_eq bpf-fallback-one-line 1 "$(grep -c -- "-b: .*counting with perf samples instead" "$TMPD/fb.err")"
$USTAT report --json -i "$TMPD/fb.data" >"$TMPD/fb.json" 2>/dev/null
check_eq bpf-fallback-counts "samples 5000" \
	"$(jq_get "$TMPD/fb.json" .consumer) $(probe_hits "$TMPD/fb.json" target_func)"
