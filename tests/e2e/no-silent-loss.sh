# SPDX-License-Identifier: GPL-2.0
# Every sample the kernel writes reaches the file, run after run.
#
# libperf's perf_mmap__read_done() sets a non-overwrite buffer's read
# position to the kernel's head read anew, skipping whatever arrived since
# the last perf_mmap__read_event(): about one run in ten lost one sample
# here, counted nowhere.  record does not call it; this catches a return.
. "$(dirname "$0")/lib.sh"

need_uprobes no-silent-loss || exit 0

RUNS=20 T=4 N=2000
expected=$((T * N * 5))
bad=0
for i in $(seq $RUNS); do
	$USTAT record --no-signals -f -o "$TMPD/d.data" handle_request handle_request%return parse_request \
		lookup_key lookup_key%return -- $BIN/demo $T $N >/dev/null 2>"$TMPD/err"
	grep -q "($expected samples, 0 lost)" "$TMPD/err" || {
		bad=$((bad + 1))
		echo "# run $i: $(grep -o '(.*)' "$TMPD/err" | tail -1)"
	}
done
check_eq "$RUNS runs of $expected samples, none short" 0 $bad
