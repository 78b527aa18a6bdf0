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
