# SPDX-License-Identifier: GPL-2.0
# Do no harm: only the target pays, no offset can crash it, the file probed
# is the one it runs, nothing stays armed, nothing is silently empty.
. "$(dirname "$0")/lib.sh"

need_uprobes do-no-harm || exit 0
TFS=/sys/kernel/tracing/uprobe_events
W=$BIN/waiter

# cpu_of CMD...: the CPU seconds (user + system) CMD took, as "0.123".
cpu_of() {
	/usr/bin/time -f "%U %S" -o "$TMPD/time" "$@" >/dev/null 2>&1
	awk '{ printf "%.3f", $1 + $2 }' "$TMPD/time"
}
# bystander: another process of the probed binary, 300,000 calls of target_func.
BYST_CALLS=300000
bystander() { echo go | cpu_of $W 1 $BYST_CALLS; }
# le A B: A <= B, as decimals.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# --- only the target pays ---------------------------------------------------
base=$(bystander)
# A bystander may cost at most this (twice the unprobed run, 50 ms of noise).
limit=$(awk -v b="$base" 'BEGIN { l = 2 * b; if (l < b + 0.05) l = b + 0.05; printf "%.3f", l }')

# record -- CMD: the command's threads and child counted exactly while another
# process of the same binary runs beside it.
cmd_run() {	# $1: --attach mode (or ""); prints the bystander's CPU seconds
	local data=$TMPD/cmd.data rpid
	rm -f "$data"
	$USTAT record -o "$data" ${1:+--attach $1} -x $W target_func -- \
		sh -c "echo go | $W 2 500 fork >/dev/null; sleep 2" >/dev/null 2>"$TMPD/cmd.err" &
	rpid=$!
	for i in $(seq 100); do [ -s "$data" ] && break; sleep 0.05; done
	sleep 0.5
	bystander
	wait $rpid
	echo " $?"
}
read -r during rc < <(cmd_run "")
check_eq "-- CMD: record exits 0" 0 "$rc"
$USTAT report -i "$TMPD/cmd.data" --json >"$TMPD/r.json"
check_eq "-- CMD: the command's threads and child counted exactly" 1500 \
	"$(probe_hits "$TMPD/r.json" target_func)"
mode=$(jq_get "$TMPD/r.json" .attach)
if le "$during" "$limit"; then
	pass "-- CMD ($mode): a bystander of the probed binary does not pay (${during}s CPU vs ${base}s unprobed)"
else
	fail "-- CMD ($mode): a bystander does not pay" "${during}s CPU vs ${base}s unprobed"
fi
# The control: per-CPU cgroup events do make it pay, so the check above can fail.
read -r ctl rc < <(cmd_run cgroup)
if [ "$rc" = 0 ]; then
	if le "$(awk -v b="$base" 'BEGIN { print b + 0.1 }')" "$ctl"; then
		pass "-- CMD: control: with --attach cgroup the bystander pays (${ctl}s CPU)"
	else
		skip "-- CMD: control" "--attach cgroup cost the bystander only ${ctl}s here"
	fi
else
	skip "-- CMD: control" "--attach cgroup: $(head -1 "$TMPD/cmd.err")"
fi

# record -p PID: the bystander runs while the target is attached.
pid_run() {	# $1: --attach mode (or ""); prints the bystander's CPU seconds
	local data=$TMPD/pid.data fifo=$TMPD/fifo pid rpid by
	rm -f "$fifo" "$data" "$TMPD/wout"
	mkfifo "$fifo"
	$W 2 500 fork <"$fifo" >"$TMPD/wout" &
	pid=$!
	exec 7<>"$fifo"
	for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
	$USTAT record -o "$data" ${1:+--attach $1} -p $pid target_func >/dev/null 2>"$TMPD/pid.err" &
	rpid=$!
	for i in $(seq 100); do [ -s "$data" ] && break; sleep 0.05; done
	sleep 0.3
	by=$(bystander)
	echo go >&7
	exec 7>&-
	wait $pid
	wait $rpid
	echo "$by $?"
}
read -r during rc < <(pid_run "")
check_eq "-p PID: record exits 0" 0 "$rc"
$USTAT report -i "$TMPD/pid.data" --json >"$TMPD/r.json"
check_eq "-p PID: its new threads and child counted exactly" 1500 \
	"$(probe_hits "$TMPD/r.json" target_func)"
mode=$(jq_get "$TMPD/r.json" .attach)
if le "$during" "$limit"; then
	pass "-p PID ($mode): a bystander of the probed binary does not pay (${during}s CPU vs ${base}s unprobed)"
else
	fail "-p PID ($mode): a bystander does not pay" "${during}s CPU vs ${base}s unprobed"
fi
read -r ctl rc < <(pid_run filter)
if [ "$rc" = 0 ] && le "$(awk -v b="$base" 'BEGIN { print b + 0.1 }')" "$ctl"; then
	pass "-p PID: control: with --attach filter the bystander pays (${ctl}s CPU)"
else
	skip "-p PID: control" "--attach filter cost the bystander ${ctl}s here (rc $rc)"
fi

# --- the page cache stays the others' ----------------------------------------
# record writes its samples with O_DIRECT (perf-writer-direct.c): the 19 MB
# of 400,000 samples must not push other processes' pages out of memory.
data=$TMPD/dio.data
$USTAT record -v --no-signals -o "$data" -x $W target_func -- sh -c "echo go | $W 2 200000 >/dev/null" \
	>/dev/null 2>"$TMPD/dio.err"
rc=$?
check_eq "page cache: record exits 0" 0 "$rc"
if grep -q "output: buffered" "$TMPD/dio.err"; then
	skip "page cache: the samples go past it" "$(grep "output:" "$TMPD/dio.err")"
elif ! command -v fincore >/dev/null; then
	skip "page cache: the samples go past it" "no fincore (util-linux)"
else
	size=$(stat -c %s "$data")
	res=$(fincore -b -n -o RES "$data" | tr -d ' ')
	if [ "$size" -gt $((16 << 20)) ] && [ "${res:-$size}" -lt $((1 << 20)) ]; then
		pass "page cache: the samples go past it ($res of $size bytes of the file cached)"
	else
		fail "page cache: the samples go past it" "$res of $size bytes cached"
	fi
	check_eq "page cache: the file holds every call" 400000 \
		"$($USTAT report -i "$data" --json | jq '.probes[0].hits')"
	if have_perf; then
		check_eq "page cache: stock perf reads every sample" 400000 \
			"$(perf report -i "$data" --stats 2>/dev/null |
			   awk '/SAMPLE events:/ { print $3; exit }')"
	fi
fi

# --- offsets: on an instruction boundary or refused -------------------------
# objdump's instruction starts are the independent truth.
starts_of() {	# $1: binary, $2: function -> offsets from the function's start
	local a base=""
	for a in $(objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '
		$2 == f { print $1; on = 1; next }
		on && /^$/ { exit }
		on && $1 ~ /:$/ { sub(":", "", $1); print $1 }'); do
		[ -z "$base" ] && base=$((0x$a)) && continue
		echo $((0x$a - base))
	done | sed '1i 0' | sort -nu
}
size_of() {
	local s
	s=$(nm -S "$1" | awk -v f="$2" '$4 == f { print $2 }')
	echo $((0x$s))
}
if ! command -v objdump >/dev/null; then
	skip "offsets" "objdump (binutils) is missing"
else
	cc -O0 -g -pthread -o "$TMPD/hits-O0" tests/workloads/hits.c 2>/dev/null
	for prog in $BIN/hits "$TMPD/hits-O0"; do
		opt=$([ "$prog" = $BIN/hits ] && echo O2 || echo O0)
		for f in target_func nest_inner; do
			size=$(size_of "$prog" $f)
			starts=" $(starts_of "$prog" $f | tr '\n' ' ')"
			bad_ok=0 bad=0 good="" crash=""
			for ((o = 0; o < size; o++)); do
				case "$starts" in
				*" $o "*) good="$good $f+$o" ;;
				*)
					bad=$((bad + 1))
					$USTAT record -o "$TMPD/off.data" -x "$prog" $f+$o -- \
						"$prog" 1 10 0 >/dev/null 2>"$TMPD/off.err"
					rc=$?
					[ $rc -ne 0 ] && [ $rc -lt 128 ] &&
						[ "$(wc -l <"$TMPD/off.err")" = 1 ] &&
						grep -q "inside the instruction\|inside the last instruction" "$TMPD/off.err" &&
						bad_ok=$((bad_ok + 1))
					;;
				esac
			done
			check_eq "-$opt $f: all $bad offsets inside an instruction refused in one line" \
				$bad $bad_ok
			# Every boundary at once: each instruction runs once a call here.
			# shellcheck disable=SC2086
			$USTAT record -o "$TMPD/off.data" -x "$prog" $good -- "$prog" 2 50 0 \
				>"$TMPD/off.out" 2>"$TMPD/off.err"
			rc=$?
			check_eq "-$opt $f: the target survives probes on all its boundaries" 0 $rc
			$USTAT report -i "$TMPD/off.data" --json >"$TMPD/r.json"
			wrong=$(jq '[.probes[] | select(.hits != 100)] | length' "$TMPD/r.json")
			n=$(jq '.probes | length' "$TMPD/r.json")
			# 2 threads, each calls nest_outer once and it nest_inner twice
			[ $f = nest_inner ] && wrong=$(jq '[.probes[] | select(.hits != 4)] | length' "$TMPD/r.json")
			check_eq "-$opt $f: $n boundaries accepted, each exact" 0 "$wrong"
			$USTAT record -o "$TMPD/off.data" -x "$prog" $f+$size -- true \
				>/dev/null 2>"$TMPD/off.err"
			rc=$?
			[ $rc -ne 0 ] && grep -q "past the end" "$TMPD/off.err" &&
				pass "-$opt $f+$size (its size): refused as past the end" ||
				fail "-$opt $f+$size: refused" "rc $rc: $(cat "$TMPD/off.err")"
		done
	done
fi

# --- the file the target runs -----------------------------------------------
# start_waiter BINARY: a waiter held at its fifo; sets WPID.
start_waiter() {
	rm -f "$TMPD/wf" "$TMPD/wout"
	mkfifo "$TMPD/wf"
	"$@" <"$TMPD/wf" >"$TMPD/wout" &
	WPID=$!
	exec 8<>"$TMPD/wf"
	for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
	WPID=$(awk '/ready/ { print $2 }' "$TMPD/wout")
}
# record_waiter NAME EXPECTED ARGS...: record -p $WPID ARGS, let it go, check hits.
record_waiter() {
	local name=$1 want=$2 rpid rc
	shift 2
	rm -f "$TMPD/f.data"
	$USTAT record -o "$TMPD/f.data" -p $WPID "$@" >/dev/null 2>"$TMPD/f.err" &
	rpid=$!
	for i in $(seq 100); do [ -s "$TMPD/f.data" ] && break; kill -0 $rpid 2>/dev/null || break; sleep 0.05; done
	sleep 0.3
	echo go >&8
	exec 8>&-
	for i in $(seq 100); do kill -0 $rpid 2>/dev/null || break; sleep 0.1; done
	kill -INT $rpid 2>/dev/null
	wait $rpid
	rc=$?
	[ $rc = 0 ] && pass "$name: record exits 0" ||
		fail "$name: record exits 0" "rc $rc: $(tail -1 "$TMPD/f.err")"
	$USTAT report -i "$TMPD/f.data" --json >"$TMPD/r.json" 2>/dev/null
	check_eq "$name: exact hits" "$want" "$(probe_hits "$TMPD/r.json" target_func)"
}
cp $W "$TMPD/w-del"
start_waiter "$TMPD/w-del" 1 300
rm -f "$TMPD/w-del"
record_waiter "deleted binary, no -x (through /proc/PID/exe)" 300 target_func
cp $W "$TMPD/w-del"
start_waiter "$TMPD/w-del" 1 300
rm -f "$TMPD/w-del"
record_waiter "deleted binary, -x /proc/PID/exe" 300 -x /proc/$WPID/exe target_func

cp $W "$TMPD/w-up"
start_waiter "$TMPD/w-up" 1 300
rm -f "$TMPD/w-up"
cp $BIN/hits "$TMPD/w-up"	# an "upgrade": another file at the same path
timeout 20 $USTAT record -o "$TMPD/f.data" -p $WPID -x "$TMPD/w-up" target_func \
	>/dev/null 2>"$TMPD/f.err"
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 124 ] && grep -q "was replaced since pid $WPID mapped it; probe /proc/$WPID/exe" "$TMPD/f.err" &&
	pass "replaced binary: refused, naming /proc/PID/exe ($(cat "$TMPD/f.err"))" ||
	fail "replaced binary: refused" "rc $rc: $(cat "$TMPD/f.err")"
record_waiter "replaced binary, -x /proc/PID/exe" 300 -x /proc/$WPID/exe target_func

# -- CMD: the binary replaced between attaching and the exec.
cp $W "$TMPD/R"
$USTAT record -o "$TMPD/f.data" -x "$TMPD/R" target_func -- sh -c \
	"cp $BIN/hits '$TMPD/R.new' && mv '$TMPD/R.new' '$TMPD/R' && exec '$TMPD/R' 1 10 0" \
	>/dev/null 2>"$TMPD/f.err"
grep -q "the command mapped another '$TMPD/R' than the one probed" "$TMPD/f.err" &&
	pass "-- CMD: a binary replaced before the exec is said at once" ||
	fail "-- CMD: a binary replaced before the exec is said" "$(cat "$TMPD/f.err")"

# Another mount namespace where the path is another file (a container).
if command -v unshare >/dev/null && unshare --mount --propagation private true 2>/dev/null; then
	cp $BIN/hits "$TMPD/P"
	cp $W "$TMPD/inside"
	rm -f "$TMPD/wf" "$TMPD/wout"
	mkfifo "$TMPD/wf"
	unshare --mount --propagation private sh -c \
		"mount --bind '$TMPD/inside' '$TMPD/P' && exec '$TMPD/P' 2 200 <'$TMPD/wf' >'$TMPD/wout'" &
	exec 8<>"$TMPD/wf"
	for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
	WPID=$(awk '/ready/ { print $2 }' "$TMPD/wout")
	record_waiter "another mount namespace, the same path another file" 400 -x "$TMPD/P" target_func
	wait
else
	skip "another mount namespace" "unshare --mount is not allowed here"
fi

# --- nothing silently empty ----------------------------------------------------
I=$BIN/inline
$USTAT record -o "$TMPD/i.data" -x $I/inline-only only_inlined -- $I/inline-only 700 \
	>/dev/null 2>"$TMPD/err"
check_eq "inlined-only function in a program: record exits 0" 0 $?
$USTAT report -i "$TMPD/i.data" --json >"$TMPD/r.json"
check_eq "inlined-only function in a program: exact hits (3 copies x 700)" 2100 \
	"$(probe_hits "$TMPD/r.json" only_inlined)"
$USTAT record -o "$TMPD/i.data" -x $I/libinline-only.so only_inlined -- $I/inline-only-lib 700 \
	>/dev/null 2>"$TMPD/err"
$USTAT report -i "$TMPD/i.data" --json >"$TMPD/r.json"
check_eq "inlined-only function in a library: exact hits" 2100 \
	"$(probe_hits "$TMPD/r.json" only_inlined)"

# A function inlined in 200 places: more than perf probe's 128, every copy counted.
{
	echo 'static volatile int s;'
	echo 'static inline __attribute__((always_inline)) void many(int i) { s += i; __asm__ volatile("" ::: "memory"); }'
	echo 'int main(int argc, char **argv) { for (int n = 0; n < 10; n++) {'
	for i in $(seq 200); do echo "many($i); s ^= $i;"; done
	echo '} return 0; }'
} >"$TMPD/many.c"
if cc -O2 -g -o "$TMPD/many" "$TMPD/many.c" 2>/dev/null; then
	$USTAT record -o "$TMPD/m.data" -x "$TMPD/many" many -- "$TMPD/many" >/dev/null 2>"$TMPD/err"
	rc=$?
	[ $rc = 0 ] && pass "200 inlined copies: record exits 0" ||
		fail "200 inlined copies: record exits 0" "rc $rc: $(tail -1 "$TMPD/err")"
	$USTAT report -i "$TMPD/m.data" --json >"$TMPD/r.json"
	check_eq "200 inlined copies: 200 sites" 200 "$(jq_get "$TMPD/r.json" '.probes[0].sites')"
	check_eq "200 inlined copies: exact hits" 2000 "$(probe_hits "$TMPD/r.json" many)"
else
	skip "200 inlined copies" "cc failed"
fi

# --- nothing stays armed ---------------------------------------------------------
# The probed instruction's first byte, read through the target's memory: int3
# (0xcc) while armed.  SIGINT, SIGTERM and SIGHUP each take it out within 100 ms.
# The target is a -p process: it keeps running after record ends (a CMD is
# stopped first, before the probes are closed).
for sig in INT TERM HUP; do
	rm -f "$TMPD/s.data"
	$BIN/spin 8 >/dev/null &
	spid=$!
	$USTAT record -o "$TMPD/s.data" -p $spid -x $BIN/spin target_func \
		>/dev/null 2>"$TMPD/err" &
	rpid=$!
	for i in $(seq 200); do [ -s "$TMPD/s.data" ] && break; sleep 0.05; done
	sleep 0.5
	addr=$(func_addr $spid $BIN/spin target_func)
	out=$(python3 - "$spid" "$addr" $rpid $sig <<'PY'
import os, signal, sys, time
pid, addr, rpid, sig = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mem = open("/proc/%d/mem" % pid, "rb", buffering=0)
def byte():
    mem.seek(addr)
    return mem.read(1)[0]
armed = byte() == 0xCC
t0 = time.monotonic()
os.kill(rpid, getattr(signal, "SIG" + sig))
while byte() == 0xCC and time.monotonic() - t0 < 5:
    pass
print("%d %.0f" % (armed, (time.monotonic() - t0) * 1000))
PY
)
	wait $rpid
	rc=$?
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	read -r armed ms <<<"$out"
	if [ "$armed" = 1 ] && [ -n "$ms" ] && [ "$ms" -le 100 ]; then
		pass "SIG$sig: the breakpoint is out of the target ${ms} ms after the signal"
	else
		fail "SIG$sig: the breakpoint is out within 100 ms" "armed=$armed after ${ms} ms"
	fi
	check_eq "SIG$sig: record exits 0 with a complete file" 0 $rc
	check_eq "SIG$sig: its uprobe_events definitions are gone" 0 \
		"$(grep -c "uprobe_stat_$rpid/" $TFS)"
done

# A killed run's definitions (disarmed: the perf events died with it) and its
# cgroup are swept by the next start.
for mode in tracefs cgroup; do
	rm -f "$TMPD/k.data"
	$USTAT record -o "$TMPD/k.data" --attach $mode -x $BIN/spin target_func -- $BIN/spin 3 \
		>/dev/null 2>&1 &
	rpid=$!
	for i in $(seq 100); do [ -s "$TMPD/k.data" ] && break; sleep 0.05; done
	sleep 0.3
	kill -KILL $rpid
	wait $rpid 2>/dev/null
	pkill -P $rpid 2>/dev/null
	left=$(grep -c "uprobe_stat_$rpid/" $TFS)
	cg=$(find /sys/fs/cgroup -maxdepth 3 -name "uprobe-stat.$rpid" 2>/dev/null | head -1)
	sleep 3.2	# the command ends on its own
	$USTAT record -o "$TMPD/k2.data" -x $BIN/spin target_func -- true >/dev/null 2>&1
	check_eq "SIGKILL ($mode): definitions left swept by the next start (had $left)" 0 \
		"$(grep -c "uprobe_stat_$rpid/" $TFS)"
	[ $mode = cgroup ] && check_eq "SIGKILL (cgroup): its cgroup swept by the next start (had '${cg##*/}')" "" \
		"$(find /sys/fs/cgroup -maxdepth 3 -name "uprobe-stat.$rpid" 2>/dev/null | head -1)"
done
