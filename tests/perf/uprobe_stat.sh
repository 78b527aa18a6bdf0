#!/bin/bash
# perf uprobe-stat record, report and script
# SPDX-License-Identifier: GPL-2.0
#
# A uprobe and a return probe on brstack_bench() of perf's own brstack
# workload, which calls it N / 2 + 1 times: the hits counted by report and
# printed by 'perf uprobe-stat script' and 'perf script' must be exactly
# that, and nothing may be left in uprobe_events afterwards.

err=0
loops=1000
calls=$((loops / 2 + 1))
perfdata=$(mktemp /tmp/__perf_test.uprobe_stat.perf.data.XXXXX)
result=$(mktemp /tmp/__perf_test.uprobe_stat.result.XXXXX)

cleanup() {
	rm -f "${perfdata}" "${perfdata}.old" "${result}"
	trap - EXIT TERM INT
}

trap_cleanup() {
	cleanup
	exit ${err}
}
trap trap_cleanup EXIT TERM INT

skip() {
	echo "[Skip] $1"
	err=2
	exit
}

fail() {
	echo "[Fail] $1"
	err=1
	exit
}

check() {
	# Built only with libtraceevent, libelf and libdw.
	perf uprobe-stat -h 2>&1 | grep -q 'is not a perf-command' && skip "perf has no uprobe-stat"
	[ "$(id -u)" = 0 ] || skip "No root permission"
	[ -r /sys/bus/event_source/devices/uprobe/type ] || skip "No uprobe PMU"
	perf_bin=$(command -v perf)
	perf uprobe-stat list -x "${perf_bin}" --funcs 2>/dev/null | grep -qw brstack_bench ||
		skip "No symbol brstack_bench in ${perf_bin} (stripped?)"
}

# The hits report counts for PROBE, as typed on record's command line.
hits() {
	awk -F, -v p="${perf_bin}:$1" '$1 == p { print $2; exit }' "${result}"
}

test_record_report() {
	echo "perf uprobe-stat record and report"
	# In the background for the recorder's pid: a tracefs group, where the
	# kernel needs one, is named after it.
	perf uprobe-stat record -f -o "${perfdata}" \
		"${perf_bin}:brstack_bench" "${perf_bin}:brstack_bench%return" \
		-- perf test -w brstack ${loops} >/dev/null 2>"${result}" &
	recorder=$!
	if ! wait ${recorder}; then
		cat "${result}"
		fail "perf uprobe-stat record"
	fi
	perf uprobe-stat report -i "${perfdata}" --csv >"${result}" 2>&1 ||
		fail "perf uprobe-stat report: $(head -1 "${result}")"
	for probe in brstack_bench brstack_bench%return; do
		n=$(hits ${probe})
		[ "${n}" = "${calls}" ] || fail "report: ${probe}: '${n}' hits, not ${calls}"
	done
	echo "perf uprobe-stat record and report [Success]"
}

test_script() {
	echo "perf uprobe-stat script and perf script"
	n=$(perf uprobe-stat script -i "${perfdata}" --no-header 2>/dev/null |
	    awk -v p="${perf_bin}:brstack_bench" '$6 == p' | wc -l)
	[ "${n}" = "${calls}" ] || fail "perf uprobe-stat script: ${n} entries, not ${calls}"
	n=$(perf script -i "${perfdata}" -F event 2>/dev/null | grep -c ':brstack_bench:')
	[ "${n}" = "${calls}" ] || fail "perf script: ${n} entry samples, not ${calls}"
	n=$(perf script -i "${perfdata}" -F event 2>/dev/null | grep -c ':brstack_bench__return:')
	[ "${n}" = "${calls}" ] || fail "perf script: ${n} return samples, not ${calls}"
	echo "perf uprobe-stat script and perf script [Success]"
}

test_nothing_left() {
	echo "perf uprobe-stat leaves no probe behind"
	for f in /sys/kernel/tracing/uprobe_events /sys/kernel/debug/tracing/uprobe_events; do
		[ -r "$f" ] || continue
		if grep -q "uprobe_stat_${recorder}/" "$f"; then
			fail "left in $f: $(grep "uprobe_stat_${recorder}/" "$f" | head -1)"
		fi
		break
	done
	echo "perf uprobe-stat leaves no probe behind [Success]"
}

check
test_record_report
test_script
test_nothing_left
exit ${err}
