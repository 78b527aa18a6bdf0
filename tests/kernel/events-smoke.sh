#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# events-smoke.sh - do the uprobes_core events fire, with sane values, in a
# kernel booted with the series?
#
# Boots the patched kernel under qemu (scripts/kernel-qemu.sh) and, inside,
# puts uprobes on tests/kernel/hitloop's xol and nop5 functions through
# uprobe_events, enables events/uprobes_core, runs the xol loop with a
# thread churning mmap_lock (so that speculative lookups fail) and the nop5
# loop, then counts the events in the trace buffer and prints a few.
#
# Output: PASS:/FAIL:/SKIP: lines, then the guest's trace sample.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -static -o "$work/hitloop" "$top/tests/kernel/hitloop.c" -lpthread || {
	echo "FAIL: events-smoke: cannot build hitloop"; exit 1; }


{
	echo "OFF_xol=$(sym_file_offset "$work/hitloop" hitloop_xol)"
	echo "OFF_nop5=$(sym_file_offset "$work/hitloop" hitloop_nop5)"
	cat <<'GUEST'
T=/sys/kernel/tracing
echo "p:hitloop/xol /guest/hitloop:$OFF_xol" >> $T/uprobe_events
echo "p:hitloop/nop5 /guest/hitloop:$OFF_nop5" >> $T/uprobe_events
echo 1 > $T/events/hitloop/enable
echo 1 > $T/events/uprobes_core/enable
/guest/hitloop xol 2000 churn > /dev/null
/guest/hitloop nop5 2000 > /dev/null
echo 0 > $T/events/uprobes_core/enable
echo 0 > $T/events/hitloop/enable
cat $T/trace > /tmp/trace
for ev in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle; do
	echo "count $ev $(grep -c " $ev:" /tmp/trace)"
done
echo "count lookup_speculative $(grep -c ' uprobe_lookup:.*speculative=1' /tmp/trace)"
echo "count lookup_locked $(grep -c ' uprobe_lookup:.*speculative=0' /tmp/trace)"
grep -o ' uprobe_spec_fail:.*reason=[a-z_]*' /tmp/trace | sed 's/.*reason=/spec_fail reason=/' | sort | uniq -c
grep -o ' xol_slot_recycle:.*reason=[a-z_]*' /tmp/trace | sed 's/.*reason=/recycle reason=/' | sort | uniq -c
for ev in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle; do
	grep -m3 " $ev:" /tmp/trace
done
GUEST
} > "$work/guest.sh"

"$top/scripts/kernel-qemu.sh" run --timeout 600 \
	--add "$work/hitloop:/guest/hitloop" "$work/guest.sh" > "$work/out"
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: events-smoke: guest run failed ($rc)"
	cat "$work/out"
	exit 1
fi

count() { awk -v e="$1" '$1 == "count" && $2 == e { print $3 }' "$work/out"; }
failed=0
for ev in uprobe_lookup xol_slot_alloc xol_slot_recycle lookup_speculative; do
	n=$(count "$ev")
	if [ "${n:-0}" -gt 0 ]; then
		echo "PASS: events-smoke $ev: $n events"
	else
		echo "FAIL: events-smoke $ev: none"
		failed=1
	fi
done
# Speculation failures need a writer to race with; under emulation the
# race may not happen, so none is not a failure.
n=$(count uprobe_spec_fail)
if [ "${n:-0}" -gt 0 ]; then
	echo "PASS: events-smoke uprobe_spec_fail: $n events"
else
	echo "SKIP: events-smoke uprobe_spec_fail: no speculative lookup failed in this run"
fi
echo "--- guest output"
cat "$work/out"
exit $failed
