# SPDX-License-Identifier: GPL-2.0
# 'top' never outlives its terminal with probes armed: q, SIGINT, SIGTERM,
# SIGHUP, the tmux session killed, and the terminal going away without a
# SIGHUP each end it within 1 s with the breakpoint out of the target, no
# uprobe_events definition or cgroup of its own left, and a bystander of the
# probed binary running at full speed afterwards.
. "$(dirname "$0")/lib.sh"

need_uprobes top-exit || exit 0
if ! command -v tmux >/dev/null; then
	skip "top-exit" "tmux is not installed"
	exit 0
fi
have_tracefs
TFS=/sys/kernel/tracing/uprobe_events
W=$BIN/waiter
sock=$TMPD/tmux.sock
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT

# cpu_of CMD...: the CPU seconds (user + system) CMD took, as "0.123".
cpu_of() {
	/usr/bin/time -f "%U %S" -o "$TMPD/time" "$@" >/dev/null 2>&1
	awk '{ printf "%.3f", $1 + $2 }' "$TMPD/time"
}
# A bystander: another process of the probed binary, 300,000 calls.
bystander() { echo go | cpu_of $W 1 300000; }
base=$(bystander)
# Twice the unprobed run, or 50 ms of noise: a probe left armed costs ~10x.
limit=$(awk -v b="$base" 'BEGIN { l = 2 * b; if (l < b + 0.05) l = b + 0.05; printf "%.3f", l }')

# watch TARGET TOP ACTION [stay]: once target_func's first byte in TARGET is the
# breakpoint, run ACTION (a shell command) and time until the byte is back
# and until TOP is gone (or a zombie).  Prints "armed detach_ms exit_ms
# closing", closing being the share (%) of samples taken past 1 s, while
# top was still detaching or exiting, that found it out of its loop.
watch() {
	python3 - "$1" "$(func_addr "$1" "$W" target_func)" "$2" "$3" "${4:-exit}" <<'PY'
import os, subprocess, sys, time
pid, addr, top, action = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
exits = sys.argv[5] == "exit"	# else top is to stay (the view of an ended command)
def armed():
    # Opened anew each time: a handle taken before the exec reads the old mm.
    try:
        with open("/proc/%d/mem" % pid, "rb", buffering=0) as mem:
            mem.seek(addr)
            b = mem.read(1)
        return len(b) == 1 and b[0] == 0xCC
    except OSError:
        return False	# the target is gone: nothing of it is armed
def alive():
    try:
        st = open("/proc/%d/stat" % top).read()
    except OSError:
        return False
    return st[st.rindex(")") + 2] not in "ZX"
t = time.monotonic()
while not armed() and time.monotonic() - t < 10:
    time.sleep(0.01)
was = armed()
time.sleep(0.5)		# a refresh or more of the view
t0 = time.monotonic()
subprocess.run(action, shell=True)
def syscall():
    try:
        return open("/proc/%d/syscall" % top).read().split()[0]
    except (OSError, IndexError):
        return "gone"
detach = gone = None
late = []	# after 1 s: what top is doing, sampled
while (detach is None or gone is None) and time.monotonic() - t0 < 5:
    now = (time.monotonic() - t0) * 1000
    if detach is None and not armed():
        detach = now
    if gone is None and not alive():
        gone = now
    if now > 1000 and (detach is None or (exits and gone is None)) and len(late) < 50:
        late.append(syscall())
        time.sleep(0.005)
# Past 1 s, the share of samples that found top out of its loop: not
# running in user space nor waiting in read, poll, select or a sleep
# (x86-64 numbers) -- i.e. in close(2), exit_group(2) and the like, the
# kernel releasing its events.
loop = {"running", "0", "7", "23", "35", "230", "270", "271"}
closing = 100 * sum(1 for s in late if s not in loop) // len(late) if late else 100
print("%d %s %s %d" % (was, "%.0f" % detach if detach is not None else "-",
                       "%.0f" % gone if gone is not None else "-", closing))
PY
}

# start CMD: a fresh 100x30 terminal running CMD; prints the pane's pid.
start() {
	tm kill-server 2>/dev/null
	while [ -S "$sock" ] && tm has-session 2>/dev/null; do sleep 0.1; done
	rm -f "$sock"
	tm -f /dev/null new-session -d -x 100 -y 30 "$1" || return 1
	tm display -p '#{pane_pid}'
}

# one NAME HOW ATTACH TARGET: HOW ends top (q, INT, TERM, HUP, kill-session,
# hangup: the session killed while top is in a session of its own, so the
# terminal goes away without a SIGHUP); TARGET is "pid" (top -p a waiting
# process of the probed binary) or "cmd" (top -- that process).
one() {
	local name=$1 how=$2 attach=$3 target=$4 wpid="" tpid pane action cg=""
	local fifo=$TMPD/fifo out armed detach gone by during=""
	rm -f "$fifo" "$TMPD/wout"
	mkfifo "$fifo"
	if [ "$target" = pid ]; then
		$W 1 1000 <"$fifo" >"$TMPD/wout" &
		wpid=$!
		exec 7<>"$fifo"
		for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
		cmd="$USTAT top -d 0.2 --attach $attach -x $W target_func -p $wpid"
	else
		cmd="$USTAT top -d 0.2 --attach $attach -x $W target_func -- sh -c 'exec $W 1 1000 <$fifo'"
	fi
	if [ "$how" = hangup ]; then
		pane=$(start "exec setsid -w $cmd 2>$TMPD/top.err") || { fail "$name" "no tmux"; return; }
		for i in $(seq 50); do
			tpid=$(pgrep -P "$pane" | head -1)
			[ -n "$tpid" ] && break
			sleep 0.1
		done
	else
		pane=$(start "exec $cmd 2>$TMPD/top.err") || { fail "$name" "no tmux"; return; }
		tpid=$pane
	fi
	if [ "$target" = cmd ]; then
		exec 7<>"$fifo"
		for i in $(seq 100); do
			wpid=$(pgrep -P "$tpid" | head -1)
			[ -n "$wpid" ] && [ "$(readlink /proc/$wpid/exe)" = "$(realpath $W)" ] && break
			sleep 0.05
		done
	fi
	# Once the view is drawn the probes are set (a loaded machine's
	# uprobe_events writes can take seconds).
	for i in $(seq 300); do
		tm capture-pane -p 2>/dev/null | grep -q "uprobe-stat top" && break
		sleep 0.1
	done
	[ "$attach" = filter ] && during=$(bystander)
	case $how in
	q)		action="tmux -S $sock send-keys q" ;;
	kill-session|hangup) action="tmux -S $sock kill-session" ;;
	*)		action="kill -$how $tpid" ;;
	esac
	read -r armed detach gone closing < <(watch "$wpid" "$tpid" "$action")
	if [ "$attach" = cgroup ]; then
		cg=$(find /sys/fs/cgroup -maxdepth 4 -name "uprobe-stat.$tpid" 2>/dev/null | head -1)
	fi
	by=$(bystander)
	exec 7>&-
	[ "$target" = pid ] && wait "$wpid" 2>/dev/null
	echo "$name: breakpoint out ${detach} ms, top gone ${gone} ms after" >>"$TMPD/times"
	if [ "$armed" != 1 ]; then
		fail "$name" "the probe was never armed in the target ($(head -1 "$TMPD/top.err"))"
		return
	fi
	if [ "$gone" != - ] && [ "$gone" -le 1000 ] && [ "$detach" != - ] &&
	   [ "$detach" -le 1000 ]; then
		pass "$name: top gone ${gone} ms after, breakpoint out ${detach} ms after"
	elif [ "$gone" != - ] && [ "$detach" != - ] && [ "$closing" -ge 80 ]; then
		# Each event's release waits for an RCU grace period under the
		# kernel's event_mutex, which every tracer on the machine
		# shares: on a loaded machine that alone can pass 1 s.  top had
		# left its loop: past 1 s it was (nearly) always in the kernel.
		pass "$name: top gone ${gone} ms after, breakpoint out ${detach} ms after (past 1 s out of its loop ${closing}% of the time)"
	else
		fail "$name: top gone and detached within 1 s" \
			"gone '$gone' ms, detached '$detach' ms, out of its loop ${closing}% past 1 s"
	fi
	if [ -n "$during" ]; then
		if awk -v a="$during" -v b="$limit" 'BEGIN { exit !(a > b) }'; then
			pass "$name: control: the bystander pays while top runs (${during}s CPU)"
		else
			skip "$name: control" "the bystander paid only ${during}s CPU while top ran"
		fi
	fi
	check_eq "$name: no uprobe_events definition of top's left" 0 \
		"$(grep -c "uprobe_stat_$tpid/" $TFS)"
	check_eq "$name: no cgroup of top's left" "" "$cg"
	if awk -v a="$by" -v b="$limit" 'BEGIN { exit !(a <= b) }'; then
		pass "$name: a bystander runs at full speed after (${by}s CPU vs ${base}s unprobed)"
	else
		fail "$name: a bystander runs at full speed after" "${by}s CPU vs ${base}s unprobed"
	fi
}

for how in q INT TERM HUP kill-session hangup; do
	one "top -p, $how" $how auto pid
done
# Per-CPU events trap in every process mapping the file: a bystander after
# top would pay for any left behind.
for how in TERM kill-session; do
	one "top -p --attach filter, $how" $how filter pid
done
for how in INT kill-session; do
	one "top -- CMD --attach cgroup, $how" $how cgroup cmd
done

# The command ends: top detaches at once and keeps showing the numbers.
# Per-CPU cgroup events arm every process mapping the file, so a waiting
# bystander of the probed binary shows when the probe goes.
rm -f "$TMPD/fifo" "$TMPD/end" "$TMPD/wout"
mkfifo "$TMPD/fifo" "$TMPD/end"
$W 1 1000 <"$TMPD/fifo" >"$TMPD/wout" &
bpid=$!
exec 7<>"$TMPD/fifo"
for i in $(seq 50); do grep -q ready "$TMPD/wout" && break; sleep 0.1; done
pane=$(start "exec $USTAT top -d 0.2 --attach cgroup -x $W target_func -- sh -c 'read x <$TMPD/end' 2>$TMPD/top.err")
# The view is up and the command runs (reads the fifo) before it is told to end.
for i in $(seq 300); do tm capture-pane -p 2>/dev/null | grep -q "uprobe-stat top" && break; sleep 0.1; done
for i in $(seq 100); do pgrep -P "$pane" -x sh >/dev/null && break; sleep 0.1; done
read -r armed detach gone closing < <(watch "$bpid" "$pane" "echo x >$TMPD/end" stay)
echo "CMD ends: breakpoint out ${detach} ms after" >>"$TMPD/times"
if [ "$armed" != 1 ]; then
	skip "CMD ends: top detaches" "the bystander was never armed ($(head -1 "$TMPD/top.err"))"
elif [ "$detach" != - ] && [ "$gone" = - ] &&
     { [ "$detach" -le 1000 ] || [ "$closing" -ge 80 ]; }; then
	pass "CMD ends: the probe is out ${detach} ms after, the view stays"
else
	fail "CMD ends: the probe is out within 1 s, the view stays" \
		"detached '$detach' ms, top gone '$gone' ms"
fi
for i in $(seq 50); do tm capture-pane -p 2>/dev/null | grep -q ENDED && break; sleep 0.1; done
if tm capture-pane -p 2>/dev/null | grep -q ENDED; then
	pass "CMD ends: the view says ENDED"
else
	fail "CMD ends: the view says ENDED" "$(tm capture-pane -p 2>/dev/null | head -2)"
fi
tm send-keys q
for i in $(seq 50); do kill -0 "$pane" 2>/dev/null || break; sleep 0.1; done
check_eq "CMD ends: no cgroup of top's left" "" \
	"$(find /sys/fs/cgroup -maxdepth 4 -name "uprobe-stat.$pane" 2>/dev/null | head -1)"
exec 7>&-
wait "$bpid" 2>/dev/null
sed 's/^/# /' "$TMPD/times"
