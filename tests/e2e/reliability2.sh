# SPDX-License-Identifier: GPL-2.0
# Reliability, part 2 (issue 22): no silent loss, no hang, no terminal
# injection, errors that tell the truth.  Every command runs under timeout,
# and a check fails if the timeout was hit.
. "$(dirname "$0")/lib.sh"

H=$BIN/hits
TO=${RELIAB_TIMEOUT:-20}

# bounded NAME SECS CMD...: run CMD (stdout, stderr to $TMPD/out, err), its
# status in $rc; false, and NAME fails, if it had to be killed.
bounded() {
	local name=$1 secs=$2
	shift 2
	timeout -k 5 "$secs" "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		fail "$name" "hung: killed after ${secs}s"
		return 1
	fi
	return 0
}

# interrupt NAME PID: SIGINT to PID (a child of ours), its status in $rc;
# false, and NAME fails, if it did not end within $TO seconds.
interrupt() {
	local name=$1 pid=$2 i
	kill -INT $pid
	for i in $(seq $((TO * 10))); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $pid 2>/dev/null; then
		kill -KILL $pid
		wait $pid
		fail "$name" "hung: still running ${TO}s after SIGINT"
		return 1
	fi
	wait $pid
	rc=$?
	return 0
}

# refuse NAME MESSAGE CMD...: one line on stderr holding MESSAGE, exit 1..127.
refuse() {
	local name=$1 msg=$2
	shift 2
	bounded "$name" $TO "$@" || return 1
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "$name" "exit status $rc (wanted 1..127): $(head -1 "$TMPD/err")"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "$name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$(wc -l <"$TMPD/err")" -ne 1 ]; then
		fail "$name" "$(wc -l <"$TMPD/err") lines on stderr: $(tr '\n' '|' <"$TMPD/err")"
	else
		pass "$name"
	fi
}

# A recording to read back, made once (needs root and the uprobe PMU).
GOOD=
if have_root && have_uprobe_pmu &&
   timeout 60 $USTAT record --no-signals -o "$TMPD/good.data" target_func -- $H 1 10 0 \
	>/dev/null 2>&1; then
	GOOD=$TMPD/good.data
fi

# --- 3. FIFOs and other non-regular inputs are refused, not waited on ---
mkfifo "$TMPD/fifo"
refuse "report -i FIFO" "is not a regular file" $USTAT report -i "$TMPD/fifo"
refuse "script -i FIFO" "is not a regular file" $USTAT script -i "$TMPD/fifo"
refuse "report -i - (stdin empty: no stream)" "no perf.data stream" $USTAT report -i -
refuse "list -x FIFO" "is not a regular file" $USTAT list --funcs -x "$TMPD/fifo"
refuse "record -x FIFO" "is not a regular file" $USTAT record -o "$TMPD/x.data" -x "$TMPD/fifo" \
	target_func -- $H 1 1
# A FIFO where the build-id debug file of a binary would be.
# Its debuginfo stripped, the binary's DWARF is looked up by build id.
cp $H "$TMPD/nodebug" && strip --strip-debug "$TMPD/nodebug"
bid=$(readelf -n "$TMPD/nodebug" 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p' | head -1)
if [ -n "$bid" ] && have_root && command -v unshare >/dev/null; then
	d=/usr/lib/debug/.build-id/${bid:0:2}
	bounded "list --funcs with a FIFO as debug file" $TO unshare -m sh -c \
		"mkdir -p /usr/lib/debug/.build-id && mount -t tmpfs none /usr/lib/debug/.build-id &&
		 mkdir -p $d && mkfifo $d/${bid:2}.debug && exec $USTAT list --funcs -x $TMPD/nodebug" &&
	if [ $rc -eq 0 ] && grep -qx target_func "$TMPD/out"; then
		pass "list --funcs with a FIFO as debug file: ignored, symbols listed"
	else
		fail "list --funcs with a FIFO as debug file" "rc $rc: $(head -1 "$TMPD/err")"
	fi
else
	skip "list --funcs with a FIFO as debug file" "needs a build id, root and unshare"
fi

# --- 6. No terminal injection: names from files are escaped on output ---
# A binary whose symbol name is patched to hold an OSC "set title" sequence.
cat >"$TMPD/evil.c" <<'EOF'
__attribute__((noinline, noipa)) void zzevil_title_func(void) { __asm__ volatile(""); }
int main(void) { zzevil_title_func(); return 0; }
EOF
if gcc -O1 -g0 -o "$TMPD/evil" "$TMPD/evil.c" 2>/dev/null &&
   python3 - "$TMPD/evil" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
old = b'zzevil_title_func'
new = b'\x1b]0;PWNED\x07\x9b' + b'x' * (len(old) - 11)
assert len(new) == len(old) and old in b
open(p, 'wb').write(b.replace(old, new))
EOF
then
	bounded "list --funcs: control bytes escaped" $TO $USTAT list --funcs -x "$TMPD/evil" &&
	if grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TMPD/out" || grep -qa $'\xc2\x9b\|\x9b' "$TMPD/out"; then
		fail "list --funcs: control bytes escaped" "raw control bytes in the output"
	elif grep -qF '\x1b]0;PWNED\x07\x9bxxxxxx' "$TMPD/out"; then
		pass "list --funcs: control bytes escaped as \\xNN"
	else
		fail "list --funcs: control bytes escaped" "name not found: $(head -3 "$TMPD/out")"
	fi
else
	skip "list --funcs: control bytes escaped" "cannot build the patched binary"
fi
# A target path with an escape in it: report's header, JSON, script.
evil=$'h\x1b[2Jx'
cp $H "$TMPD/$evil"
if have_root && have_uprobe_pmu &&
   timeout $TO $USTAT record --no-signals -o "$TMPD/evil.data" target_func -- \
	"$TMPD/$evil" 1 5 0 >/dev/null 2>&1; then
	bounded "report: target path escaped" $TO $USTAT report -i "$TMPD/evil.data" &&
	if grep -q $'\x1b' "$TMPD/out"; then
		fail "report: target path escaped" "a raw ESC in the report"
	elif grep -qF 'h\x1b[2Jx' "$TMPD/out"; then
		pass "report: target path escaped as \\x1b"
	else
		fail "report: target path escaped" "$(grep target: "$TMPD/out")"
	fi
	bounded "report --json: target path a JSON escape" $TO \
		$USTAT report -i "$TMPD/evil.data" --json &&
	check_eq "report --json: target path a JSON escape" "1" \
		"$(jq -r '.target' "$TMPD/out" 2>/dev/null | grep -c $'h\x1b\\[2Jx')"
else
	skip "report: target path escaped" "recording needs root and the uprobe PMU"
fi
refuse "error messages: one line, escaped" "no_such_func\\x1b" \
	$USTAT record -o "$TMPD/x.data" $'no_such_func\x1b[2J' -- $H 1 1

# --- 8. Write errors: said once, non-zero exit ---
for c in "list --funcs -x $H" "list --kernel" "bench -k base -t 1 -r 1 -d 0.05 -w 0.01"; do
	name="$(echo $c | cut -d' ' -f1-2) >/dev/full"
	timeout -k 5 $TO $USTAT $c >/dev/full 2>"$TMPD/err" </dev/null
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		fail "$name" "hung"
	elif [ $rc -eq 0 ]; then
		fail "$name" "exit status 0"
	elif [ "$(grep -c 'write error' "$TMPD/err")" != 1 ]; then
		fail "$name" "no single 'write error' line: $(tr '\n' '|' <"$TMPD/err")"
	else
		pass "$name: one 'write error' line, exit $rc"
	fi
done
if [ -n "$GOOD" ]; then
	for c in "report" "report --json" "report --csv" "script"; do
		timeout -k 5 $TO $USTAT $c -i "$GOOD" >/dev/full 2>"$TMPD/err" </dev/null
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $rc -eq 137 ] ||
		   [ "$(wc -l <"$TMPD/err")" != 1 ] || ! grep -q 'write error' "$TMPD/err"; then
			fail "$c >/dev/full" "rc $rc: $(tr '\n' '|' <"$TMPD/err")"
		else
			pass "$c >/dev/full: one 'write error' line, exit $rc"
		fi
	done
fi

# --- 7. Nonsense refused at once, on one line ---
if have_root && have_uprobe_pmu; then
	refuse "-p of a kernel thread" "is a kernel thread" \
		$USTAT record -o "$TMPD/x.data" -x $H -p 2 target_func
	refuse "-p 2, (an empty pid)" "an empty pid" \
		$USTAT record -o "$TMPD/x.data" -x $H -p 2, target_func
	# The tool's own pid: a shell that becomes it keeps its pid.
	refuse "-p of the tool itself" "is this uprobe-stat itself" \
		sh -c "exec $USTAT record -o $TMPD/x.data -x $H -p \$\$ target_func"
	cp $H "$TMPD/arm64" && printf '\267\000' |
		dd of="$TMPD/arm64" bs=1 seek=18 conv=notrunc 2>/dev/null
	if [ "$(uname -m)" = x86_64 ]; then
		refuse "an AArch64 ELF on x86-64" "is an AArch64 binary" \
			$USTAT record -o "$TMPD/x.data" -x "$TMPD/arm64" target_func -- $H 1 1
	else
		skip "an AArch64 ELF on x86-64" "not x86-64"
	fi
	refuse "a probe name with a newline" "control character 0xa" \
		$USTAT record -o "$TMPD/x.data" $'target\nfunc' -- $H 1 1
else
	skip "-p and probe checks" "recording needs root and the uprobe PMU"
fi
if [ -n "$GOOD" ]; then
	refuse "report --sort probe,probe" "--sort key 'probe' given twice" \
		$USTAT report -i "$GOOD" --sort probe,probe
	refuse "report --paused without --tui" "--paused needs --tui" \
		$USTAT report -i "$GOOD" --paused
fi

# --- 1. -m: checked as perf checks it; never "0 lost" for nothing delivered ---
if have_root && have_uprobe_pmu; then
	for m in 1048576 2147483648 4294967296; do
		rm -f "$TMPD/m.data"
		refuse "-m $m refused" "more than a perf ring buffer can be" \
			$USTAT record -o "$TMPD/m.data" -m $m target_func -- $H 1 1000 0
		[ -e "$TMPD/m.data" ] && fail "-m $m: no file written" "$TMPD/m.data exists"
	done
	refuse "-m 3 refused" "must be a power of two pages" \
		$USTAT record -o "$TMPD/m.data" -m 3 target_func -- $H 1 1000 0
	refuse "-m 12X refused" "give a number of pages or a size" \
		$USTAT record -o "$TMPD/m.data" -m 12X target_func -- $H 1 1000 0
	for m in 4M 64; do
		bounded "-m $m records every call" $TO \
			$USTAT record --no-signals -o "$TMPD/m.data" -f -m $m target_func -- $H 1 1000 0 &&
		bounded "-m $m records every call" $TO $USTAT report -i "$TMPD/m.data" --json &&
		check_eq "-m $m records every call" 1000 "$(probe_hits "$TMPD/out" target_func)"
	done
	paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)
	if command -v setpriv >/dev/null && [ "${paranoid:-0}" -ge 0 ]; then
		chmod 755 "$TMPD"
		refuse "-m past perf_event_mlock_kb and RLIMIT_MEMLOCK (non-root)" \
			"more than perf_event_mlock_kb" \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			$USTAT record -o "$TMPD/nobody.data" -m 65536 target_func -- $H 1 1
	else
		skip "-m past the mlock limits (non-root)" "needs setpriv, perf_event_paranoid >= 0"
	fi
fi

# --- 5. A start that fails keeps perf.data and perf.data.old as they were ---
if have_root && have_uprobe_pmu; then
	mkdir -p "$TMPD/rot" "$TMPD/adir"
	echo newest >"$TMPD/rot/p.data"
	echo older >"$TMPD/rot/p.data.old"
	# A directory as CMD, and a file that cannot be executed (exec fails late).
	printf 'not a program\n' >"$TMPD/noexec" && chmod 644 "$TMPD/noexec"
	for cmd in "$TMPD/adir" "$TMPD/noexec"; do
		refuse "failed start ($(basename $cmd)): one line" "cannot run" \
			$USTAT record -o "$TMPD/rot/p.data" -x $H target_func -- "$cmd"
		check_eq "failed start ($(basename $cmd)): files untouched" "newest older" \
			"$(cat "$TMPD/rot/p.data" "$TMPD/rot/p.data.old" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
		check_eq "failed start ($(basename $cmd)): nothing else left" "p.data p.data.old" \
			"$(ls "$TMPD/rot" | tr '\n' ' ' | sed 's/ $//')"
	done
	bounded "a good start rotates" $TO \
		$USTAT record --no-signals -o "$TMPD/rot/p.data" target_func -- $H 1 10 0 &&
	check_eq "a good start rotates" "0 newest" "$rc $(cat "$TMPD/rot/p.data.old")"
fi

# --- 4. How CMD ended: in the summary, the report, the JSON, record's exit ---
if have_root && have_uprobe_pmu; then
	bounded "CMD killed by SIGSEGV" $TO $USTAT record --no-signals -o "$TMPD/segv.data" \
		-x $H target_func -- sh -c "$H 1 10 0 >/dev/null; kill -SEGV \$\$" &&
	check_eq "CMD killed by SIGSEGV: record exits 139, as perf does" 139 $rc
	check_eq "CMD killed by SIGSEGV: the summary says so" 1 \
		"$(grep -c "killed by signal 11 (SIGSEGV)" "$TMPD/err")"
	bounded "CMD killed by SIGSEGV: report" $TO $USTAT report -i "$TMPD/segv.data" &&
	check_eq "CMD killed by SIGSEGV: the report header says so" \
		"# command: killed by signal 11 (SIGSEGV)" "$(grep '^# command:' "$TMPD/out")"
	bounded "CMD killed by SIGSEGV: JSON" $TO $USTAT report -i "$TMPD/segv.data" --json &&
	check_eq "CMD killed by SIGSEGV: JSON command_end" "killed 11" \
		"$(jq -r '.command_end | "\(.how) \(.signal)"' "$TMPD/out" 2>/dev/null)"
	bounded "CMD exits 3" $TO $USTAT record --no-signals -o "$TMPD/exit3.data" \
		-x $H target_func -- sh -c "exit 3" &&
	check_eq "CMD exits 3: record exits 3, the summary says so" "3 1" \
		"$rc $(grep -c "exited with status 3" "$TMPD/err")"
fi

# --- 10. At Ctrl-C, CMD stops before the probes: no call goes unrecorded ---
if have_root && have_uprobe_pmu; then
	bad=0
	for i in 1 2 3 4 5; do
		$USTAT record --no-signals -o "$TMPD/stop.data" -f -m 4096 \
			target_func -- $BIN/counter >"$TMPD/calls" 2>"$TMPD/err" &
		rec=$!
		sleep 1.5
		interrupt "Ctrl-C: every call CMD made is recorded" $rec || continue
		calls=$(sed -n 's/^calls=//p' "$TMPD/calls")
		timeout $TO $USTAT report -i "$TMPD/stop.data" --json >"$TMPD/stop.json" 2>/dev/null
		got=$(jq -r '[(.probes[] | select(.name == "target_func") | .hits), .lost] | add' \
			"$TMPD/stop.json" 2>/dev/null)
		if [ $rc -ne 0 ] || [ -z "$calls" ] || [ "$got" != "$calls" ]; then
			bad=$((bad + 1))
			echo "# trial $i: rc $rc, $calls calls, $got hits + lost; $(tail -1 "$TMPD/err")"
		fi
	done
	check_eq "Ctrl-C: every call CMD made is recorded (hits + lost = calls, 5 trials)" 0 $bad
	# A CMD that dies of the SIGTERM: stopped, not crashed; record exits 0.
	$USTAT record --no-signals -o "$TMPD/stop.data" -f \
		target_func -- $BIN/spin 30 >/dev/null 2>"$TMPD/err" &
	rec=$!
	sleep 1
	interrupt "Ctrl-C: record exits 0" $rec &&
	check_eq "Ctrl-C: record exits 0, the summary says CMD was stopped with it" "0 1" \
		"$rc $(grep -c "'$BIN/spin' stopped with the recording (SIGTERM)" "$TMPD/err")"
fi

# --- 2. Identical probes are one probe; setup is linear and stops on a signal ---
if have_root && have_uprobe_pmu; then
	bounded "10,000 copies of one probe" $TO $USTAT record --no-signals -o "$TMPD/dup.data" \
		-x $H $(yes target_func | head -10000) -- $H 1 10 0 &&
	check_eq "10,000 copies of one probe: exit 0, one warning" "0 1" \
		"$rc $(grep -c "probe 'target_func' given 10000 times: it is probed once" "$TMPD/err")"
	bounded "10,000 copies: report" $TO $USTAT report -i "$TMPD/dup.data" --json &&
	check_eq "10,000 copies: one probe, each call counted once" "1 10" \
		"$(jq -r '[(.probes | length), .probes[0].hits] | map(tostring) | join(" ")' \
			"$TMPD/out" 2>/dev/null)"
	# The same site spelled three ways.
	bounded "one site, three spellings" $TO $USTAT record --no-signals -o "$TMPD/dup.data" \
		-x $H target_func "$H:target_func" target_func+0 -- $H 1 10 0 &&
	check_eq "one site, three spellings: two warnings" 2 \
		"$(grep -c "is the same site as 'target_func'" "$TMPD/err")"
	bounded "one site, three spellings: report" $TO $USTAT report -i "$TMPD/dup.data" --json &&
	check_eq "one site, three spellings: counted once" "1 10" \
		"$(jq -r '[(.probes | length), .probes[0].hits] | map(tostring) | join(" ")' \
			"$TMPD/out" 2>/dev/null)"
	# 100 distinct probes (global functions of a copy of the tool, never
	# called) and a SIGINT during their setup: it ends with the setup.
	cp $USTAT "$TMPD/big"
	specs=$(nm --defined-only "$TMPD/big" | awk '$2 == "T" && $3 !~ /^_/ {print $3}' |
		sort -u | head -100)
	$USTAT record --no-signals -o "$TMPD/many.data" -x "$TMPD/big" $specs -- $H 1 10 0 \
		>/dev/null 2>"$TMPD/err" &
	rec=$!
	sleep 0.3
	t0=$(date +%s)
	interrupt "SIGINT during the setup of 100 probes" $rec &&
	check_eq "SIGINT during the setup of 100 probes: ends, exit 0 (took $(( $(date +%s) - t0 )) s)" \
		0 $rc
	bounded "SIGINT during setup: the file is complete" $TO \
		$USTAT report -i "$TMPD/many.data" --json &&
	check_eq "SIGINT during setup: the file is complete, no hits" "0 0" \
		"$rc $(jq -r '[.probes[].hits] | add // 0' "$TMPD/out" 2>/dev/null)"
fi

# --- 9. report's reorder queue is bounded by memory, not by the file's rounds ---
# 1,000,000 samples (56 MB) in one round: the whole file is one batch.
if $BIN/gen-perf-data "$TMPD/round.data" 2 2 1000000 1000 0 >"$TMPD/gen" 2>/dev/null; then
	bounded "report of a 56 MB single-round file" $TO \
		/usr/bin/time -f "maxrss_kb=%M" $USTAT report -i "$TMPD/round.data" --json &&
	check_eq "report of a 56 MB single-round file: every hit counted" \
		"$(awk '{ print $2 }' "$TMPD/gen" | tr '\n' ' ')" \
		"$(jq -r '.probes[].hits' "$TMPD/out" 2>/dev/null | tr '\n' ' ')"
	rss=$(sed -n 's/^maxrss_kb=//p' "$TMPD/err")
	if [ -n "${ASAN_OPTIONS:-}" ]; then
		# AddressSanitizer's shadow and quarantine add their own tens of MiB.
		skip "report of a 56 MB single-round file: RSS < 32 MiB" \
			"not measured under AddressSanitizer (RSS ${rss:-?} KiB)"
	elif [ -n "$rss" ] && [ "$rss" -lt 32768 ]; then
		pass "report of a 56 MB single-round file: RSS ${rss} KiB < 32 MiB"
	else
		fail "report of a 56 MB single-round file: RSS < 32 MiB" "RSS ${rss:-?} KiB"
	fi
else
	skip "report of a single-round file" "gen-perf-data failed"
fi
