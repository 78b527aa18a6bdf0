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
#  3. build kernel/events/uprobes.o and the other objects of the C files
#     the series changes with W=1 on the clean tree;
#  4. for each patch: git apply --check, git apply, checkpatch.pl --strict,
#     build them with W=1 again (so each patch builds on its own) and
#     compare its warnings with the unpatched build;
#  5. check that the object defines the six uprobes_core tracepoints;
#  6. the cover letter: checkpatch on its text; every mail of the series:
#     no template placeholder left (*** SUBJECT HERE *** and the like),
#     one author identity, the marked placeholder the sender replaces;
#     scripts/spdxcheck.py on the SPDX lines of the files the series adds
#     (and on a bad one, which it must reject);
#  7. put the tree back to the clean source for the next run.
#
# checkpatch warnings fail unless the patch's commit message explains that
# warning type on a line "checkpatch: TYPE: why" (types from --show-types).
#
# Output: one line per check, "PASS: <name>", "FAIL: <name>: <reason>" or
# "SKIP: <name>: <reason>" (the project's test runner counts these). Build
# logs and each build's objdump -d of uprobes.o go to <kernel
# cache>/check-logs/ (scripts/kernel-lib.sh). Exit status 0 unless a check
# FAILed.
#
# Must run as root (it apt-get installs what it needs), without stdin.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-lib.sh"

deps=$(kernel_cache_dir)
series=${KERNEL_SERIES:-$top/tools-perf-patch/kernel}
jobs=${JOBS:-$(nproc)}
logs=$deps/check-logs
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
skip() { echo "SKIP: $*"; }
# No point going on: report the rest as skipped and stop.
skip_all() {
	local reason=$1 c

	for c in kernel-prepare build-unpatched series-apply checkpatch \
		 build-patched no-new-warnings tracepoints-defined cover-letter \
		 placeholders authorship spdx; do
		skip "$c: $reason"
	done
	exit $failed
}

mkdir -p "$logs"
exec </dev/null
# One run at a time: they share the prepared tree.
exec {lockfd}>"$deps/check.lock"
flock "$lockfd"

# --- dependencies ------------------------------------------------------
# A check whose tool is missing has not passed: FAIL, not SKIP.
if ! kernel_need_packages "${KERNEL_BUILD_PACKAGES[@]}" 2>"$logs/apt.log"; then
	fail "build-deps: $(tail -n1 "$logs/apt.log")"
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
tree=$deps/check-$key
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
	# No "git gc --auto" repacking the kernel behind our back (it
	# would also inherit, and hold, the lock below).
	git -C "$ksrc" config gc.auto 0 &&
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
	rm -rf "$deps"/check-[0-9a-f]*
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

# The objects of the C files the series changes (uprobes.o always), each
# compiled with W=1. Removing them forces the compile, so their warnings
# are printed every time.
objects=$(for p in "${patches[@]}"; do
		sed -n 's|^diff --git a/\(.*\)\.c b/.*|\1.o|p' "$p"
	  done | sort -u)
objects=$(printf '%s\n' kernel/events/uprobes.o $objects | sort -u | tr '\n' ' ')
build_uprobes()
{
	local log=$1 o

	for o in $objects; do rm -f "$kbuild/$o"; done
	# shellcheck disable=SC2086 # one object a word
	make -C "$ksrc" O="$kbuild" -j"$jobs" W=1 $objects >"$log" 2>&1 || return 1
	for o in $objects; do [ -f "$kbuild/$o" ] || return 1; done
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
# The disassembly of each build, kept for reading what a patch costs
# (objdump -d, one file per build in the logs folder).
disassemble()
{
	objdump -d --no-show-raw-insn "$kbuild/kernel/events/uprobes.o" > "$logs/uprobes-$1.dis" 2>&1
}

if build_uprobes "$logs/build-unpatched.log"; then
	disassemble unpatched
	warnings_of "$logs/build-unpatched.log" > "$logs/warnings-unpatched.txt"
	pass "build-unpatched: ${objects% }: W=1, $(wc -l < "$logs/warnings-unpatched.txt") warnings"
else
	fail "build-unpatched: see ${logs#"$top"/}/build-unpatched.log"
	skip_all "the unpatched source does not build"
fi

# checkpatch NAME FILE ARGS...: errors fail; each warning type must be
# explained in FILE on a line "checkpatch: TYPE: why". Its exit status
# means nothing (non-zero on any finding): the totals line decides, and
# no totals line means it did not run.
run_checkpatch()
{
	local name=$1 file=$2 log=$logs/checkpatch-$1.log total errs warns checks
	local types t unexplained=""

	shift 2
	(cd "$ksrc" && PATH=$(kernel_debian_path) \
		perl scripts/checkpatch.pl --show-types "$@" "$file") >"$log" 2>&1
	total=$(grep -E '^total: ' "$log" | tail -n1)
	if [ -z "$total" ]; then
		fail "checkpatch $name: checkpatch.pl did not run, see ${log#"$top"/}"
		return
	fi
	read -r errs warns checks < <(echo "$total" |
		sed -E 's/^total: ([0-9]+) errors, ([0-9]+) warnings, ([0-9]+) checks.*/\1 \2 \3/;t;s/^total: ([0-9]+) errors, ([0-9]+) warnings.*/\1 \2 0/')
	types=$(sed -n 's/^WARNING:\([A-Z_0-9]*\):.*/\1/p' "$log" | sort -u)
	for t in $types; do
		grep -qE "^[[:space:]]*checkpatch: $t: [^ ]" "$file" || unexplained="$unexplained $t"
	done
	if [ "$errs" -gt 0 ]; then
		fail "checkpatch $name: $errs errors: $(grep -m2 '^ERROR:' "$log" | tr '\n' ' ')"
	elif [ -n "$unexplained" ]; then
		fail "checkpatch $name: warnings not explained by a 'checkpatch: TYPE: why' line:$unexplained"
	else
		pass "checkpatch $name: $errs errors, $warns warnings${types:+ (explained: $(echo $types))}, $checks checks ($*)"
	fi
}

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

	run_checkpatch "$name" "$p" --strict

	if build_uprobes "$logs/build-$name.log"; then
		disassemble "$name"
		warnings_of "$logs/build-$name.log" > "$logs/warnings-$name.txt"
		new=$(comm -13 "$logs/warnings-unpatched.txt" "$logs/warnings-$name.txt")
		if [ -n "$new" ]; then
			fail "build $name: new W=1 warnings: $(echo "$new" | head -n3 | tr '\n' ' ')"
		else
			pass "build $name: ${objects% }: W=1, no new warnings"
		fi
	else
		fail "build $name: does not build, see ${logs#"$top"/}/build-$name.log"
		grep -m5 -E 'error' "$logs/build-$name.log" >&2
	fi
done

# --- 5. the events really are in the object ---------------------------
tracepoints="uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle uprobe_find_retry xol_area_fail"
if [ $applied -eq 1 ] && [ -f "$kbuild/kernel/events/uprobes.o" ]; then
	missing=""
	# (Not "nm | grep -q": grep quitting early makes nm die of SIGPIPE,
	# which pipefail reports as a failure.)
	syms=$(nm "$kbuild/kernel/events/uprobes.o")
	for ev in $tracepoints; do
		grep -q " D __tracepoint_$ev\$" <<<"$syms" || missing="$missing $ev"
	done
	if [ -n "$missing" ]; then
		fail "tracepoints-defined: missing from uprobes.o:$missing"
	else
		pass "tracepoints-defined: uprobes_core:{${tracepoints// /,}}"
	fi
else
	skip "tracepoints-defined: series not applied"
fi

# --- 6. the mails themselves ------------------------------------------
cover=$series/0000-cover-letter.patch
if [ ! -f "$cover" ]; then
	fail "cover-letter: no ${cover#"$top"/}"
else
	# A cover letter has no diff and no Signed-off-by of its own: only
	# those two findings are expected; its text gets every other check.
	run_checkpatch cover-letter "$cover" --strict --ignore NOT_UNIFIED_DIFF,MISSING_SIGN_OFF
fi

# git's cover letter template and the usual markers of unfinished text.
placeholder_re='\*\*\* [A-Z ]+ HERE \*\*\*|\<(TODO|FIXME|XXX|TBD)\>|<(your|insert)[ -]'
bad=""
for f in "$cover" "${patches[@]}"; do
	[ -f "$f" ] || continue
	# Only the mail text: diff lines belong to the code (the kernel has
	# its own XXX comments in the context lines).
	hits=$(sed '/^diff --git/,$d' "$f" | grep -nE "$placeholder_re" | head -n2 | tr '\n' ' ')
	[ -n "$hits" ] && bad="$bad $(basename "$f"): $hits;"
done
if [ -n "$bad" ]; then
	fail "placeholders: template text left in the mails:$bad"
else
	pass "placeholders: no template text in the cover letter or the commit messages"
fi

# The series carries one identity, the marked placeholder the sender
# replaces with their own (a DCO needs a real person; none is invented).
placeholder_id="REPLACE-ME Sender <replace-me@example.invalid>"
ids=$(for f in "$cover" "${patches[@]}"; do
	[ -f "$f" ] || continue
	# From: may be folded onto a second line by format-patch.
	sed -n '1,/^$/{/^From: /{N;s/\n / /;s/^From: //;s/\n.*//;p}}' "$f"
	sed '/^---$/,$d' "$f" | sed -n 's/^Signed-off-by: //p'
done | sort -u)
if [ "$ids" = "$placeholder_id" ]; then
	pass "authorship: every From: and Signed-off-by: is the placeholder '$placeholder_id': the sender must put their own name there"
else
	fail "authorship: expected only '$placeholder_id', found: $(echo "$ids" | tr '\n' ';')"
fi

# spdxcheck.py, as checkpatch runs it, but with its failures seen: it
# must reject a bad identifier (else it is not working) and accept the
# SPDX lines of every file the series adds.
spdx()
{
	(cd "$ksrc" && echo "$1" | PATH=$(kernel_debian_path) python3 scripts/spdxcheck.py - 2>&1)
}
if [ $applied -ne 1 ]; then
	skip "spdx: series not applied"
elif out=$(spdx "SPDX-License-Identifier: GPL-2.0") && [ -z "$out" ] &&
     out=$(spdx "SPDX-License-Identifier: GPL-9.9-only"; echo "rc=$?") &&
     [ "$out" != "rc=0" ]; then
	bad=""
	n=0
	while read -r f; do
		line=$(grep -m1 -o 'SPDX-License-Identifier: .*' "$ksrc/$f" | sed -E 's| *\*/$||')
		n=$((n + 1))
		if [ -z "$line" ]; then
			bad="$bad $f: no SPDX line;"
		elif ! out=$(spdx "$line") || [ -n "$out" ]; then
			bad="$bad $f: $out;"
		fi
	done < <(for p in "${patches[@]}"; do
			awk '/^diff --git/ { f = $4 } /^new file mode/ { sub("^b/", "", f); print f }' "$p"
		 done)
	if [ -n "$bad" ]; then
		fail "spdx: $bad"
	else
		pass "spdx: scripts/spdxcheck.py accepts the $n new files' SPDX lines and rejects a bad one"
	fi
else
	fail "spdx: scripts/spdxcheck.py does not work here: $(echo "$out" | tail -n1)"
fi

# --- 7. leave a clean tree behind ---------------------------------------
reset_tree >/dev/null 2>&1 || true
exit $failed
