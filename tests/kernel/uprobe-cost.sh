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
#
# Each comparison is made twice, once per kernel variant (KQ_VARIANT in
# scripts/kernel-qemu.sh): "jl", CONFIG_JUMP_LABEL=y and -O2, where an
# off tracepoint is the 5-byte NOP the commit messages describe, and
# "tiny", tinyconfig's -Os without jump labels, where it is a load and a
# test of the static key. KQ_VARIANTS="jl" runs only the first.

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

for variant in ${KQ_VARIANTS:-jl tiny}; do
	for series in none "$top/tools-perf-patch/kernel"; do
		echo "== kernel: $variant, $([ "$series" = none ] && echo unpatched ||
			echo "with ${series#"$top"/}")"
		KQ_VARIANT=$variant KERNEL_SERIES=$series "$top/scripts/kernel-qemu.sh" run \
			--timeout 900 --add "$work/hitloop:/guest/hitloop" "$work/guest.sh"
	done
done | tee "$work/out"

# The medians, patched (events off, then on) against unpatched, as a
# difference per hit and a ratio.
awk '/^== kernel: / { v = $3; sub(",", "", v); k = ($4 == "unpatched") ? "u" : "p"
		      if (!(v in seen)) { seen[v] = 1; order[++nv] = v } }
	$2 ~ /^no_probe=/ { split($3, a, "[=/]"); med[v, k, $1] = a[3]
			    split($4, b, "[=/]"); on[v, $1] = b[3] }
	END { for (i = 1; i <= nv; i++) { v = order[i]
		for (j = 1; j <= 2; j++) { kind = j == 1 ? "nop5" : "xol"
			u = med[v, "u", kind]; p = med[v, "p", kind]
			if (u > 0 && p > 0)
				printf "cost %s %s: unpatched %d, patched events off %d (%+d, %+.1f %%), on %d (%+d, %.2fx)\n",
					v, kind, u, p, p - u, 100 * (p - u) / u,
					on[v, kind], on[v, kind] - u, on[v, kind] / u } } }' "$work/out"
