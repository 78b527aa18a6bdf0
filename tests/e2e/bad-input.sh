# SPDX-License-Identifier: GPL-2.0
# Bad input: one line on stderr naming the problem, a non-zero exit, no crash.
. "$(dirname "$0")/lib.sh"

H=$BIN/hits
printf 'not a perf file at all\n' >"$TMPD/text"
: >"$TMPD/empty"
cp $H "$TMPD/stripped" && strip --strip-all "$TMPD/stripped"
# Damaged perf.data files, made from a good one (perfdata-mutate.py).
M="python3 tests/e2e/perfdata-mutate.py"
GOOD=$TMPD/good.data
if $USTAT record --no-signals -o "$GOOD" target_func -- $H 1 10 0 >/dev/null 2>&1; then
	$M "$GOOD" "$TMPD/trunc.data" truncate 200
	$M "$GOOD" "$TMPD/swapped.data" swap-magic
	$M "$GOOD" "$TMPD/attrsize.data" attr-size 0x7fffffff
	$M "$GOOD" "$TMPD/datasize.data" data-size 0x7fffffffffff
	$M "$GOOD" "$TMPD/noattrs.data" attrs-size 0
	$M "$GOOD" "$TMPD/garbage.data" garbage-data
	$M "$GOOD" "$TMPD/zerorec.data" zero-record
	$M "$GOOD" "$TMPD/future.data" add-feature 45
else
	GOOD=
fi

# name | expected message (a fixed substring) | command after $USTAT
while IFS='|' read -r name msg args; do
	[ -z "$name" ] && continue
	if [[ "$args" == *.data* ]] && [ -z "$GOOD" ]; then
		skip "$name" "no perf.data to damage (recording needs root and the uprobe PMU)"
		continue
	fi
	eval "set -- $args"
	"$USTAT" "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "$name" "exit status $rc (wanted 1..127)"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "$name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "$lines lines on stderr: $(tr '\n' '|' <"$TMPD/err")"
	else
		pass "$name"
	fi
done <<EOT
missing binary|cannot find binary '/nonexistent/bin'|record -x /nonexistent/bin func -- true
binary is not ELF|is not an ELF file|record -x $TMPD/text func -- true
unknown symbol|symbol 'no_such_function' not found|record no_such_function -- $H 1 1
malformed spec: bad offset|bad offset 'zz'|record 'target_func+zz' -- $H 1 1
malformed spec: modifier|unknown modifier '%ret'|record 'target_func%ret' -- $H 1 1
malformed spec: return at offset|must be on the function entry|record 'target_func+4%return' -- $H 1 1
malformed spec: empty binary|empty binary before ':'|record ':target_func' -- $H 1 1
offset past the function|is past the end of target_func|record 'target_func+0x100000' -- $H 1 1
bad pid: not a number|invalid pid 'abc'|record -p abc -x $H target_func
bad pid: no such process|no process with pid 2147483646|record -p 2147483646 -x $H target_func
no target|no target: give -- CMD, -p PID or -a|record -x $H target_func
two targets|give only one target|record -a -p 1 -x $H target_func
no probe|no probe given|record -- $H 1 1
command does not exist|cannot run '/nonexistent/cmd'|record -x $H target_func -- /nonexistent/cmd
ring buffer not a power of two|must be a power of two pages|record -m 3 target_func -- $H 1 1
unknown attach mode|unknown --attach 'sideways'|record --attach sideways target_func -- $H 1 1
output is a directory|exists and is not a regular file|record -o $TMPD target_func -- $H 1 1
report: not a perf.data file|not a perf.data file (bad magic)|report -i $TMPD/text
report: empty file|not a perf.data file (too short)|report -i $TMPD/empty
report: missing file|cannot open '/nonexistent/perf.data'|report -i /nonexistent/perf.data
report: a directory|is not a regular file|report -i $TMPD
report: unknown sort key|unknown --sort key 'colour'|report -i $TMPD/text --sort colour
report: two formats|exclude each other|report --json --csv -i $TMPD/text
script: not a perf.data file|not a perf.data file (bad magic)|script -i $TMPD/text
unknown subcommand|unknown subcommand 'frobnicate'|frobnicate
stripped binary|(it is stripped: only exported symbols are left)|record -x $TMPD/stripped target_func -- $H 1 1
perf.data cut short|header points outside the file (truncated?)|report -i $TMPD/trunc.data
perf.data of the other byte order|other byte order is not supported|report -i $TMPD/swapped.data
perf.data with an absurd attr size|unexpected attr size 2147483647|report -i $TMPD/attrsize.data
perf.data with an absurd data size|data section runs past the end of the file|report -i $TMPD/datasize.data
perf.data without attrs|bad attrs section (0 bytes|report -i $TMPD/noattrs.data
perf.data with garbage records|overruns the data section|report -i $TMPD/garbage.data
perf.data with a record of size 0|bad record size 0 at offset|script -i $TMPD/zerorec.data
EOT

# A feature bit no perf defines yet: ignored, as perf ignores it.
if [ -n "$GOOD" ]; then
	$USTAT report -i "$TMPD/future.data" --json >"$TMPD/f.json" 2>"$TMPD/err"
	check_eq "unknown feature bits are ignored" "0 10" \
		"$? $(jq_get "$TMPD/f.json" '.probes[0].hits')"
else
	skip "unknown feature bits are ignored" "no perf.data to change"
fi

# One line, non-zero exit: for the checks that need a special setting.
expect_error() {	# NAME MESSAGE COMMAND...
	local name=$1 msg=$2 rc
	shift 2
	"$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		fail "$name" "exit status $rc"
	elif ! grep -qF -- "$msg" "$TMPD/err"; then
		fail "$name" "message '$(head -1 "$TMPD/err")' lacks '$msg'"
	elif [ "$(wc -l <"$TMPD/err")" -ne 1 ]; then
		fail "$name" "$(wc -l <"$TMPD/err") lines on stderr"
	else
		pass "$name"
	fi
}

# No uprobe PMU: hide it in a mount namespace of our own.
if have_root && command -v unshare >/dev/null; then
	expect_error "no uprobe PMU" "this kernel has no uprobe PMU" \
		unshare -m sh -c "mount -t tmpfs none /sys/bus/event_source/devices &&
			exec $USTAT record target_func -- $H 1 1"
else
	skip "no uprobe PMU" "needs root and unshare"
fi

# An unprivileged user with perf_event_paranoid at 2 (Debian's default).
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)
if have_root && command -v setpriv >/dev/null && [ "${paranoid:-0}" -ge 2 ]; then
	chmod 755 "$TMPD"
	expect_error "unprivileged user, perf_event_paranoid $paranoid" \
		"permission denied attaching uprobe 'target_func': run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		$USTAT record -o "$TMPD/nobody.data" target_func -- $H 1 1
else
	skip "unprivileged user" "needs root, setpriv and perf_event_paranoid >= 2"
fi
