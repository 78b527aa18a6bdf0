# SPDX-License-Identifier: GPL-2.0
# Reliability: signals at any moment, SIGKILL, a churning target, a full
# disk, and the safety of the output file.
. "$(dirname "$0")/lib.sh"

need_uprobes reliability || exit 0
TRIALS=${SIGNAL_TRIALS:-100}

# --- SIGINT, SIGTERM, SIGHUP at random moments: a complete file each time ---
bad=0 readable=0
for i in $(seq $TRIALS); do
	sig=$(shuf -n1 -e INT TERM HUP)
	data=$TMPD/sig.data
	rm -f "$data" "$data.old"
	$USTAT record -f -o "$data" handle_request handle_request%return -- $BIN/demo 2 4000 \
		>/dev/null 2>"$TMPD/err" &
	pid=$!
	# No program can catch a signal before its main() runs (exec, the
	# loader, ASan's start-up): the moments start when record has its
	# handlers (SigCgt holds HUP, INT and TERM), then anywhere from setup
	# to the end of the run (about 0.5 s here).
	for w in $(seq 200); do
		cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
		[ -z "$cgt" ] && break
		[ $((0x$cgt & 0x4003)) -eq $((0x4003)) ] && break
		sleep 0.01
	done
	sleep "0.$(shuf -i 0-60 -n1 | xargs printf '%02d')"
	kill -$sig $pid 2>/dev/null
	wait $pid
	rc=$?
	# Complete: finalized (no "did not finish" salvage), and stock perf reads it.
	if [ $rc -ne 0 ] || ! $USTAT report -i "$data" --json >"$TMPD/r.json" 2>"$TMPD/rerr" ||
	   grep -q "did not finish" "$TMPD/rerr"; then
		bad=$((bad + 1))
		echo "# trial $i (SIG$sig): rc=$rc $(head -1 "$TMPD/err") $(head -1 "$TMPD/rerr")"
		continue
	fi
	if have_perf && perf script -i "$data" >/dev/null 2>&1; then
		readable=$((readable + 1))
	fi
done
check_eq "$TRIALS random SIGINT/SIGTERM/SIGHUP: complete files" 0 $bad
if have_perf; then
	check_eq "stock perf script reads all $TRIALS" $TRIALS $readable
fi

# --- SIGKILL: nothing left in the kernel, the target back to full speed ---
have_tracefs && before_events=$(cat /sys/kernel/tracing/uprobe_events) &&
	before_profile=$(cat /sys/kernel/tracing/uprobe_profile)
$BIN/spin 4 >"$TMPD/spin" &
spin=$!
sleep 0.6
$USTAT record -o "$TMPD/kill.data" -p $spin target_func >/dev/null 2>&1 &
rec=$!
sleep 1.2
kill -KILL $rec
wait $rec 2>/dev/null
sleep 0.8
kill -0 $spin 2>/dev/null && pass "SIGKILL: the target keeps running" ||
	fail "SIGKILL: the target keeps running" "it died"
wait $spin
# Calls per 100 ms: before the probe (lines 2-4), probed, after the kill (last 5).
base=$(sed -n 2,4p "$TMPD/spin" | sort -n | tail -1)
after=$(tail -n 5 "$TMPD/spin" | sort -n | tail -1)
slow=$(sed -n 10,14p "$TMPD/spin" | sort -n | head -1)
if [ -n "$base" ] && [ -n "$after" ] && [ "$after" -ge $((base / 2)) ] && [ "$slow" -lt $((base / 2)) ]; then
	pass "SIGKILL: probed at $slow/100ms, back to full speed ($after vs $base before)"
else
	fail "SIGKILL: back to full speed" "before $base, probed $slow, after $after"
fi
if have_tracefs; then
	# A killed run's uprobe_events definitions (disarmed: their perf
	# events died with it) are swept by the next start.
	left=$(grep -c "uprobe_stat_$rec/" /sys/kernel/tracing/uprobe_events)
	$USTAT record -o "$TMPD/next.data" -x $BIN/spin target_func -- true \
		>/dev/null 2>"$TMPD/next.err"
	grep -q "removed $left uprobe definitions that a killed run left" "$TMPD/next.err" ||
		[ "$left" = 0 ] && pass "SIGKILL: the next start sweeps what it left ($left)" ||
		fail "SIGKILL: the next start sweeps what it left" "$(cat "$TMPD/next.err")"
	check_eq "SIGKILL: uprobe_events as before, after the next start" "$before_events" \
		"$(cat /sys/kernel/tracing/uprobe_events)"
	check_eq "SIGKILL: uprobe_profile as before, after the next start" "$before_profile" \
		"$(cat /sys/kernel/tracing/uprobe_profile)"
fi
$USTAT report -i "$TMPD/kill.data" >/dev/null 2>"$TMPD/err"
check_eq "SIGKILL: what was written still reads" 0 $?
grep -q "did not finish" "$TMPD/err" && pass "SIGKILL: report says the recording did not finish" ||
	fail "SIGKILL: report says the recording did not finish" "$(head -1 "$TMPD/err")"

# --- a churning target: threads, dlopen/dlclose, fork + exec ---
lib=$PWD/$BIN/elf/libelfsym.so
for mode in auto filter; do
	$USTAT record --attach $mode -o "$TMPD/life.data" target_func "$lib:libelfsym_func" \
		-- $BIN/lifecycle 4 300 "$lib" >"$TMPD/out" 2>"$TMPD/err"
	check_eq "churning target ($mode): record exits 0" 0 $?
	$USTAT report -i "$TMPD/life.data" --json >"$TMPD/l.json"
	eval "$(tr ' ' '\n' <"$TMPD/out")"	# target_func=N libelfsym_func=M
	check_eq "churning target ($mode): exact hits in forked children and threads" \
		"$target_func" "$(probe_hits "$TMPD/l.json" target_func)"
	check_eq "churning target ($mode): exact hits through dlclose/dlopen" \
		"$libelfsym_func" "$(probe_hits "$TMPD/l.json" "$lib:libelfsym_func")"
done

# --- a full disk: a clear error, and no broken file left as if good ---
mnt=$TMPD/full
mkdir -p "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	$USTAT record -o "$mnt/full.data" target_func -- $BIN/hits 2 20000 0 >/dev/null 2>"$TMPD/err"
	rc=$?
	[ $rc -ne 0 ] && grep -q "No space left on device" "$TMPD/err" &&
		pass "full disk: a clear error ($(head -1 "$TMPD/err" | cut -c1-60)...)" ||
		fail "full disk: a clear error" "rc=$rc $(head -1 "$TMPD/err")"
	if [ -e "$mnt/full.data" ]; then
		$USTAT report -i "$mnt/full.data" >/dev/null 2>&1 &&
			pass "full disk: the file left is valid" ||
			fail "full disk: the file left is valid or removed" "a broken file remains"
	else
		pass "full disk: the partial file is removed"
	fi
	mount -o remount,ro "$mnt"
	$USTAT record -o "$mnt/ro.data" target_func -- $BIN/hits 1 1 0 >/dev/null 2>"$TMPD/err"
	[ $? -ne 0 ] && grep -q "Read-only file system" "$TMPD/err" &&
		pass "read-only output: a clear error" ||
		fail "read-only output: a clear error" "$(head -1 "$TMPD/err")"
	umount "$mnt"
else
	skip "full disk" "cannot mount a tmpfs here"
fi

# --- the output file: 0600, never through a symlink, FILE.old kept ---
out=$TMPD/o.data
$USTAT record -o "$out" target_func -- $BIN/hits 1 5 0 >/dev/null 2>&1
check_eq "output is created 0600" 600 "$(stat -c %a "$out")"
echo first >"$TMPD/marker"
cp "$out" "$TMPD/first.data"
$USTAT record -o "$out" target_func -- $BIN/hits 1 7 0 >/dev/null 2>&1
cmp -s "$out.old" "$TMPD/first.data" && pass "an existing output is kept as FILE.old" ||
	fail "an existing output is kept as FILE.old" "FILE.old differs"
$USTAT record -f -o "$out" target_func -- $BIN/hits 1 9 0 >/dev/null 2>&1
cmp -s "$out.old" "$TMPD/first.data" && pass "-f overwrites without touching FILE.old" ||
	fail "-f overwrites without touching FILE.old" "FILE.old changed"
ln -s "$TMPD/marker" "$TMPD/link.data"
$USTAT record -o "$TMPD/link.data" target_func -- $BIN/hits 1 1 0 >/dev/null 2>"$TMPD/err"
[ $? -ne 0 ] && [ "$(cat "$TMPD/marker")" = first ] &&
	pass "never writes through a symlink ($(head -1 "$TMPD/err" | cut -c1-50)...)" ||
	fail "never writes through a symlink" "$(cat "$TMPD/marker")"
