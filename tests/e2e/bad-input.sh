# SPDX-License-Identifier: GPL-2.0
# Bad input: one line on stderr naming the problem, a non-zero exit, no crash.
. "$(dirname "$0")/lib.sh"

H=$BIN/hits
printf 'not a perf file at all\n' >"$TMPD/text"
: >"$TMPD/empty"

# name | expected message (a fixed substring) | command after $USTAT
while IFS='|' read -r name msg args; do
	[ -z "$name" ] && continue
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
EOT
