#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# observer.sh - how much does recording shift what it records?
#
# The same churn workload (build/tests/churn: target_func hit by one
# thread while another maps and unmaps pages) in the patched kernel under
# qemu, REPEAT times each way:
#   trace   the uprobe on target_func made through uprobe_events and the
#           uprobes_core events enabled into the kernel's own trace buffer
#           (ftrace): the lightest observer there is without BPF; the
#           events are counted from the buffer afterwards;
#   record  perf-uprobe-stat record target_func -- churn: a perf sample
#           for every hit and every uprobes_core event, and the recorder
#           reading them meanwhile; counted by report --json.
# With KQ_QEMU_ARGS="-icount shift=0" (as make kernel-e2e runs it) the
# guest's clock counts instructions and its vCPUs take turns in one host
# thread, so the host's load does not change the interleaving much.
# Prints, per signal, its rate per 100 hits each way (median of REPEAT)
# and the shift recording makes, beside the churning thread's mmap/munmap
# pairs per 100 hits (how much the two threads overlapped); asserts
# nothing (a measurement).

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/kernel/lib.sh"
repeat=${1:-3}
calls=${2:-3000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ustat=$top/perf-uprobe-stat
churn=$top/build/tests/churn
for f in "$ustat" "$churn"; do
	[ -x "$f" ] || { echo "# observer: missing $f (make test-build)"; exit 1; }
done
adds=()
for f in "$ustat" "$churn"; do
	adds+=(--add "$f:/guest/$(basename "$f")")
	while read -r lib; do
		adds+=(--add "$(realpath "$lib"):$lib")
	done < <(ldd "$f" | grep -o '/[^ ]*')
done

{
	echo "R=$repeat N=$calls OFF=$(sym_file_offset "$churn" target_func)"
	cat <<'GUEST'
T=/sys/kernel/tracing
cd /tmp
echo 8192 > $T/buffer_size_kb
i=0
while [ $i -lt $R ]; do
	echo "p:obs/target /guest/churn:$OFF" >> $T/uprobe_events
	echo > $T/trace
	echo 1 > $T/events/uprobes_core/enable
	echo 1 > $T/events/obs/enable
	/guest/churn $N > c.out
	echo 0 > $T/events/obs/enable
	echo 0 > $T/events/uprobes_core/enable
	awk -v c="$(sed -n 's/.*churn=\([0-9]*\).*/\1/p' c.out)" '/ target: / { h++ }
	     / uprobe_lookup: / { l++; if (/speculative=0/) f++ }
	     / uprobe_spec_fail: / { split($0, a, "reason="); r[a[2]]++ }
	     END { printf "trace hits=%d churn=%d lookups=%d fallback=%d", h, c, l, f
		   n = split("mmap_locked seq_changed no_vma no_file no_uprobe no_per_vma_lock", k)
		   for (j = 1; j <= n; j++) printf " %s=%d", k[j], r[k[j]]
		   printf "\n" }' $T/trace
	echo "-:obs/target" >> $T/uprobe_events
	/guest/perf-uprobe-stat record -o o.data target_func -- /guest/churn $N \
		> c.out 2>&1
	/guest/perf-uprobe-stat report -i o.data --json > o.json 2>/dev/null
	echo "record-json $(sed -n 's/.*churn=\([0-9]*\).*/\1/p' c.out) $(tr -d '\n' < o.json)"
	i=$((i + 1))
done
GUEST
} > "$work/guest.sh"

"$top/scripts/kernel-qemu.sh" run --timeout 1800 "${adds[@]}" "$work/guest.sh" \
	> "$work/out" 2> "$work/err" || {
	echo "# observer: the guest run failed: $(tail -n 3 "$work/err")"
	exit 1
}
# record's numbers in the trace lines' shape
sig='.probes[] | select(.name == "target_func") | .signals'
grep '^record-json ' "$work/out" | cut -d' ' -f2- | while read -r ops json; do
	jq -r "\"record hits=\" + ([.probes[] | select(.name == \"target_func\") | .hits] | add | tostring)
	       + \" churn=$ops\"
	       + \" lookups=\(($sig).lookups) fallback=\(($sig).lookups_fallback)\"
	       + ([($sig).spec_fail | to_entries[] | \" \(.key)=\(.value)\"] | join(\"\"))" \
		<<<"$json" 2>/dev/null || echo "record unreadable"
done > "$work/rec"
grep '^trace ' "$work/out" > "$work/trace"
echo "# observer: churn $calls calls, $repeat runs each way, ${KQ_QEMU_ARGS:-no -icount}"
cat "$work/trace" "$work/rec" | sed 's/^/#   /'
# per 100 hits, median of the runs; spec_fail reasons by position (the
# kernel prints reason 0 as mmap_locked, the tool calls it write_locked)
cat "$work/trace" "$work/rec" | awk '
	{ way = $1; runs[way]++; h = 0
	  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[i] = kv[2]; name[i] = kv[1] }
	  h = v[2]
	  for (i = 3; i <= NF; i++) {
		key = (i >= 6) ? "spec_fail[" i - 6 "]" : name[i]
		keys[i] = key
		val[way, key, runs[way]] = h ? 100 * v[i] / h : 0
	  }
	  nf = NF }
	function med(way, key,   n, i, j, a, t) {
		n = runs[way]
		for (i = 1; i <= n; i++) a[i] = val[way, key, i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((n + 1) / 2)]
	}
	END {
		split("write_locked seq_changed no_vma no_file no_uprobe no_per_vma_lock", r)
		for (i = 3; i <= nf; i++) {
			key = keys[i]; label = key
			if (key ~ /^spec_fail/) { k = substr(key, 11) + 1; label = "spec_fail " r[k] }
			t = med("trace", key); c = med("record", key)
			printf "observer %-26s per 100 hits: trace %7.2f, record %7.2f (%+.2f)\n",
				label, t, c, c - t
		}
	}'
