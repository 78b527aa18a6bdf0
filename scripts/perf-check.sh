#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make perf-check: 'perf uprobe-stat' inside perf, for real.
#
#  1. tools-perf-patch/perf/ is exactly what scripts/perf-patch.sh makes
#     from today's src/ and Documentation/ (no hand edits, no drift).
#  2. It is 8-15 patches, each checkpatch-clean; on Debian's
#     linux-source-6.12 every patch applies and perf builds after each one
#     in turn (the same tree and object dir, so each make rebuilds only
#     what the patch changed), with perf's default features; then
#     'perf uprobe-stat' records and reports the demo workload (and replays
#     it in report --tui), standalone and in-tree reports agree, and
#     'perf test' runs the series' tests/shell/uprobe_stat.sh.
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

# flex and bison for perf's build, jq for the checks, and the libraries of
# perf's default features (Makefile.config leaves out whatever is missing,
# so they are installed here: perf_build below says which stay off).
need_pkgs="flex bison jq"
perf_pkgs="libpython3-dev libperl-dev libslang2-dev libssl-dev libzstd-dev
	   liblzma-dev zlib1g-dev libcap-dev libnuma-dev libunwind-dev libbabeltrace-dev
	   libpfm4-dev libtracefs-dev libdebuginfod-dev llvm-14-dev openjdk-17-jdk-headless"
install_missing() {	# packages: installs those not installed; 1 if that fails
	local p missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends $missing \
		>/dev/null 2>&1
}
# shellcheck disable=SC2086
install_missing $need_pkgs ||
	{ skip perf-check "cannot install $need_pkgs, which perf's build needs"; exit 0; }
# shellcheck disable=SC2086
install_missing $perf_pkgs ||
	note "cannot install all of $perf_pkgs: perf builds without what is missing"
# The tree is not a repository; keep git from finding ours above it.
export GIT_CEILING_DIRECTORIES=$deps
# The trees are patched in place and their objects cached: one run at a
# time on a machine (several checkouts share .deps).
exec 9>"$(readlink -f "$deps")/perf-check.lock"
asked=$(date +%s)
flock 9
locked=$(date +%s)

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

# perf with its default features: no NO_* but one, no BUILD_BPF_SKEL=0, all
# that Makefile.config detects with the packages installed above
# (slang, python, perl, libunwind, libbpf and BPF skeletons, capstone, LLVM,
# libpfm4, libtracefs, debuginfod, zstd, numa, libcap, babeltrace, jvmti).
# Off all the same: libbfd on 6.12 (only BUILD_NONDISTRO=1 links GPLv3
# binutils), babeltrace2's CTF writer on 7.2 (bookworm's libbabeltrace2-dev
# 2.0.4 has no babeltrace2-ctf-writer headers), GTK2 (opt-in, GTK2=1), and
# Rust (7.2's Rust test workload, found wherever a rustc is: a rustup one
# (1.95 here) embeds LLVM bitcode that binutils ar's LLVM 14 plugin cannot
# read, "LLVM ERROR: Invalid encoding" indexing libperf-test.a).  The
# objects are kept per tree and feature set, so that checkouts whose
# perf-check builds another set do not rebuild each other's.
perf_features=default
perf_build() {	# $1: tree, $2: object dir, $3: log
	make -C "$1/tools/perf" -j"$(nproc)" O="$2" NO_RUST=1 >"$3" 2>&1
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

# The errors of a failed build, for a FAIL line.
build_errors() {
	grep -m3 -E 'error|Error|undefined reference' "$1" | tr '\n' ' ' | cut -c1-400
}

# Apply SERIES to TREE one patch at a time, building perf after each, then
# run it.  $1: label, $2: tree, $3: series dir.  Returns 2 if the tree had
# to be unpacked again (an interrupted run left it patched).
check_tree() {
	local label=$1 tree=$2 series=$3 obj=$deps/perf-build-$1-$perf_features
	local patches=("$series"/0*-*.patch) applied=() p name start t0 rc=0

	if [ -f "$tree/.uprobe-stat-patched" ]; then
		rm -rf "$tree"
		return 2
	fi
	# The objects belong to one unpacking of the tree: tar gives a tree
	# unpacked again its old mtimes, older than objects built from the
	# patched files, and make would link those (perf.o naming
	# cmd_uprobe_stat before the patch that adds it).
	[ -f "$tree/.uprobe-stat-tree-id" ] ||
		echo "$(date +%s%N) $$" >"$tree/.uprobe-stat-tree-id"
	if ! cmp -s "$tree/.uprobe-stat-tree-id" "$obj/.tree-id"; then
		rm -rf "$obj"
		mkdir -p "$obj"
		cp "$tree/.uprobe-stat-tree-id" "$obj/.tree-id"
	fi
	touch "$tree/.uprobe-stat-patched"
	t0=$(date +%s)
	for p in "${patches[@]}"; do
		name=$(basename "$p" .patch)
		case $name in 0000-*) continue ;; esac
		if ! (cd "$tree" && git apply "$p" 2>"$fresh/apply.err"); then
			fail "$label: $name applies" "$(head -2 "$fresh/apply.err" | tr '\n' ' ')"
			rc=1
			break
		fi
		applied=("$p" "${applied[@]}")
		# The objects stay for a quick rebuild; an earlier binary must
		# not pass for this one.
		rm -f "$obj/perf"
		start=$(date +%s)
		if ! perf_build "$tree" "$obj" "$obj.log" || [ ! -x "$obj/perf" ]; then
			fail "$label: $name builds" "$(build_errors "$obj.log")"
			rc=1
			break
		fi
		note "$label: $name applies and builds ($(($(date +%s) - start)) s)"
	done
	if [ $rc = 0 ]; then
		pass "$label: each of the ${#applied[@]} patches applies and perf builds after it ($(($(date +%s) - t0)) s)"
		# git apply inside another repository skips paths outside the
		# cwd silently: check that the subcommand is really there.
		if [ ! -f "$tree/tools/perf/builtin-uprobe-stat.c" ]; then
			fail "$label: series applies" "git apply left no tools/perf/builtin-uprobe-stat.c"
			rc=1
		else
			run_perf "$label" "$tree" "$obj/perf"
		fi
	fi
	# Back to the pristine tree, last patch first.
	if [ ${#applied[@]} -gt 0 ]; then
		for p in "${applied[@]}"; do
			(cd "$tree" && git apply -R "$p") || { rm -rf "$tree"; return $rc; }
		done
	fi
	rm -f "$tree/.uprobe-stat-patched"
	return $rc
}

# The built perf, for real.  $1: label, $2: the patched tree, $3: perf
run_perf() {
	local label=$1 tree=$2 perf=$3 hits
	"$perf" uprobe-stat -h >"$fresh/help.txt" 2>&1
	grep -q "perf uprobe-stat {record|report|script" "$fresh/help.txt" &&
		pass "$label: perf uprobe-stat -h prints its usage" ||
		fail "$label: perf uprobe-stat -h prints its usage" "$(head -2 "$fresh/help.txt")"
	"$perf" help 2>&1 | grep "uprobe-stat" >/dev/null && pass "$label: perf help lists uprobe-stat" ||
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
	# perf's own test runner, on the series' tests/shell/uprobe_stat.sh
	# (perf test finds tests/shell below the current directory).
	(cd "$tree/tools/perf" && "$perf" test -v 'perf uprobe-stat' >"$fresh/ptest.out" 2>&1)
	if grep -q ': Ok' "$fresh/ptest.out"; then
		pass "$label: perf test 'perf uprobe-stat': Ok"
	else
		fail "$label: perf test 'perf uprobe-stat'" \
			"$(grep -E 'Fail|Skip|FAILED|Ok' "$fresh/ptest.out" | head -3 | tr '\n' ' ')"
	fi
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
	series=("$top"/tools-perf-patch/perf/0*-*.patch)
	n=$((${#series[@]} - 1))
	[ "$n" -ge 8 ] && [ "$n" -le 15 ] &&
		pass "the series is $n patches and a cover letter" ||
		fail "the series is 8-15 patches" "$n"
	# Errors fail; a warning or check passes only where the patch explains
	# its type on a "checkpatch: TYPE: why" line below the --- (as in
	# kernel-check), and the reminder that new files may want a MAINTAINERS
	# entry always does.
	bad=""
	# The cover letter is not a patch: its diffstat has longer lines.
	for p in "$top"/tools-perf-patch/perf/0*-perf-*.patch; do
		"$tree/scripts/checkpatch.pl" --no-tree --show-types "$p" >"$fresh/checkpatch.log" 2>&1
		if ! grep -q '^total: ' "$fresh/checkpatch.log"; then
			bad="$bad $(basename "$p"): checkpatch did not run;"
			continue
		fi
		for t in $(sed -n 's/^\(ERROR\|WARNING\|CHECK\):\([A-Z_0-9]*\):.*/\1:\2/p' \
			   "$fresh/checkpatch.log" | sort -u); do
			case $t in
			*:FILE_PATH_CHANGES) continue ;;
			WARNING:* | CHECK:*) grep -qE "^[[:space:]]*checkpatch: ${t#*:}: [^ ]" "$p" && continue ;;
			esac
			bad="$bad $(basename "$p"): $(grep -m1 "^$t" "$fresh/checkpatch.log");"
		done
	done
	[ -z "$bad" ] && pass "checkpatch: every patch is clean (explained warnings and the MAINTAINERS reminder aside)" ||
		fail "checkpatch" "$bad"
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
	# On a copy of the files the series edits (git apply --check of several
	# patches does not see the files the earlier ones create).
	scratch=$fresh/scratch/tools/perf
	mkdir -p "$scratch/util" "$scratch/ui"
	for f in perf.c builtin.h Build Makefile.config util/Build ui/Build command-list.txt \
		 builtin-help.c; do
		[ -f "$tree/tools/perf/$f" ] && cp "$tree/tools/perf/$f" "$scratch/$f"
	done
	first_bad=""
	for p in "$top"/tools-perf-patch/perf/0*-perf-*.patch; do
		(cd "$fresh/scratch" && git apply "$p" 2>"$fresh/apply.err") ||
			{ first_bad=$(basename "$p"); break; }
	done
	if [ -z "$first_bad" ]; then
		note "the 6.12 series applies to $label as it is"
	else
		note "the 6.12 series does not apply to $label as it is: $first_bad: $(grep -m1 error "$fresh/apply.err")"
		note "(tools/perf moved on: the context of util/Build changed, command-list.txt is gone)"
	fi
	"$top/scripts/perf-patch.sh" "$fresh/perf-$label" "$tree" >/dev/null &&
		pass "$label: a series is generated from the same sources" &&
		check_tree "$label" "$tree" "$fresh/perf-$label"
	[ $? = 2 ] && tree=$("$top/scripts/linux-source.sh" newest) &&
		check_tree "$label" "$tree" "$fresh/perf-$label"
fi
note "perf-check: $(($(date +%s) - locked)) s, after $((locked - asked)) s waiting for another run's lock"
exit $failed
