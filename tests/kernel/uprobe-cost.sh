#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uprobe-cost.sh - what a uprobe hit costs on the unpatched kernel and on
# the kernel with the uprobes_core series, events off and on.
#
# Boots both kernels under qemu (scripts/kernel-qemu.sh, TCG) and runs
# tests/kernel/hitloop in each: a loop calling a function with and without
# a uprobe (created through uprobe_events) on its first instruction, for an
# xol (single-stepped) probe and a nop5 (optimized) probe. Prints, per
# kernel and probe kind, min/median/max ns per call over REPEAT runs.
#
# TCG emulates the CPU, so the absolute numbers are far slower than on
# hardware; what matters is the difference between the kernels. Host load
# moves TCG's wall-clock numbers by tens of percent; for a comparison run
#   KQ_QEMU_ARGS="-icount shift=0" tests/kernel/uprobe-cost.sh [REPEAT]
# which makes the guest clock count executed instructions, 1 ns each: the
# numbers are then guest instructions per call, whatever the host does.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
repeat=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -static -o "$work/hitloop" "$top/tests/kernel/hitloop.c" -lpthread


{
	echo "T=/sys/kernel/tracing"
	echo "R=$repeat"
	echo "OFF_xol=$(sym_file_offset "$work/hitloop" hitloop_xol)"
	echo "OFF_nop5=$(sym_file_offset "$work/hitloop" hitloop_nop5)"
	cat <<'GUEST'
# "min/median/max" of R runs of "hitloop KIND N".
med() {
	i=0
	while [ $i -lt $R ]; do /guest/hitloop $1 $2; i=$((i + 1)); done |
		sort -n | awk -v r=$R '{ v[NR] = $1 }
			END { printf "%s/%s/%s\n", v[1], v[int((r + 1) / 2)], v[NR] }'
}
uname -r
for kind in xol nop5; do
	eval off=\$OFF_$kind
	[ $kind = xol ] && n=20000 || n=50000
	base=$(med $kind $n)
	echo "p:hitloop/$kind /guest/hitloop:$off" >> $T/uprobe_events
	echo 1 > $T/events/hitloop/$kind/enable
	off_ns=$(med $kind $n)
	on_ns=-
	if [ -d $T/events/uprobes_core ]; then
		echo 1 > $T/events/uprobes_core/enable
		on_ns=$(med $kind $n)
		echo 0 > $T/events/uprobes_core/enable
	fi
	echo 0 > $T/events/hitloop/$kind/enable
	echo "-:hitloop/$kind" >> $T/uprobe_events
	echo "$kind no_probe=$base probed=$off_ns probed+uprobes_core_on=$on_ns"
done
GUEST
} > "$work/guest.sh"

for series in none "$top/tools-perf-patch/kernel"; do
	echo "== kernel: $([ "$series" = none ] && echo unpatched || echo "with ${series#"$top"/}")"
	KERNEL_SERIES=$series "$top/scripts/kernel-qemu.sh" run --timeout 900 \
		--add "$work/hitloop:/guest/hitloop" "$work/guest.sh"
done | tee "$work/out"

# The ratios of the medians: patched (events off, then on) to unpatched.
awk '/^== kernel: unpatched/ { k = "u" } /^== kernel: with/ { k = "p" }
	$2 ~ /^no_probe=/ { split($3, a, "[=/]"); med[k, $1] = a[3]
			    split($4, b, "[=/]"); on[$1] = b[3] }
	END { for (kind in on) if (med["u", kind] > 0)
		printf "ratio %s: patched/unpatched %.2f with the events off, %.2f on\n",
			kind, med["p", kind] / med["u", kind], on[kind] / med["u", kind] }' "$work/out"
