#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-qemu.sh - build the kernel with the uprobes_core series applied and
# run things inside it under qemu (TCG: no KVM here).
#
# Usage:
#   kernel-qemu.sh build
#       Build (or reuse) the bzImage; prints its path.
#   kernel-qemu.sh run [--add HOST[:GUEST]]... [--timeout SECONDS] SCRIPT
#       Boot the kernel with a busybox initramfs that also holds the
#       --add'ed files (GUEST defaults to /guest/<basename of HOST>) and
#       SCRIPT as /guest/run.sh; run "sh /guest/run.sh" as root in the
#       guest with tracefs mounted, and print what it printed. Exits with
#       the script's exit status (124 on timeout, 1 if the guest broke).
#   kernel-qemu.sh formats [OUTDIR]
#       Capture events/uprobes_core/*/format, events/header_page and
#       events/header_event from the booted kernel into OUTDIR (default
#       tests/fixtures/uprobes_core) and write OUTDIR/README.
#
# The same steps are shell functions (kq_build, kq_run, kq_formats) for
# scripts that source this file with KQ_LIB=1 set.
#
# Guest environment: busybox applets in /bin, /proc, /sys, /dev (devtmpfs),
# /tmp (tmpfs), tracefs at /sys/kernel/tracing, 2 CPUs, 512 MB. There is no
# dynamic loader: --add static binaries, or add the loader and libraries.
#
# The guest's console is its first serial port. The script's output is
# framed by marker lines (KQ_BEGIN/KQ_END below) so the host can pick it
# out of the kernel's own messages; the exit status travels in the end
# marker. The full console log stays in <kernel cache>/qemu/last-console.log.
#
# Environment:
#   KERNEL_SERIES  folder of the patch series (default tools-perf-patch/kernel);
#                  "none" builds the unpatched kernel (for comparisons)
#   KERNEL_CACHE   cache folder, shared by every clone on the machine
#                  (default ~/.cache/uprobe-stat/kernel, scripts/kernel-lib.sh)
#   JOBS           parallel build jobs (default: number of CPUs)
#   KQ_MEM, KQ_SMP guest memory (default 512M) and CPUs (default 2)
#   KQ_VARIANT     jl (default: CONFIG_JUMP_LABEL=y, -O2), tiny (-Os, no
#                  jump labels) or bpf (jl plus BPF, BTF and ftrace direct
#                  calls, for fentry/fexit): see kq_variant below
#   KQ_QEMU_ARGS   more qemu arguments, e.g. "-icount shift=0" to make guest
#                  time count executed instructions (1 ns each) instead of
#                  host time: slower, but immune to the host's load
#
# Cache: the bzImage is kept under <kernel cache>/qemu/<version>-<key>/ where
# key hashes the series' diffs and the config recipe; the build tree is
# reused, so switching series only recompiles what the patches touch.

kq_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$kq_top/scripts/kernel-lib.sh"

kq_deps=$(kernel_cache_dir)
kq_dir=$kq_deps/qemu
KQ_BEGIN="=====KQ-OUTPUT-BEGIN====="
KQ_END="=====KQ-OUTPUT-END====="

# The kernel config: tinyconfig plus what a uprobes test needs. Kept here,
# one option a word, because it is part of the cache key. ACPI is there
# for two reasons: without it the kernel finds only the boot CPU in qemu's
# MP table, and without its PM timer the TSC cannot be calibrated under
# TCG, so sched_clock(), hence local_clock() and every lat_ns and wait_ns,
# ticks in jiffies.
KQ_CONFIG=(
	64BIT SMP ACPI PRINTK TTY SERIAL_8250 SERIAL_8250_CONSOLE
	BLK_DEV_INITRD BINFMT_ELF BINFMT_SCRIPT PROC_FS SYSFS TMPFS
	DEVTMPFS MULTIUSER POSIX_TIMERS FUTEX EPOLL EVENTFD SIGNALFD TIMERFD
	ADVISE_SYSCALLS FILE_LOCKING SHMEM PER_VMA_LOCK MMU HIGH_RES_TIMERS
	PERF_EVENTS FTRACE UPROBES UPROBE_EVENTS
)

# KQ_VARIANT picks how the kernel is compiled, for the cost comparisons:
#   jl    (default) CONFIG_JUMP_LABEL=y and -O2, as distributions build:
#         a tracepoint that is off is a 5-byte NOP in the code;
#   tiny  tinyconfig's -Os without jump labels: an off tracepoint is a
#         load and a test of its static key;
#   bpf   jl plus the BPF syscall, its JIT, BTF (pahole, from dwarves) and
#         ftrace with direct calls: what fentry/fexit programs need, so the
#         tool's BPF sources can be checked against the tracepoints.
#         DEBUG_INFO is there only because BTF is made from DWARF, NET
#         because libbpf finds global data (const volatile settings)
#         with a socket filter program, which only CONFIG_NET has.
# Each variant has its own build folder, so switching between them and
# between series recompiles only what the patches touch.
kq_variant()
{
	case ${KQ_VARIANT:-jl} in
	jl|tiny|bpf) echo "${KQ_VARIANT:-jl}" ;;
	*) kq_log "KQ_VARIANT must be jl, tiny or bpf, not '$KQ_VARIANT'"; return 1 ;;
	esac
}

# scripts/config arguments of a variant, on top of KQ_CONFIG.
kq_variant_config()
{
	case $1 in
	jl) echo "-e JUMP_LABEL -e CC_OPTIMIZE_FOR_PERFORMANCE -d CC_OPTIMIZE_FOR_SIZE" ;;
	tiny) echo "-d JUMP_LABEL -e CC_OPTIMIZE_FOR_SIZE -d CC_OPTIMIZE_FOR_PERFORMANCE" ;;
	bpf) echo "$(kq_variant_config jl) -e BPF_SYSCALL -e BPF_JIT -e KALLSYMS -e NET" \
		  "-e DEBUG_KERNEL -e DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_BTF" \
		  "-e FUNCTION_TRACER -e DYNAMIC_FTRACE -e DYNAMIC_FTRACE_WITH_DIRECT_CALLS" \
		  "-e BPF_EVENTS" ;;
	esac
}

kq_log() { echo "kernel-qemu: $*" >&2; }

# kq_mktemp VAR: make a temporary folder and store its path in VAR. It
# goes when the shell exits. (Not printed for $(...): the subshell would
# run the EXIT trap at once. Not a RETURN trap: that one also fires when
# any function called later returns.)
kq_tmpdirs=()
kq_mktemp()
{
	local d

	d=$(mktemp -d "${TMPDIR:-/tmp}/kq.XXXXXX") || return 1
	kq_tmpdirs+=("$d")
	trap 'rm -rf "${kq_tmpdirs[@]}"' EXIT
	printf -v "$1" %s "$d"
}

kq_series_dir()
{
	echo "${KERNEL_SERIES:-$kq_top/tools-perf-patch/kernel}"
}

# Prints "<version> <key>" for the kernel the current settings describe.
kq_key()
{
	local series ver shash variant

	series=$(kq_series_dir)
	variant=$(kq_variant) || return 1
	ver=$("$kq_top/scripts/kernel-source.sh" --print-version)
	if [ "$series" = none ]; then
		shash=unpatched
	else
		shash=$(kernel_series_hash "$series")
	fi
	echo "$ver $variant-$(echo "$shash ${KQ_CONFIG[*]} $(kq_variant_config "$variant")" |
		sha256sum | cut -c1-12)"
}

# Build the bzImage, or find it in the cache. Prints its path.
kq_build()
{
	local src ver key out tree series p t0 variant build

	kernel_need_packages "${KERNEL_BUILD_PACKAGES[@]}" || return
	src=$("$kq_top/scripts/kernel-source.sh") || return
	variant=$(kq_variant) || return 1
	read -r ver key < <(kq_key)
	[ -n "$key" ] || return 1
	out=$kq_dir/$ver-$key
	if [ -s "$out/bzImage" ]; then
		echo "$out/bzImage"
		return 0
	fi

	series=$(kq_series_dir)
	tree=$kq_dir/tree
	build=$tree/build-$variant
	mkdir -p "$kq_dir"
	# One build at a time in the shared tree; whoever waited may find
	# the kernel built by the one it waited for.
	local lockfd
	exec {lockfd}>"$kq_dir/.lock" && flock "$lockfd" || return 1
	if [ -s "$out/bzImage" ]; then
		flock -u "$lockfd"
		echo "$out/bzImage"
		return 0
	fi
	t0=$SECONDS
	# One git copy of the source serves every series: reset it to the
	# pristine commit, apply the series. Only the files that differ from
	# the last build get new mtimes, so make recompiles only those.
	if [ ! -f "$tree/.base-$ver" ]; then
		kq_log "copying $src into a git tree"
		rm -rf "$tree" && mkdir -p "$tree" &&
		cp -a "$src" "$tree/src" &&
		git -C "$tree/src" init -q &&
		# No "git gc --auto" behind our back: it would repack the
		# whole kernel in the background while we build.
		git -C "$tree/src" config gc.auto 0 &&
		git -C "$tree/src" add -f -A . &&
		git -C "$tree/src" -c user.name=kernel-qemu \
			-c user.email=kernel-qemu@localhost \
			commit -q -m "$(basename "$src") $ver" &&
		git -C "$tree/src" tag base &&
		touch "$tree/.base-$ver" || return 1
	fi
	git -C "$tree/src" reset -q --hard base &&
	git -C "$tree/src" clean -q -fdx || return 1
	if [ "$series" != none ]; then
		while read -r p; do
			git -C "$tree/src" apply "$p" ||
				{ kq_log "$(basename "$p") does not apply"; return 1; }
		done < <(kernel_series_patches "$series")
	fi

	# tinyconfig, then switch on KQ_CONFIG and let olddefconfig pull in
	# dependencies. 64BIT first: tinyconfig on x86 starts as i386.
	local cfg=() o
	for o in "${KQ_CONFIG[@]}"; do cfg+=(-e "$o"); done
	# shellcheck disable=SC2207 # one option a word
	cfg+=($(kq_variant_config "$variant"))
	kq_log "building $(basename "$src") $ver ($variant), series ${series#"$kq_top"/} (a few minutes)"
	{
		make -C "$tree/src" O="$build" tinyconfig &&
		"$tree/src/scripts/config" --file "$build/.config" "${cfg[@]}" \
			-d LOCALVERSION_AUTO &&
		make -C "$tree/src" O="$build" olddefconfig &&
		make -C "$tree/src" O="$build" -j"${JOBS:-$(nproc)}" bzImage
	} >"$kq_dir/build.log" 2>&1 || {
		kq_log "build failed, see ${kq_dir#"$kq_top"/}/build.log"
		tail -n 20 "$kq_dir/build.log" >&2
		return 1
	}
	for o in "${KQ_CONFIG[@]}" $(kq_variant_config "$variant" | grep -o -- '-e [A-Z0-9_]*' |
				     cut -c4-); do
		grep -q "^CONFIG_$o=y" "$build/.config" || {
			kq_log "CONFIG_$o did not stick: this is not the kernel asked for"
			return 1
		}
	done
	mkdir -p "$out" &&
	cp "$build/arch/x86/boot/bzImage" "$out/bzImage.tmp" &&
	cp "$build/.config" "$out/config" &&
	cp "$build/kernel/events/uprobes.o" "$out/uprobes.o" &&
	make -s -C "$tree/src" O="$build" kernelrelease > "$out/kernelrelease" ||
		return 1
	{
		echo "$(basename "$src") $ver (Debian), variant $variant" \
			"($(kq_variant_config "$variant")), with:"
		if [ "$series" = none ]; then
			echo "  no patches"
		else
			kernel_series_patches "$series" | xargs -n1 basename | sed 's/^/  /'
		fi
	} > "$out/source"
	mv "$out/bzImage.tmp" "$out/bzImage"
	flock -u "$lockfd"
	kq_log "built in $((SECONDS - t0)) s: ${out#"$kq_top"/}/bzImage"
	echo "$out/bzImage"
}

# Emit gen_init_cpio "dir" lines for every parent of a guest path.
kq_cpio_dirs()
{
	local d=$1 parts=() p

	d=$(dirname "$d")
	while [ "$d" != / ] && [ "$d" != . ]; do
		parts=("$d" "${parts[@]}")
		d=$(dirname "$d")
	done
	for p in "${parts[@]}"; do echo "dir $p 0755 0 0"; done
}

# kq_run [--add HOST[:GUEST]]... [--timeout S] SCRIPT
kq_run()
{
	local adds=() timeout=300 script="" kernel src work list a host guest rc

	while [ $# -gt 0 ]; do
		case $1 in
		--add) adds+=("$2"); shift 2 ;;
		--timeout) timeout=$2; shift 2 ;;
		--) shift; script=$1; break ;;
		-*) kq_log "unknown option $1"; return 2 ;;
		*) script=$1; shift ;;
		esac
	done
	[ -n "$script" ] && [ -f "$script" ] || { kq_log "run: no script file"; return 2; }

	for a in "${adds[@]}"; do
		[ -f "${a%%:*}" ] || { kq_log "--add: no file ${a%%:*}"; return 2; }
	done
	kernel_need_packages qemu-system-x86 busybox-static || return
	kernel=$(kq_build) || return 1
	src=$("$kq_top/scripts/kernel-source.sh") || return 1

	kq_mktemp work || return 1

	# gen_init_cpio (from the kernel source) writes device nodes and
	# owners from a text list, so no root, mknod or fakeroot is needed.
	gcc -O2 -o "$work/gen_init_cpio" "$src/usr/gen_init_cpio.c" ||
		return 1

	cat > "$work/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tracefs nodev /sys/kernel/tracing
# Keep kernel messages off the console while the script runs.
echo 1 > /proc/sys/kernel/printk
cd /guest
echo "$KQ_BEGIN"
sh /guest/run.sh 2>&1
echo "$KQ_END rc=\$?"
sync
reboot -f
EOF
	list=$work/initramfs.list
	{
		echo "dir /dev 0755 0 0"
		echo "nod /dev/console 0600 0 0 c 5 1"
		echo "nod /dev/null 0666 0 0 c 1 3"
		for d in /bin /sbin /usr /usr/bin /usr/sbin /proc /sys /tmp /root /guest; do
			echo "dir $d 0755 0 0"
		done
		echo "file /bin/busybox /bin/busybox 0755 0 0"
		echo "file /init $work/init 0755 0 0"
		echo "file /guest/run.sh $(realpath "$script") 0755 0 0"
		for a in "${adds[@]}"; do
			host=${a%%:*}
			guest=${a#*:}
			[ "$guest" = "$a" ] && guest=/guest/$(basename "$host")
			kq_cpio_dirs "$guest"
			echo "file $guest $(realpath "$host") $(stat -c %a "$host") 0 0"
		done
	} | awk '!seen[$0]++' > "$list" || return 2
	"$work/gen_init_cpio" "$list" > "$work/initramfs.cpio" || return 1

	# -no-reboot turns the guest's "reboot -f" into a qemu exit; timeout
	# guards against a guest that hangs. panic=-1 reboots (so exits) on a
	# kernel panic instead of waiting forever.
	rc=0
	# One host thread runs the vCPUs in turn (thread=single): with
	# multi-threaded TCG a vCPU could run a stale translation of kernel
	# text another was patching (static keys enabling the events) and
	# take an int3 the kernel no longer expected (a guest Oops in about
	# one run in four).  -icount runs single-threaded anyway.
	# shellcheck disable=SC2086 # KQ_QEMU_ARGS is split into words on purpose
	timeout --foreground -k 10 "$timeout" qemu-system-x86_64 \
		-accel tcg,thread=single -cpu max -smp "${KQ_SMP:-2}" -m "${KQ_MEM:-512M}" \
		-display none -monitor none -serial stdio -no-reboot \
		-kernel "$kernel" -initrd "$work/initramfs.cpio" ${KQ_QEMU_ARGS:-} \
		-append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init" \
		</dev/null >"$work/console.raw" 2>"$work/qemu.err" || rc=$?
	tr -d '\r' < "$work/console.raw" > "$kq_dir/last-console.log"
	if [ $rc -eq 124 ]; then
		kq_log "guest timed out after $timeout s; console: ${kq_dir#"$kq_top"/}/last-console.log"
	elif [ $rc -ne 0 ]; then
		kq_log "qemu failed ($rc): $(head -n3 "$work/qemu.err")"
	fi
	# Print what is between the markers; the end marker carries the
	# script's exit status.
	awk -v b="$KQ_BEGIN" -v e="$KQ_END" '
		$0 == b { on = 1; next }
		index($0, e) == 1 { on = 0; next }
		on' "$kq_dir/last-console.log"
	if ! grep -q "^$KQ_END rc=" "$kq_dir/last-console.log"; then
		[ $rc -ne 0 ] && return $rc
		kq_log "guest ended without the end marker; console: ${kq_dir#"$kq_top"/}/last-console.log"
		return 1
	fi
	return "$(sed -n "s/^$KQ_END rc=\([0-9]*\).*/\1/p" "$kq_dir/last-console.log" | tail -n1)"
}

# Capture the tracefs format files of the uprobes_core events.
kq_formats()
{
	local outdir=${1:-$kq_top/tests/fixtures/uprobes_core} work out kernel
	local ver key t0 f ev

	kq_mktemp work || return 1
	cat > "$work/formats.sh" <<'EOF'
# Runs in the guest: print each file after a "### <name>" line.
t=/sys/kernel/tracing/events
echo "### uname"
uname -r
for f in header_page header_event; do
	echo "### $f"
	cat "$t/$f"
done
for d in "$t"/uprobes_core/*/; do
	[ -f "$d/format" ] || continue
	echo "### $(basename "$d")/format"
	cat "$d/format"
done
EOF
	kernel=$(kq_build) || return 1
	read -r ver key < <(kq_key)
	t0=$SECONDS
	kq_run --timeout 120 "$work/formats.sh" > "$work/out" || return 1
	kq_log "booted, ran and powered off in $((SECONDS - t0)) s"

	grep -q '^### uprobe_lookup/format$' "$work/out" ||
		{ kq_log "no uprobes_core events in the guest"; cat "$work/out" >&2; return 1; }
	mkdir -p "$outdir"
	# Split the stream at the "### name" lines into files under $outdir.
	awk -v dir="$outdir" '
		/^### / { name = substr($0, 5); file = dir "/" name
			  if (name != "uname") { n = split(name, p, "/")
			  if (n > 1) system("mkdir -p \"" dir "/" p[1] "\"") }
			  printf "" > file; next }
		file { print >> file }' "$work/out"
	out=$(cat "$outdir/uname"); rm -f "$outdir/uname"
	for ev in uprobe_lookup uprobe_spec_fail xol_slot_alloc xol_slot_recycle \
		  uprobe_find_retry xol_area_fail; do
		[ -s "$outdir/$ev/format" ] || { kq_log "missing $ev/format"; return 1; }
	done

	cat > "$outdir/README" <<EOF
Format files of the uprobes_core tracepoints, as a booted kernel with the
series in tools-perf-patch/kernel/ exposes them in tracefs, plus the
tracefs header_page and header_event files of the same kernel. Test
fixtures for the tracepoint discovery and parsing code.

Captured with:  scripts/kernel-qemu.sh formats
Kernel source:  $(sed '2,$s/^/                /' "$kq_dir/$ver-$key/source")
Kernel release: $out (uname -r in the guest)
Machine:        x86_64, qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 2 -m 512M
                -append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init"
Config:         make tinyconfig, then scripts/config -e for each of
                $(echo "${KQ_CONFIG[*]}" | fold -s -w 56 | sed -e 's/ *$//' -e '2,$s/^/                /')
                and -d LOCALVERSION_AUTO, then make olddefconfig
                (the full .config is <kernel cache>/qemu/$ver-$key/config)
In the guest:   mount -t tracefs nodev /sys/kernel/tracing, then cat of
                events/header_page, events/header_event and
                events/uprobes_core/<event>/format

The files are byte for byte what the guest printed on its serial console
(carriage returns removed). Regenerate them after any change to the
series. The "ID:" lines depend on the kernel's config (which other events
it has), so code must look ids up, never assume these.
EOF
	kq_log "wrote $(find "$outdir" -type f | wc -l) files to ${outdir#"$kq_top"/}"
}

if [ -z "${KQ_LIB:-}" ]; then
	set -uo pipefail
	cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	build) kq_build ;;
	run) kq_run "$@" ;;
	formats) kq_formats "$@" ;;
	*) sed -n '4,20s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
