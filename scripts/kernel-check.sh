#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-check.sh - check the uprobes_core tracepoint series against the
# newest kernel source Debian ships.
#
#  1. fetch and unpack the source (scripts/kernel-source.sh, cached);
#  2. prepare a build tree once: a git copy of the source, x86_64 defconfig
#     plus UPROBES and UPROBE_EVENTS, "make prepare" (cached, keyed by the
#     source version and the config recipe below);
#  3. build kernel/events/uprobes.o with W=1 on the clean tree;
#  4. for each patch: git apply --check, git apply, checkpatch.pl --strict,
#     build uprobes.o with W=1 again (so each patch builds on its own) and
#     compare its warnings with the unpatched build;
#  5. check that the object defines the four uprobes_core tracepoints;
#  6. put the tree back to the clean source for the next run.
#
# Output: one line per check, "PASS: <name>", "FAIL: <name>: <reason>" or
# "SKIP: <name>: <reason>" (the project's test runner counts these). Build
# logs go to .deps/kernel/check-logs/. Exit status 0 unless a check FAILed.
#
# Must run as root (it apt-get installs what it needs), without stdin.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-lib.sh"

deps=${DEPS_DIR:-$top/.deps}
series=${KERNEL_SERIES:-$top/tools-perf-patch/kernel}
jobs=${JOBS:-$(nproc)}
logs=$deps/kernel/check-logs
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
skip() { echo "SKIP: $*"; }
# No point going on: report the rest as skipped and stop.
skip_all() {
	local reason=$1 c

	for c in kernel-prepare build-unpatched series-apply checkpatch \
		 build-patched no-new-warnings tracepoints-defined; do
		skip "$c: $reason"
	done
	exit $failed
}

mkdir -p "$logs"
exec </dev/null
# One run at a time: they share the prepared tree.
exec {lockfd}>"$deps/kernel/check.lock"
flock "$lockfd"

# --- dependencies ------------------------------------------------------
if ! kernel_need_packages "${KERNEL_BUILD_PACKAGES[@]}" 2>"$logs/apt.log"; then
	skip "build-deps: $(tail -n1 "$logs/apt.log")"
	skip_all "build dependencies missing"
fi

# --- 1. source -----------------------------------------------------------
src=$("$top/scripts/kernel-source.sh" 2>"$logs/source.log")
rc=$?
if [ $rc -eq 77 ]; then
	skip "kernel-source: $(tail -n1 "$logs/source.log" | sed 's/^kernel-source: //')"
	skip_all "no kernel source"
elif [ $rc -ne 0 ]; then
	fail "kernel-source: $(tail -n1 "$logs/source.log")"
	skip_all "no kernel source"
fi
ver=$("$top/scripts/kernel-source.sh" --print-version 2>/dev/null)
pass "kernel-source: $(basename "$src") $ver"

mapfile -t patches < <(kernel_series_patches "$series")
if [ ${#patches[@]} -eq 0 ]; then
	fail "series-apply: no patches in ${series#"$top"/}"
	exit 1
fi

# --- 2. prepared tree (cached) ------------------------------------------
# The recipe is part of the cache key: change it and the tree is rebuilt.
# WERROR off: defconfig turns warnings into errors, and we want to see and
# compare W=1 warnings, not stop at the first.
config_recipe="x86_64_defconfig -e UPROBES -e UPROBE_EVENTS -e FTRACE -e PERF_EVENTS -d LOCALVERSION_AUTO -d WERROR"
key=$(echo "$ver $config_recipe" | sha256sum | cut -c1-12)
tree=$deps/kernel/check-$key
ksrc=$tree/src
kbuild=$tree/build

prepare_tree()
{
	rm -rf "$tree"
	mkdir -p "$tree"
	# A git repository of the pristine source: "git reset --hard" and
	# "git clean" then bring it back to the source, whatever a previous,
	# maybe interrupted, run left in it. Debian's .gitignore ignores the
	# top level, so add with -f.
	cp -a "$src" "$ksrc" &&
	git -C "$ksrc" init -q &&
	git -C "$ksrc" add -f -A . &&
	git -C "$ksrc" -c user.name=kernel-check -c user.email=kernel-check@localhost \
		commit -q -m "$(basename "$src") $ver" &&
	git -C "$ksrc" tag base &&
	# Out-of-tree build (O=) keeps the source tree free of build products.
	make -C "$ksrc" O="$kbuild" x86_64_defconfig &&
	"$ksrc/scripts/config" --file "$kbuild/.config" \
		-e UPROBES -e UPROBE_EVENTS -e FTRACE -e PERF_EVENTS \
		-d LOCALVERSION_AUTO -d WERROR &&
	make -C "$ksrc" O="$kbuild" olddefconfig &&
	make -C "$ksrc" O="$kbuild" -j"$jobs" prepare &&
	echo "$key" > "$tree/.prepared"
}

if [ -f "$tree/.prepared" ]; then
	pass "kernel-prepare: cached (${tree#"$top"/})"
else
	# Trees prepared for another source version or recipe are dead weight.
	rm -rf "$deps"/kernel/check-*
	mkdir -p "$logs"
	t0=$SECONDS
	if prepare_tree >"$logs/prepare.log" 2>&1; then
		pass "kernel-prepare: defconfig + UPROBE_EVENTS in $((SECONDS - t0)) s"
	else
		fail "kernel-prepare: see ${logs#"$top"/}/prepare.log"
		tail -n 20 "$logs/prepare.log" >&2
		skip_all "tree not prepared"
	fi
fi

if ! grep -q '^CONFIG_UPROBE_EVENTS=y' "$kbuild/.config"; then
	fail "kernel-prepare: CONFIG_UPROBE_EVENTS not set after olddefconfig"
	exit 1
fi

reset_tree()
{
	git -C "$ksrc" reset -q --hard base && git -C "$ksrc" clean -q -fdx
}

# Compile uprobes.o, the only file the series changes, with W=1. Removing
# the object forces the compile, so its warnings are printed every time.
# Prints the warnings, normalised: no directory, line or column, which
# move with every patch.
build_uprobes()
{
	local log=$1

	rm -f "$kbuild/kernel/events/uprobes.o"
	make -C "$ksrc" O="$kbuild" -j"$jobs" W=1 kernel/events/uprobes.o \
		>"$log" 2>&1 || return 1
	[ -f "$kbuild/kernel/events/uprobes.o" ]
}

warnings_of()
{
	grep -E 'warning:' "$1" |
		sed -E -e "s|$ksrc/||g" -e "s|$kbuild/||g" -e 's/:[0-9]+:[0-9]+:/:/' \
		       -e 's/:[0-9]+:/:/' | sort -u
}

# --- 3. unpatched build --------------------------------------------------
if ! reset_tree >"$logs/reset.log" 2>&1; then
	fail "build-unpatched: cannot reset ${ksrc#"$top"/}: $(tail -n1 "$logs/reset.log")"
	exit 1
fi
if build_uprobes "$logs/build-unpatched.log"; then
	warnings_of "$logs/build-unpatched.log" > "$logs/warnings-unpatched.txt"
	pass "build-unpatched: kernel/events/uprobes.o W=1, $(wc -l < "$logs/warnings-unpatched.txt") warnings"
else
	fail "build-unpatched: see ${logs#"$top"/}/build-unpatched.log"
	skip_all "the unpatched source does not build"
fi

# --- 4. each patch: apply, checkpatch, build, compare ------------------
applied=1
for p in "${patches[@]}"; do
	name=$(basename "$p" .patch)

	if ! git -C "$ksrc" apply --check "$p" >"$logs/apply-$name.log" 2>&1; then
		fail "apply $name: does not apply to $(basename "$src") $ver: $(head -n1 "$logs/apply-$name.log")"
		applied=0
		break
	fi
	if ! git -C "$ksrc" apply "$p" >>"$logs/apply-$name.log" 2>&1; then
		fail "apply $name: $(tail -n1 "$logs/apply-$name.log")"
		applied=0
		break
	fi
	pass "apply $name"

	# checkpatch: errors fail; warnings must be explained in the patch.
	# (checkpatch exits non-zero on any finding: the totals decide.)
	(cd "$ksrc" && PATH=$(kernel_debian_path) \
		perl scripts/checkpatch.pl --strict "$p") \
		>"$logs/checkpatch-$name.log" 2>&1
	total=$(grep -E '^total: ' "$logs/checkpatch-$name.log" | tail -n1)
	if [ -z "$total" ]; then
		fail "checkpatch $name: checkpatch.pl did not run, see ${logs#"$top"/}/checkpatch-$name.log"
	else
		read -r errs warns checks < <(echo "$total" |
			sed -E 's/^total: ([0-9]+) errors, ([0-9]+) warnings, ([0-9]+) checks.*/\1 \2 \3/;t;s/^total: ([0-9]+) errors, ([0-9]+) warnings.*/\1 \2 0/')
		if [ "$errs" -gt 0 ]; then
			fail "checkpatch $name: $errs errors, see ${logs#"$top"/}/checkpatch-$name.log"
		elif [ "$warns" -gt 0 ] && ! grep -qi 'checkpatch' "$p"; then
			fail "checkpatch $name: $warns warnings not explained in the patch"
		else
			pass "checkpatch $name: $errs errors, $warns warnings, $checks checks (--strict)"
		fi
	fi

	if build_uprobes "$logs/build-$name.log"; then
		warnings_of "$logs/build-$name.log" > "$logs/warnings-$name.txt"
		new=$(comm -13 "$logs/warnings-unpatched.txt" "$logs/warnings-$name.txt")
		if [ -n "$new" ]; then
			fail "build $name: new W=1 warnings: $(echo "$new" | head -n3 | tr '\n' ' ')"
		else
			pass "build $name: kernel/events/uprobes.o W=1, no new warnings"
		fi
	else
		fail "build $name: does not build, see ${logs#"$top"/}/build-$name.log"
		grep -m5 -E 'error' "$logs/build-$name.log" >&2
	fi
done

# --- 5. the events really are in the object ---------------------------
if [ $applied -eq 1 ] && [ -f "$kbuild/kernel/events/uprobes.o" ]; then
	missing=""
	# (Not "nm | grep -q": grep quitting early makes nm die of SIGPIPE,
	# which pipefail reports as a failure.)
	syms=$(nm "$kbuild/kernel/events/uprobes.o")
	for ev in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle; do
		grep -q " D __tracepoint_$ev\$" <<<"$syms" || missing="$missing $ev"
	done
	if [ -n "$missing" ]; then
		fail "tracepoints-defined: missing from uprobes.o:$missing"
	else
		pass "tracepoints-defined: uprobes_core:{uprobe_lookup,uprobe_spec_fail,xol_slot_alloc,xol_slot_recycle}"
	fi
else
	skip "tracepoints-defined: series not applied"
fi

# --- 6. leave a clean tree behind ---------------------------------------
reset_tree >/dev/null 2>&1 || true
exit $failed
