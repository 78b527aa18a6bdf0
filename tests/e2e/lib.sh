# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the end-to-end tests (sourced, not run).
#
# Each check prints one line: PASS: name | FAIL: name: why | SKIP: name: why
# (tests/run-tests.sh counts them).  Tests run from the top of the tree.

USTAT=${USTAT:-./perf-uprobe-stat}
BIN=${BIN:-build/tests}
TMPD=$(mktemp -d /tmp/ustat-e2e.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# check_ge NAME MIN ACTUAL
check_ge() {
	if [ -n "$3" ] && [ "$3" -ge "$2" ] 2>/dev/null; then pass "$1"
	else fail "$1" "expected >= $2, got '$3'"; fi
}

# What this machine can do; a missing piece makes the tests that need it SKIP.
have_root() { [ "$(id -u)" = 0 ]; }
have_uprobe_pmu() { [ -r /sys/bus/event_source/devices/uprobe/type ]; }
have_perf() { command -v perf >/dev/null 2>&1 && perf --version >/dev/null 2>&1; }
have_tracefs() {
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	[ -w /sys/kernel/tracing/uprobe_events ]
}

# need_uprobes NAME: true if real uprobes can be recorded here, else SKIP NAME.
need_uprobes() {
	if ! have_root; then skip "$1" "needs root to attach uprobes"; return 1; fi
	if ! have_uprobe_pmu; then skip "$1" "kernel has no uprobe PMU"; return 1; fi
	return 0
}

# jq_get FILE FILTER: one value from a JSON report.
jq_get() { jq -r "$2" "$1" 2>/dev/null; }

# probe_hits JSON NAME: hits of probe NAME in a report --json output.
probe_hits() { jq_get "$1" ".probes[] | select(.name == \"$2\") | .hits"; }

# record_json NAME ARGS...: record ARGS (probes, then -- CMD) without the
# kernel events into $TMPD/p.data and report it as JSON into $TMPD/r.json;
# a failed record is a FAIL named NAME.
record_json() {
	local name=$1
	shift
	if ! $USTAT record -f -o "$TMPD/p.data" --no-signals "$@" >"$TMPD/out" 2>"$TMPD/err"; then
		fail "$name: record" "$(tail -1 "$TMPD/err")"
		return 1
	fi
	$USTAT report -i "$TMPD/p.data" --json >"$TMPD/r.json"
}

# func_addr PID BINARY FUNC: the address (decimal) of BINARY's FUNC in the
# memory of PID, which maps BINARY; reading it there shows a breakpoint
# (0xcc) while a uprobe is armed on FUNC.
func_addr() {
	python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys
pid, binary, func = int(sys.argv[1]), sys.argv[2], sys.argv[3]
nm = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
sym = int([l.split()[0] for l in nm.splitlines() if l.endswith(" " + func)][0], 16)
real = os.path.realpath(binary)
for line in open("/proc/%d/maps" % pid):
    f = line.split()
    if len(f) >= 6 and os.path.realpath(f[5]) == real and int(f[2], 16) == 0:
        print(int(f[0].split("-")[0], 16) + sym)
        break
PY
}

# bad_inputs: each line "NAME|MESSAGE|ARGS" of stdin runs $USTAT ARGS (split
# as the shell splits them): it must fail (status 1-127, no crash) with one
# line on stderr that contains MESSAGE.
bad_inputs() {
	local name msg args rc

	while IFS='|' read -r name msg args; do
		[ -z "$name" ] && continue
		eval "set -- $args"
		"$USTAT" "$@" >/dev/null 2>"$TMPD/err" </dev/null
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
			fail "$name" "exit status $rc"
		elif ! grep -qF -- "$msg" "$TMPD/err" || [ "$(wc -l <"$TMPD/err")" -ne 1 ]; then
			fail "$name" "$(tr '\n' '|' <"$TMPD/err")"
		else
			pass "$name"
		fi
	done
}
