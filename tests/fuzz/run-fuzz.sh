#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz FUZZ_SECONDS=N: run each libFuzzer target for N seconds from its
# seed corpus (tests/fuzz/corpus/TARGET).  A crash, leak or sanitizer report
# leaves the input in tests/fuzz/crashers/TARGET/, which 'make test' then
# replays for ever after.  Prints the executions of each target and in all.
#
#	run-fuzz.sh SECONDS CC CFLAGS LIBS

set -uo pipefail
secs=$1 cc=$2 cflags=$3 libs=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
total=0 status=0

# The targets run side by side, one per CPU.  Leak checks are left to the
# replay in 'make test' (ASan build, tests/fuzz/lsan.supp): libtraceevent
# leaks on every format it rejects, and a leak check per input would make
# the fuzzers crawl.
for src in tests/fuzz/fuzz-*.c; do
	name=$(basename "$src" .c)
	bin=build/fuzz/$name
	corpus=build/fuzz/corpus/$name
	crashers=tests/fuzz/crashers/$name
	mkdir -p "$corpus" "$crashers"
	# shellcheck disable=SC2086
	$cc $cflags -Isrc -o "$bin" "$src" $libs || { echo "fuzz: cannot build $name"; exit 2; }
	(LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp \
	 "$bin" -max_total_time="$secs" -artifact_prefix="$crashers/" -close_fd_mask=3 \
		-print_final_stats=1 -rss_limit_mb=2048 -timeout=10 -max_len=65536 -detect_leaks=0 \
		"$corpus" "tests/fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1
	 echo $? >"build/fuzz/$name.rc") &
done
wait
for src in tests/fuzz/fuzz-*.c; do
	name=$(basename "$src" .c)
	crashers=tests/fuzz/crashers/$name
	rc=$(cat "build/fuzz/$name.rc")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$name.log")
	total=$((total + ${runs:-0}))
	if [ $rc -ne 0 ]; then
		status=1
		echo "fuzz: $name FOUND A PROBLEM (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY' "build/fuzz/$name.log")"
		echo "fuzz: input saved in $crashers/; see build/fuzz/$name.log"
	else
		echo "fuzz: $name: ${runs:-0} executions in ${secs}s, no crash"
	fi
done
echo "fuzz: $total executions in all"
exit $status
