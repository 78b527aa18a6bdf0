#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make perf-check: 'perf uprobe-stat' inside perf, for real.
#
#  1. tools-perf-patch/perf/ is exactly what scripts/perf-patch.sh makes
#     from today's src/ and Documentation/ (no hand edits, no drift).
#  2. It applies to Debian's linux-source-6.12, is checkpatch-clean, perf
#     builds with it (a small feature set), and 'perf uprobe-stat' records
#     and reports the demo workload (and replays it in report --tui);
#     standalone and in-tree reports agree.
#  3. The newest linux-source Debian ships (sid): whether the committed
#     series applies there (and exactly why not), then a series generated
#     from the same sources against that tree, built and run the same way.
#
# Prints PASS:/FAIL:/SKIP: lines; exits non-zero on any FAIL.  Trees and
# perf's objects are cached under .deps/, so a second run is quicker.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
deps=$top/.deps
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; failed=1; }
skip() { echo "SKIP: $1: $2"; }
note() { echo "# $1"; }

for tool in flex bison jq; do
	if ! command -v $tool >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get -qq install -y flex bison jq >/dev/null 2>&1 ||
			{ skip perf-check "cannot install $tool, which perf's build needs"; exit 0; }
	fi
done
# The tree is not a repository; keep git from finding ours above it.
export GIT_CEILING_DIRECTORIES=$deps
# The trees are patched in place and their objects cached: one run at a
# time on a machine (several checkouts share .deps).
exec 9>"$(readlink -f "$deps")/perf-check.lock"
flock 9

fresh=$(mktemp -d)
stock_probes=""	# "perf group" of perf probe's uprobes to remove on the way out
stock_cleanup() {
	[ -n "$stock_probes" ] && ${stock_probes% *} probe -q -d "${stock_probes#* }:*" >/dev/null 2>&1
	stock_probes=""
}
trap 'stock_cleanup; rm -rf "$fresh"' EXIT
if "$top/scripts/perf-patch.sh" "$fresh/perf" >/dev/null && diff -r -q "$fresh/perf" \
	"$top/tools-perf-patch/perf" >/dev/null; then
	pass "tools-perf-patch/perf is generated from src/ (no drift)"
else
	fail "tools-perf-patch/perf is generated from src/" "run 'make perf-patch' and commit"
fi

perf_build() {	# $1: tree, $2: object dir
	make -C "$1/tools/perf" -j"$(nproc)" O="$2" NO_LIBPYTHON=1 NO_LIBPERL=1 NO_LIBBPF=1 \
		NO_SLANG=1 NO_GTK2=1 BUILD_BPF_SKEL=0 NO_JVMTI=1 NO_LIBUNWIND=1 NO_LIBCRYPTO=1 \
		NO_LIBNUMA=1 NO_LIBBABELTRACE=1 NO_DEMANGLE=1 NO_LIBZSTD=1 NO_LIBCAP=1 \
		NO_LIBLLVM=1 NO_LIBPFM4=1 NO_SDT=1 NO_CAPSTONE=1 NO_RUST=1 >"$2.log" 2>&1
}

# A file of stock perf's own, 'perf probe -x BIN func' then 'perf record -e
# probe_BIN:func', read by 'perf uprobe-stat report'.  $1: label, $2: perf
stock_check() {
	local label=$1 perf=$2 bin grp hits
	local name="$label: perf uprobe-stat report reads a stock perf record file"

	if { [ -d /sys/kernel/tracing/events ] ||
	     mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; } &&
	   [ -w /sys/kernel/tracing/uprobe_events ]; then :; else
		skip "$name" "perf probe needs tracefs uprobe_events"
		return 0
	fi
	# A copy of the demo of our own: the probe group is ours alone.
	bin=$fresh/ustatstk${label//[^0-9a-z]/}
	grp=probe_$(basename "$bin")
	cp "$top/build/tests/demo" "$bin"
	stock_probes="$perf $grp"
	if ! "$perf" probe -q -x "$bin" handle_request >/dev/null 2>&1; then
		stock_cleanup
		skip "$name" "perf probe cannot add uprobes here"
		return 0
	fi
	"$perf" record -q -o "$fresh/stock.data" -e "$grp:handle_request" -- "$bin" 2 500 \
		>/dev/null 2>"$fresh/stock-rec.err"
	stock_cleanup
	"$perf" uprobe-stat report -i "$fresh/stock.data" --json >"$fresh/stock.json" \
		2>"$fresh/stock.err"
	hits=$(jq -r --arg n "$grp:handle_request" '.probes[] | select(.name == $n) | .hits' \
	       "$fresh/stock.json" 2>/dev/null)
	[ "$hits" = 1000 ] && pass "$name (1000 hits)" ||
		fail "$name" "got '$hits': $(head -2 "$fresh/stock.err" "$fresh/stock-rec.err")"
	grep -q "$grp" /sys/kernel/tracing/uprobe_events &&
		fail "$label: nothing left in uprobe_events" "$grp is still there"
}

# Apply SERIES to TREE, build, run.  $1: label, $2: tree, $3: series dir
check_tree() {
	local label=$1 tree=$2 series=$3 obj=$deps/perf-build-$1 perf start hits
	local patches=("$series"/0*-perf-*.patch)

	# A tree left patched by an interrupted run is unpacked again.
	if [ -f "$tree/.uprobe-stat-patched" ]; then
		rm -rf "$tree"
		return 2
	fi
	if ! (cd "$tree" && git apply --check "${patches[@]}" 2>"$fresh/apply.err"); then
		fail "$label: series applies" "$(head -2 "$fresh/apply.err")"
		return 1
	fi
	(cd "$tree" && git apply "${patches[@]}") && touch "$tree/.uprobe-stat-patched"
	# git apply inside another repository skips paths outside the cwd
	# silently: check that the subcommand is really there.
	if [ ! -f "$tree/tools/perf/builtin-uprobe-stat.c" ]; then
		fail "$label: series applies" "git apply left no tools/perf/builtin-uprobe-stat.c"
		return 1
	fi
	pass "$label: series applies"
	mkdir -p "$obj"
	# The objects stay for a quick rebuild; the binary of an earlier
	# series must not be tested if this one fails to link.
	rm -f "$obj/perf"
	start=$(date +%s)
	if perf_build "$tree" "$obj"; then
		pass "$label: perf builds with the series ($(($(date +%s) - start)) s)"
	else
		fail "$label: perf builds with the series" "$(grep -m3 -E 'error|Error' "$obj.log")"
		rm -f "$obj/perf"
	fi
	(cd "$tree" && git apply -R "${patches[@]}") && rm -f "$tree/.uprobe-stat-patched"
	perf=$obj/perf
	[ -x "$perf" ] || return 1

	"$perf" uprobe-stat -h >"$fresh/help.txt" 2>&1
	grep -q "perf uprobe-stat {record|report|script" "$fresh/help.txt" &&
		pass "$label: perf uprobe-stat -h prints its usage" ||
		fail "$label: perf uprobe-stat -h prints its usage" "$(head -2 "$fresh/help.txt")"
	"$perf" help 2>&1 | grep -q "uprobe-stat" && pass "$label: perf help lists uprobe-stat" ||
		fail "$label: perf help lists uprobe-stat" "not listed"
	if [ "$(id -u)" != 0 ] || [ ! -r /sys/bus/event_source/devices/uprobe/type ]; then
		skip "$label: perf uprobe-stat record/report" "needs root and the uprobe PMU"
		return 0
	fi
	"$perf" uprobe-stat record -f -o "$fresh/demo.data" handle_request handle_request%return \
		-- "$top/build/tests/demo" 2 500 >"$fresh/rec.out" 2>&1 &&
		pass "$label: perf uprobe-stat record runs the demo" ||
		fail "$label: perf uprobe-stat record runs the demo" "$(tail -2 "$fresh/rec.out")"
	"$perf" uprobe-stat report -i "$fresh/demo.data" --json >"$fresh/rep.json" 2>"$fresh/rep.err"
	hits=$(jq -r '.probes[] | select(.name == "handle_request") | .hits' "$fresh/rep.json" \
	       2>/dev/null)
	[ "$hits" = 1000 ] && pass "$label: perf uprobe-stat report: exact hits (1000)" ||
		fail "$label: perf uprobe-stat report: exact hits" "got '$hits'"
	# Standalone and in-tree read the same file the same way.
	"$top/perf-uprobe-stat" report -i "$fresh/demo.data" --json >"$fresh/rep2.json" 2>/dev/null
	if diff -q <(jq -S . "$fresh/rep.json") <(jq -S . "$fresh/rep2.json") >/dev/null; then
		pass "$label: standalone and in-tree reports agree"
	else
		fail "$label: standalone and in-tree reports agree" "JSON differs"
	fi
	# The view is built in (ncurses found): without a terminal, the usual refusal.
	"$perf" uprobe-stat report -i "$fresh/demo.data" --tui </dev/null >/dev/null 2>"$fresh/tui.err"
	grep -q "needs a terminal" "$fresh/tui.err" && pass "$label: report --tui is built in" ||
		fail "$label: report --tui is built in" "$(cat "$fresh/tui.err")"
	if command -v tmux >/dev/null; then
		local sock=$fresh/tmux.sock i rows=""
		tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 \
			"$perf uprobe-stat report -i $fresh/demo.data --tui --speed 100; sleep 60"
		for ((i = 0; i < 100; i++)); do
			rows=$(tmux -S "$sock" capture-pane -p 2>/dev/null)
			echo "$rows" | grep -q ENDED && break
			sleep 0.1
		done
		tmux -S "$sock" kill-server 2>/dev/null
		hits=$(echo "$rows" | awk '$1 == "handle_request" { print $2 }')
		[ "$hits" = 1000 ] && pass "$label: report --tui replays the file to its end (1000 hits)" ||
			fail "$label: report --tui replays the file to its end" "$(echo "$rows" | head -8)"
	fi
	"$perf" script -i "$fresh/demo.data" -F event 2>/dev/null | grep -c "probe_demo:handle_request:" \
		>"$fresh/n"
	[ "$(cat "$fresh/n")" = 1000 ] && pass "$label: perf script reads the file of perf uprobe-stat" ||
		fail "$label: perf script reads the file" "$(cat "$fresh/n") samples"
	stock_check "$label" "$perf"
}

make -C "$top" -s build/tests/demo perf-uprobe-stat >/dev/null

# --- linux-source-6.12: the series as committed ---
tree=$("$top/scripts/linux-source.sh" 6.12 2>"$fresh/src.err")
rc=$?
if [ $rc = 77 ]; then
	skip "linux-source-6.12" "$(cat "$fresh/src.err")"
elif [ $rc != 0 ]; then
	fail "linux-source-6.12" "$(cat "$fresh/src.err")"
else
	if "$tree/scripts/checkpatch.pl" --no-tree --show-types \
		"$top"/tools-perf-patch/perf/0*-perf-*.patch >"$fresh/checkpatch.log" 2>&1 ||
	   true; then
		# Clean but for the reminder that new files may want a MAINTAINERS entry.
		if grep -E "^(ERROR|WARNING|CHECK)" "$fresh/checkpatch.log" |
		   grep -qv FILE_PATH_CHANGES; then
			fail "checkpatch: the series is clean" \
				"$(grep -E '^(ERROR|WARNING)' "$fresh/checkpatch.log" | grep -v FILE_PATH | head -3)"
		else
			pass "checkpatch: the series is clean (MAINTAINERS reminder aside)"
		fi
	fi
	check_tree 6.12 "$tree" "$top/tools-perf-patch/perf"
	[ $? = 2 ] && tree=$("$top/scripts/linux-source.sh" 6.12) &&
		check_tree 6.12 "$tree" "$top/tools-perf-patch/perf"
fi

# --- the newest linux-source in sid ---
tree=$("$top/scripts/linux-source.sh" newest 2>"$fresh/src.err")
rc=$?
if [ $rc = 77 ]; then
	skip "newest linux-source" "$(cat "$fresh/src.err")"
elif [ $rc != 0 ]; then
	fail "newest linux-source" "$(cat "$fresh/src.err")"
else
	label=$(basename "$tree" | sed 's/linux-source-//')
	if (cd "$tree" && git apply --check "$top"/tools-perf-patch/perf/0*-perf-*.patch \
		2>"$fresh/apply.err"); then
		note "the 6.12 series applies to $label as it is"
	else
		note "the 6.12 series does not apply to $label as it is: $(grep -m1 error "$fresh/apply.err")"
		note "(tools/perf moved on: the context of util/Build changed, command-list.txt is gone)"
	fi
	"$top/scripts/perf-patch.sh" "$fresh/perf-$label" "$tree" >/dev/null &&
		pass "$label: a series is generated from the same sources" &&
		check_tree "$label" "$tree" "$fresh/perf-$label"
	[ $? = 2 ] && tree=$("$top/scripts/linux-source.sh" newest) &&
		check_tree "$label" "$tree" "$fresh/perf-$label"
fi
exit $failed
