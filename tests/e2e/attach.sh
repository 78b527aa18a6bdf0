# SPDX-License-Identifier: GPL-2.0
# Every way of reaching a target (-- CMD, -p, -a, and each --attach mode)
# counts exactly what was hit, and never breaks the target.
. "$(dirname "$0")/lib.sh"

need_uprobes attach || exit 0
have_tracefs && events_before=$(cat /sys/kernel/tracing/uprobe_events)

T=3 N=2000
for mode in auto cgroup filter; do
	data=$TMPD/$mode.data
	$USTAT record -o "$data" --attach $mode target_func -- $BIN/hits $T $N 0 \
		>"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ $rc -ne 0 ] && grep -q "cgroup" "$TMPD/err" && [ $mode = cgroup ]; then
		skip "--attach cgroup" "$(head -1 "$TMPD/err")"
		continue
	fi
	check_eq "--attach $mode: record exits 0" 0 $rc
	$USTAT report -i "$data" --json >"$TMPD/r.json"
	check_eq "--attach $mode: threads created by CMD are counted exactly" $((T * N)) \
		"$(probe_hits "$TMPD/r.json" target_func)"
done
# The cgroup of a cgroup-mode run is gone afterwards.
left=$(find /sys/fs/cgroup -maxdepth 3 -name "uprobe-stat.*" 2>/dev/null | head -1)
check_eq "no cgroup left behind" "" "$left"

# A shared library: the probe goes in the library, the program calls it.
data=$TMPD/lib.data
$USTAT record -o "$data" -x $BIN/elf/libelfsym.so libelfsym_func \
	-- $BIN/elf/elfsym-lib 1234 >/dev/null 2>"$TMPD/err"
check_eq "shared library (-x): record exits 0" 0 $?
$USTAT report -i "$data" --json >"$TMPD/r.json"
check_eq "shared library (-x): exact hits (1234 calls + 1)" 1235 \
	"$(probe_hits "$TMPD/r.json" libelfsym_func)"
$USTAT record -o "$data" -f $BIN/elf/libelfsym.so:libelfsym_func \
	-- $BIN/elf/elfsym-lib 99 >/dev/null 2>"$TMPD/err"
$USTAT report -i "$data" --json >"$TMPD/r.json"
check_eq "shared library (BINARY:func): exact hits" 100 \
	"$(probe_hits "$TMPD/r.json" $BIN/elf/libelfsym.so:libelfsym_func)"

# libc's malloc, found by library name: at least the calls we know of.
data=$TMPD/malloc.data
$USTAT record -o "$data" libc.so.6:malloc -- $BIN/hits 2 10 0 >/dev/null 2>"$TMPD/err"
check_eq "libc malloc: record exits 0" 0 $?
$USTAT report -i "$data" --json >"$TMPD/r.json"
check_ge "libc malloc: hits seen (calloc/pthread_create call it)" 1 \
	"$(probe_hits "$TMPD/r.json" libc.so.6:malloc)"

# -p: attach to a running process; its new threads and child are followed.
run_pid_test() {	# $1: name, $2: extra waiter args, $3: expected hits
	local data=$TMPD/pid.data fifo=$TMPD/fifo pid rpid i
	rm -f "$fifo" "$data" "$TMPD/wout"
	mkfifo "$fifo"
	$BIN/waiter $T $N $2 <"$fifo" >"$TMPD/wout" &
	pid=$!
	exec 7<>"$fifo"
	for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
	$USTAT record -o "$data" -p $pid target_func >"$TMPD/rout" 2>"$TMPD/rerr" &
	rpid=$!
	# record opens the file once its events are set up
	for i in $(seq 100); do [ -s "$data" ] && break; sleep 0.05; done
	sleep 0.3
	echo go >&7
	exec 7>&-
	wait $pid
	for i in $(seq 100); do kill -0 $rpid 2>/dev/null || break; sleep 0.1; done
	if kill -0 $rpid 2>/dev/null; then
		kill -INT $rpid
		fail "$1: record ends when the process exits" "still running"
	else
		pass "$1: record ends when the process exits"
	fi
	wait $rpid
	check_eq "$1: record exits 0" 0 $?
	check_eq "$1: target ran" "done $3" "$(tail -1 "$TMPD/wout")"
	$USTAT report -i "$data" --json >"$TMPD/r.json"
	check_eq "$1: exact hits" "$3" "$(probe_hits "$TMPD/r.json" target_func)"
}
run_pid_test "-p PID, new threads" "" $((T * N))
run_pid_test "-p PID, new threads and a child" fork $(((T + 1) * N))

# -a: everything, until Ctrl-C.
data=$TMPD/all.data
$USTAT record -o "$data" -a -x $BIN/hits target_func >/dev/null 2>"$TMPD/err" &
rpid=$!
for i in $(seq 100); do [ -s "$data" ] && break; sleep 0.05; done
sleep 0.3
# On a uprobe_events definition: one kernel consumer, not one per CPU.
have_tracefs && defs=$(grep -c "^p:uprobe_stat_$rpid/" /sys/kernel/tracing/uprobe_events)
$BIN/hits $T $N 0 >/dev/null
kill -INT $rpid
wait $rpid
check_eq "-a: record exits 0 on SIGINT" 0 $?
$USTAT report -i "$data" --json >"$TMPD/r.json"
check_eq "-a: exact hits" $((T * N)) "$(probe_hits "$TMPD/r.json" target_func)"
if have_tracefs; then
	check_eq "-a: the probe is one uprobe_events definition while recording" 1 "$defs"
else
	skip "-a: one uprobe_events definition" "uprobe_events is not writable"
fi

# Nothing is left in tracefs: every definition is removed at exit.
if have_tracefs; then
	check_eq "nothing added to uprobe_events" "$events_before" \
		"$(cat /sys/kernel/tracing/uprobe_events)"
else
	skip "no uprobe_events left" "tracefs is not available"
fi
