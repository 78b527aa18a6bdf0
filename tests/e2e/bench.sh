# SPDX-License-Identifier: GPL-2.0
# perf uprobe-stat bench: every kind counts exactly the calls its workload
# made, the table and the JSON keep their shape, a kind the kernel (or the
# user) cannot do is skipped with its reason, bad options fail in one line.
. "$(dirname "$0")/lib.sh"

# -- Bad input: no root needed.  name | message (fixed substring) | args --
while IFS='|' read -r name msg args; do
	[ -z "$name" ] && continue
	eval "set -- $args"
	"$USTAT" bench "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "bench: $name" "exit status $rc (wanted 1..127)"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "bench: $name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$lines" -ne 1 ]; then
		fail "bench: $name" "$lines lines on stderr: $(tr '\n' '|' <"$TMPD/err")"
	else
		pass "bench: $name"
	fi
done <<'EOT'
unknown kind|unknown --kind 'frob' (known: base, nop5, int3, xol, ret, all)|--kind nop5,frob
kind given twice|'xol' given twice|--kind xol,xol
zero threads|--threads '0': 0 threads: give 1 to 4096|--threads 0
threads not a number|'two' is not a number of threads|--threads 1,two
duration not a number|--duration 'abc': not a number of seconds|--duration abc
duration zero|--duration 0: must be at least 0.001 seconds|--duration 0
negative warm-up|--warmup -1: must be 0 or more seconds|--warmup=-1
zero repeats|--repeat '0': give a number of repeats from 1 to 1000|--repeat 0
ring buffer not a power of two|must be a power of two pages|--record -m 3
an argument|bench takes no arguments, only options: 'xol'|xol
record without probes|--record samples the probes bench attaches: it cannot go with --no-attach|--record --no-attach
EOT

need_uprobes bench || exit 0
have_tracefs && events_before=$(cat /sys/kernel/tracing/uprobe_events)

# -- Every kind at 1 and 2 threads, as JSON --------------------------------
J=$TMPD/all.json
$USTAT bench --kind all --threads 1,2 --duration 0.2 --warmup 0.05 --repeat 2 --json \
	>"$J" 2>"$TMPD/err"
check_eq "bench --json exits 0" 0 $?
if ! jq -e . "$J" >/dev/null 2>&1; then
	fail "bench --json is JSON" "$(head -c 300 "$J")"
	exit 0
fi
pass "bench --json is JSON"
check_eq "results: each kind at each thread count, base first" \
	"base:1 base:2 nop5:1 nop5:2 int3:1 int3:2 xol:1 xol:2 ret:1 ret:2" \
	"$(jq -r '[.results[] | "\(.kind):\(.threads)"] | join(" ")' "$J")"
check_eq "no kind skipped here" "" \
	"$(jq -r '.results[] | select(.skipped != null) | "\(.kind): \(.skipped)"' "$J")"
for k in nop5 int3 xol ret; do
	for t in 1 2; do
		r=".results[] | select(.kind == \"$k\" and .threads == $t)"
		check_eq "$k ($t cpus): hits counted == calls made, every repeat" \
			"true true" "$(jq -r "[$r | .repeats[] | .hits == .loops] | map(tostring) | join(\" \")" "$J")"
		check_eq "$k ($t cpus): counts_ok" true "$(jq -r "$r | .counts_ok" "$J")"
		check_eq "$k ($t cpus): per-CPU hits add up, thread loops add up" "true true" \
			"$(jq -r "[$r | .repeats[] | ([.per_cpu[].hits] | add) == .hits and
				([.threads[].loops] | add) == .loops] | map(tostring) | join(\" \")" "$J")"
		# Pinned, each thread's CPU counted exactly its calls.
		check_eq "$k ($t cpus): each pinned thread's CPU counted its calls" "true true" \
			"$(jq -r "[$r | .repeats[] | . as \$rep | [.threads[] | .cpu as \$c |
				.loops == ([\$rep.per_cpu[] | select(.cpu == \$c) | .hits] | add)] | all] |
				map(tostring) | join(\" \")" "$J")"
		check_ge "$k ($t cpus): calls made" 1 "$(jq -r "[$r | .repeats[].loops] | min" "$J")"
	done
done
check_eq "2 threads are pinned to 2 CPUs" "true 2" \
	"$(jq -r '[.results[] | select(.threads == 2)] | [(map(.pinned) | all),
		([.[0].repeats[0].threads[].cpu] | unique | length)] | map(tostring) | join(" ")' "$J")"
check_eq "base: no hits counted, no path" "null null none" \
	"$(jq -r '.results[0] | [.repeats[0].hits, .counts_ok, .path] | map(tostring) | join(" ")' "$J")"
check_eq "a probe costs more than the unprobed call" "true" \
	"$(jq -r '[.results[] | select(.kind != "base") | .ns_per_hit_above_base > 0] | all' "$J")"
check_eq "timed calls within all calls; rate from them" "true" \
	"$(jq -r '[.results[].repeats[] | .timed_loops <= .loops and .timed_loops > 0 and .hits_per_sec > 0] | all' "$J")"
check_eq "JSON keys of a result" \
	"counts_ok hits_per_sec hits_per_sec_per_thread insn insn_bytes kind mismatch name ns_per_hit ns_per_hit_above_base path path_confirmed path_detail pinned repeats seen_bytes skipped threads" \
	"$(jq -r '.results[1] | keys | join(" ")' "$J")"
check_eq "JSON keys of a repeat" "hits hits_per_sec loops lost per_cpu samples threads timed_cpu_ns timed_loops window_ns" \
	"$(jq -r '.results[1].repeats[0] | keys | join(" ")' "$J")"
check_eq "JSON: uprobes_core availability reported" "true" \
	"$(jq -r '.uprobes_core | [.uprobe_lookup, .uprobe_spec_fail, .xol_slot_alloc, .xol_slot_recycle] |
		map(. == true or . == false or . == null) | all' "$J")"
# Which path each kind took: judged, and consistent with the bytes read back.
check_eq "kernel paths: int3 emulated, xol single-stepped, ret a uretprobe" \
	"int3-emulated int3-singlestep uretprobe" \
	"$(jq -r '[.results[] | select(.threads == 1 and (.kind == "int3" or .kind == "xol" or .kind == "ret")) |
		.path] | join(" ")' "$J")"
check_eq "nop5: optimised exactly when its bytes read back as a call" "true" \
	"$(jq -r '[.results[] | select(.kind == "nop5") |
		(.seen_bytes | startswith("e8")) == (.path == "optimised")] | all' "$J")"
check_eq "probed kinds show int3 (cc) at the probe, but an optimised nop5" "true" \
	"$(jq -r '[.results[] | select(.kind != "base" and .path != "optimised") | .seen_bytes | startswith("cc")] | all' "$J")"
check_eq "an emulated int3 hit is cheaper than a single-stepped one" "true" \
	"$(jq -r '[.results[] | select(.threads == 1)] | (map(select(.kind == "int3"))[0].ns_per_hit) <
		(map(select(.kind == "xol"))[0].ns_per_hit)' "$J")"

# -- The table --------------------------------------------------------------
$USTAT bench --kind int3 --threads 1,2 --duration 0.1 --warmup 0.02 --repeat 2 \
	>"$TMPD/table" 2>"$TMPD/err"
check_eq "bench (table) exits 0" 0 $?
num='[0-9]+\.[0-9]{3}'
row="\\(( 1| 2) cpus\\): +$num ± +$num""M/s  \\( *$num""M/s/cpu\\) +[0-9]+\\.[0-9] ns/hit"
check_eq "table: header first" "# uprobe-stat bench: Linux" \
	"$(head -1 "$TMPD/table" | cut -c1-26)"
check_eq "table: base rows, selftests/bpf shape" 2 \
	"$(grep -cE "^base +$row +- +none$" "$TMPD/table")"
check_eq "table: int3 rows with the cost above base and the path" 2 \
	"$(grep -cE "^uprobe-int3 $row +\\+[0-9]+\\.[0-9] ns +int3-emulated$" "$TMPD/table")"
check_eq "table: per-thread rates under 2-thread rows" 2 \
	"$(grep -cE "^ +per thread: $num $num""M/s on CPUs [0-9]+,[0-9]+$" "$TMPD/table")"
check_eq "table: the kernel paths" 1 \
	"$(grep -cE '^#   uprobe-int3 +int3-emulated +int3 trap, the nop emulated' "$TMPD/table")"

# -- --record: every hit a sample, none lost silently ----------------------
$USTAT bench --record --kind nop5 --threads 1 --duration 0.2 --warmup 0.05 --repeat 1 --json \
	>"$TMPD/rec.json" 2>"$TMPD/err"
check_eq "bench --record exits 0" 0 $?
check_eq "--record: samples read + lost == hits == calls" true \
	"$(jq -r '.results[] | select(.kind == "nop5") | .repeats[0] |
		.samples + .lost == .hits and .hits == .loops and .samples > 0' "$TMPD/rec.json")"

# -- --no-attach: calls only, for a consumer outside bench -----------------
$USTAT bench --no-attach --kind nop5,int3 --threads 1 --duration 0.1 --warmup 0.02 --repeat 1 \
	--json >"$TMPD/na.json" 2>"$TMPD/err"
check_eq "bench --no-attach exits 0" 0 $?
check_eq "--no-attach: attach false, calls made, no hits, no count check" "false true true" \
	"$(jq -r '[.attach, ([.results[] | .repeats[0].loops > 0] | all),
		([.results[] | select(.kind != "base") | .repeats[0].hits == null and
		  .counts_ok == null] | all)] | map(tostring) | join(" ")' "$TMPD/na.json")"
check_eq "--no-attach: the functions read as built, no path but none" "nop5:none:true int3:none:true" \
	"$(jq -r '[.results[] | select(.kind != "base") |
		"\(.kind):\(.path):\(.seen_bytes == .insn_bytes)"] | join(" ")' "$TMPD/na.json")"
# perf stat, outside, counts every call bench --no-attach makes, and
# bench sees the bytes perf's probe put there (a call, or an int3).
addr=$(nm "$USTAT" 2>/dev/null | awk '$3 == "ustat_bench_nop5" { print "0x" $1 }')
if command -v perf >/dev/null && [ -n "$addr" ] &&
   perf probe -q -x "$USTAT" "ustatbench:nop5=$addr" 2>"$TMPD/perr"; then
	perf stat -x, -e ustatbench:nop5 -o "$TMPD/pstat" -- "$USTAT" bench --no-attach \
		--kind nop5 --threads 1 --duration 0.1 --warmup 0.02 --repeat 2 --json \
		>"$TMPD/na2.json" 2>"$TMPD/err"
	check_eq "perf stat -- bench --no-attach exits 0" 0 $?
	perf probe -q -d "ustatbench:*"
	check_eq "perf stat counted every call bench --no-attach made" \
		"$(jq '[.results[] | select(.kind == "nop5") | .repeats[].loops] | add' \
			"$TMPD/na2.json")" \
		"$(awk -F, '$3 == "ustatbench:nop5" { print $1 }' "$TMPD/pstat")"
	check_eq "--no-attach under perf's probe: bench sees the probed bytes" "true" \
		"$(jq -r '.results[] | select(.kind == "nop5") |
			.seen_bytes != .insn_bytes and .path != "none"' "$TMPD/na2.json")"
else
	skip "perf stat counts bench --no-attach" \
		"no perf, or perf probe failed: $(head -1 "$TMPD/perr" 2>/dev/null)"
fi

# -- A kind that cannot run is skipped, with its reason ----------------------
# Unprivileged, the uprobe PMU refuses: base runs, the probe says why not.
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups \
	test -x "$USTAT" 2>/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$USTAT" bench --kind nop5 --threads 1 \
		--duration 0.05 --warmup 0 --repeat 1 --json >"$TMPD/user.json" 2>"$TMPD/err"
	check_eq "unprivileged: bench exits 0" 0 $?
	check_eq "unprivileged: base runs, nop5 skipped for want of permission" "true true" \
		"$(jq -r '[(.results[0] | .kind == "base" and .skipped == null),
			(.results[1] | .skipped | test("permission denied"))] | map(tostring) | join(" ")' \
			"$TMPD/user.json")"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$USTAT" bench --kind xol --threads 1 \
		--duration 0.05 --warmup 0 --repeat 1 >"$TMPD/user.txt" 2>"$TMPD/err"
	check_eq "unprivileged: the table says why" 1 \
		"$(grep -cE '^uprobe-xol +\( 1 cpus\): skipped: permission denied' "$TMPD/user.txt")"
else
	skip "unprivileged: skipped kinds" "cannot run $USTAT as nobody (setpriv, permissions)"
fi

# -- --observer: the patched kernel's (tests/kernel/e2e.sh runs it there) --
# On a stock kernel it refuses in one line, before attaching anything, and
# caches nothing.
if [ -e /sys/kernel/tracing/events/uprobes_core/uprobe_lookup ]; then
	skip "bench --observer refuses on a stock kernel" "this kernel has the uprobes_core events"
else
	XDG_CACHE_HOME=$TMPD/xdg "$USTAT" bench --observer -d 0.05 -r 1 >"$TMPD/obs.out" 2>"$TMPD/obs.err"
	check_eq "bench --observer: exit 1 on a stock kernel" 1 $?
	check_eq "bench --observer: one line saying why" \
		"1 1" "$(wc -l <"$TMPD/obs.err") $(grep -c 'needs the uprobes_core tracepoints' "$TMPD/obs.err")"
	check_eq "bench --observer: nothing printed, nothing cached" "0 no" \
		"$(wc -c <"$TMPD/obs.out") $([ -e "$TMPD/xdg/uprobe-stat/observer" ] && echo yes || echo no)"
fi

# -- One kernel consumer a site, and every way out removes its definition --
# A uprobe PMU event per CPU is a consumer per CPU: each hit would run a
# handler per CPU.  bench defines the uprobe in uprobe_events instead, and
# Ctrl-C, SIGTERM, SIGHUP remove the definition; what SIGKILL left, the
# next run sweeps.
if have_tracefs; then
	check_eq "bench: each probed site has one kernel consumer (uprobe_events)" \
		"1 uprobe_events" "$(jq -r '"\(.consumers) \(.consumer)"' "$J")"
	defined() { grep -c "^[pr]:uprobe_stat_$1/" /sys/kernel/tracing/uprobe_events; }
	start_attached() {	# runs bench in the background until its probe is defined
		"$USTAT" bench --kind nop5 --threads 1 --duration 2 --warmup 0 --repeat 2 \
			>"$TMPD/sig.out" 2>"$TMPD/sig.err" &
		bpid=$!
		for _ in $(seq 200); do
			[ "$(defined $bpid)" = 1 ] && return 0
			sleep 0.05
		done
		return 1
	}
	for sig in INT HUP; do
		if ! start_attached; then
			fail "bench: SIG$sig mid-run" "no uprobe_events definition of pid $bpid in 10 s"
			kill -KILL $bpid; wait $bpid
			continue
		fi
		kill -$sig $bpid
		wait $bpid
		rc=$?
		check_eq "bench: SIG$sig mid-run: exit 128+$sig, one line, no output, definition gone" \
			"$((128 + $(kill -l $sig))) 1 0 0" \
			"$rc $(grep -c 'stopped by signal' "$TMPD/sig.err") $(wc -c <"$TMPD/sig.out") $(defined $bpid)"
	done
	if start_attached; then
		kill -KILL $bpid
		wait $bpid
		left=$(defined $bpid)
		"$USTAT" bench --kind nop5 --threads 1 --duration 0.05 --warmup 0 --repeat 1 \
			>/dev/null 2>"$TMPD/sweep.err"
		check_eq "bench: what SIGKILL left is swept by the next run" "1 0 1" \
			"$left $(defined $bpid) $(grep -c 'that a killed run left' "$TMPD/sweep.err")"
	else
		fail "bench: SIGKILL sweep" "no uprobe_events definition of pid $bpid in 10 s"
		kill -KILL $bpid; wait $bpid
	fi
else
	skip "bench: one consumer a site, definitions removed" "uprobe_events is not writable"
fi

if have_tracefs; then
	check_eq "bench: nothing added to uprobe_events" "$events_before" \
		"$(cat /sys/kernel/tracing/uprobe_events)"
else
	skip "bench: nothing added to uprobe_events" "tracefs is not available"
fi
