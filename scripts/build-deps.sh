#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages uprobe-stat builds and tests with, then build
# libperf, libapi and libsubcmd from Debian's linux-source-6.12 into .deps/.
# Debian does not package those three libraries; perf links them statically
# from its own tree, and so do we.  Nothing from the kernel tree is copied
# into the repository: it is unpacked into the ignored .deps/ folder.
#
# Idempotent: a stamp file records what was built from which source
# version, so a second run only checks the packages and returns.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps=${DEPS_DIR:-$top/.deps}
ksrc_pkg=linux-source-6.12
packages="build-essential pkg-config xz-utils libtraceevent-dev libelf-dev
	  libdw-dev libncurses-dev libcmocka-dev linux-perf jq tmux time
	  systemtap-sdt-dev flex bison clang-14 libclang-rt-14-dev libcapstone-dev
	  libmicrohttpd-dev prometheus libbpf-dev bpftool bpftrace"

die() { echo "build-deps: $*" >&2; exit 1; }

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run 'make deps' as root)"
	echo "build-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq update >/dev/null 2>&1 || true
	# shellcheck disable=SC2086
	if ! apt-get -qq install -y --no-install-recommends $missing >"$deps.apt.log" 2>&1; then
		die "cannot install$missing from Debian's registry (see $deps.apt.log)"
	fi
	rm -f "$deps.apt.log"
fi

mkdir -p "$deps"
stamp="$deps/stamp"
script_sum=$(sha256sum "$0" | cut -c1-16)
if [ -f "$stamp" ] && grep -q "script=$script_sum" "$stamp" &&
   [ -f "$deps/install/lib64/libperf.a" ] && [ -f "$deps/install/lib/libsubcmd.a" ] &&
   [ -f "$deps/install/lib/libapi.a" ]; then
	exit 0
fi

# Fetch the source package once; keep the .deb so a rebuild needs no network.
deb=$(ls "$deps"/${ksrc_pkg}_*_all.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	echo "build-deps: downloading $ksrc_pkg"
	apt-cache show "$ksrc_pkg" >/dev/null 2>&1 || apt-get -qq update >/dev/null 2>&1 || true
	(cd "$deps" && apt-get -qq download "$ksrc_pkg" >/dev/null 2>"$deps/download.log") ||
		die "cannot download $ksrc_pkg from Debian's registry (see $deps/download.log; bookworm-security must be in the apt sources)"
	deb=$(ls "$deps"/${ksrc_pkg}_*_all.deb | tail -n 1)
fi
version=$(dpkg-deb -f "$deb" Version)

# Only tools/ (and the uapi headers it refers to) is needed: about 100 MB
# unpacked instead of 1.5 GB, and ten seconds instead of a minute.
src="$deps/src"
if [ ! -f "$src/.version" ] || [ "$(cat "$src/.version")" != "$version" ]; then
	echo "build-deps: unpacking tools/ of $ksrc_pkg $version"
	rm -rf "$src" "$deps/deb"
	dpkg-deb -x "$deb" "$deps/deb"
	mkdir -p "$src"
	tar -xJf "$deps/deb/usr/src/$ksrc_pkg.tar.xz" -C "$src" --strip-components=1 \
		--wildcards "$ksrc_pkg/tools/*" "$ksrc_pkg/scripts/checkpatch.pl" \
		"$ksrc_pkg/scripts/spelling.txt" "$ksrc_pkg/scripts/const_structs.checkpatch" \
		"$ksrc_pkg/include/uapi/*" "$ksrc_pkg/arch/x86/include/uapi/*" \
		"$ksrc_pkg/Makefile"
	rm -rf "$deps/deb"
	echo "$version" >"$src/.version"
fi

echo "build-deps: building libperf, libapi, libsubcmd from $ksrc_pkg $version"
rm -rf "$deps/install" "$deps/obj"
# Optimised: libperf's Makefile gives -g alone and libapi's no -O unless
# DEBUG=0, and libperf's read and consume are half the recorder's CPU time
# (libsubcmd builds at -O3 already).
for lib in perf api subcmd; do
	case $lib in perf|api) opt=-O2 ;; *) opt= ;; esac
	mkdir -p "$deps/obj/$lib"
	make -s -C "$src/tools/lib/$lib" O="$deps/obj/$lib" DESTDIR="$deps/install" \
		EXTRA_CFLAGS="$opt" prefix= install_lib install_headers >"$deps/obj/$lib.log" 2>&1 ||
		die "building lib$lib failed (see $deps/obj/$lib.log)"
done
echo "version=$version script=$script_sum" >"$stamp"
echo "build-deps: done ($ksrc_pkg $version)"
