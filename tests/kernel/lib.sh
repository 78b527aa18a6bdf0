# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - helpers for the tests that run hitloop in a qemu guest. Sourced.

# sym_file_offset BINARY SYMBOL: the file offset of SYMBOL, which is what
# uprobe_events wants: its address minus the address of the PT_LOAD
# segment holding it plus that segment's file offset.
sym_file_offset()
{
	local bin=$1 sym=$2 addr type off va pa fsz msz rest

	addr=$(nm "$bin" | awk -v s="$sym" '$3 == s { print $1 }')
	[ -n "$addr" ] || return 1
	addr=$((16#$addr))
	while read -r type off va pa fsz msz rest; do
		if [ "$addr" -ge $((va)) ] && [ "$addr" -lt $((va + msz)) ]; then
			printf '0x%x\n' $((addr - va + off))
			return 0
		fi
	done < <(readelf -lW "$bin" | awk '$1 == "LOAD"')
	return 1
}

# kt_harness LABEL: what the qemu tests that check the tool share: a
# scratch $work removed on exit, failed=0, and pass, fail and check
# printing "PASS: LABEL: ..." lines (failed=1 on a FAIL).
kt_harness()
{
	kt_label=$1
	failed=0
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	pass() { echo "PASS: $kt_label: $1"; }
	fail() { echo "FAIL: $kt_label: $1${2:+: $2}"; failed=1; }
	check() {	# NAME WANT GOT
		if [ "$2" = "$3" ]; then pass "$1 ($3)"; else fail "$1" "expected '$2', got '$3'"; fi
	}
}

# kt_guest_bins BIN...: each must be built, and jq installed (else a FAIL
# and exit 1); adds+=(--add ...) puts each at /guest/NAME and, as the
# guest has no loader or libraries, the host's at their paths.
kt_guest_bins()
{
	local f lib

	for f in "$@"; do
		[ -x "$f" ] || { fail "missing $f (make test-build first)"; exit 1; }
	done
	command -v jq >/dev/null || { fail "jq is not installed (make deps)"; exit 1; }
	for f in "$@"; do
		adds+=(--add "$f:/guest/$(basename "$f")")
		while read -r lib; do
			adds+=(--add "$(realpath "$lib"):$lib")
		done < <(ldd "$f" | grep -o '/[^ ]*')
	done
}

# kt_guest_run: run $work/guest.sh in the guest (KQ_VARIANT as set) with
# adds[], its output in $work/out and $work/err.  A guest that did not get
# to "### end" is a FAIL and exit 1, or a SKIP and exit 0 when Debian's
# archive (the kernel source) was out of reach.
kt_guest_run()
{
	local t0=$SECONDS rc

	"$top/scripts/kernel-qemu.sh" run --timeout 900 "${adds[@]}" "$work/guest.sh" \
		>"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -ne 0 ] && ! grep -q "^### end" "$work/out"; then
		if grep -q "cannot reach\|cannot download\|archive unreachable" "$work/err"; then
			echo "SKIP: $kt_label: $(grep -m1 "cannot reach\|cannot download\|unreachable" "$work/err")"
			exit 0
		fi
		fail "the guest ran the tool (kernel-qemu.sh exit $rc)" \
			"$(tail -n 5 "$work/err" "$work/out")"
		exit 1
	fi
	echo "# $kt_label: built or found the kernel, booted, recorded and reported in $((SECONDS - t0)) s"
}
