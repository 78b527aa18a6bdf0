#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-source.sh - fetch and unpack the newest Linux source Debian ships.
#
# The tracepoint series in tools-perf-patch/kernel/ is written against the
# kernel source Debian packages as linux-source-X.Y (architecture "all").
# The newest one lives in sid, which this bookworm machine must not install
# from, so the .deb is fetched with a private apt configuration (its own
# sources.list, package lists and cache under the kernel cache's
# apt-sid/) and unpacked
# with dpkg-deb: nothing from sid is installed and /etc/apt is not touched.
#
# Usage: scripts/kernel-source.sh [--print-dir | --print-version]
#
# On success the source tree is <kernel cache>/linux-source-X.Y (a pristine
# tree: nothing writes into it afterwards) and the last line printed is its
# path (or, with --print-version, the Debian package version).
#
# Idempotent: once unpacked, a second run only reads a stamp file.
# Exit codes: 0 ok, 77 the archive cannot be reached (callers print SKIP),
# 1 anything else.
#
# Environment:
#   KERNEL_SOURCE_PKG  package to fetch (default: the newest linux-source-*
#                      in sid, found through the "linux-source" metapackage)
#   KERNEL_SUITE       Debian suite to fetch from (default: sid)
#   KERNEL_CACHE       cache folder, shared by every clone on the machine
#                      (default: ~/.cache/uprobe-stat/kernel)
#   KERNEL_MIRROR      Debian mirror (default: http://deb.debian.org/debian)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-lib.sh"
deps=$(kernel_cache_dir)
suite=${KERNEL_SUITE:-sid}
mirror=${KERNEL_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
aptdir=$deps/apt-$suite
kdir=$deps
mode=${1:-}

say() { echo "kernel-source: $*" >&2; }
skip() { echo "kernel-source: $*" >&2; exit 77; }

# Fast path: the stamp names the tree the last successful run produced.
# Honour it unless the caller asks for a particular package.
stamp=$kdir/source.stamp
if [ -z "${KERNEL_SOURCE_PKG:-}" ] && [ -s "$stamp" ]; then
	# stamp: <package> <version> <directory>
	read -r pkg ver dir < "$stamp"
	if [ -f "$dir/Makefile" ] && [ -f "$dir/.unpacked" ]; then
		case $mode in
		--print-version) echo "$ver" ;;
		*) echo "$dir" ;;
		esac
		exit 0
	fi
fi

[ -r "$keyring" ] || skip "no $keyring (install debian-archive-keyring)"
command -v apt-get >/dev/null || skip "apt-get not found: not a Debian system"

mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" \
	 "$aptdir/etc" "$kdir"
echo "deb [signed-by=$keyring] $mirror $suite main" > "$aptdir/etc/sources.list"

# Everything apt reads or writes is redirected into $aptdir. The empty
# status file makes apt ignore what is installed on this machine: we only
# ever download, never install.
: > "$aptdir/status"
apt_opts=(
	-o "Dir::Etc::SourceList=$aptdir/etc/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null"
	-o "Dir::Etc::PreferencesParts=/dev/null"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::State::Status=$aptdir/status"
	-o "Dir::Cache=$aptdir/cache"
	-o "APT::Sandbox::User=root"
	-o "Acquire::Retries=2"
)

# Refresh the package list at most once a day: the index is 10 MB and the
# kernel source only changes with new uploads.
lists=("$aptdir"/lists/*_Packages*)
if [ ! -e "${lists[0]}" ] || [ -n "$(find "$aptdir/lists" -name '*_Packages*' -mmin +1440)" ]; then
	say "updating the $suite package list"
	if ! apt-get "${apt_opts[@]}" -qq update >"$aptdir/update.log" 2>&1 ||
	   grep -qE '^(W|E): (Failed to fetch|Some index files failed)' "$aptdir/update.log"; then
		lists=("$aptdir"/lists/*_Packages*)
		[ -e "${lists[0]}" ] ||
			skip "cannot reach the Debian archive ($mirror $suite): $(grep -m1 -E '^(W|E):' "$aptdir/update.log" || echo 'apt-get update failed')"
		say "archive unreachable, using the package list fetched earlier"
	fi
fi

# Which linux-source-X.Y? The linux-source metapackage depends on the
# newest one; fall back to the highest version named linux-source-N.M.
pkg=${KERNEL_SOURCE_PKG:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache "${apt_opts[@]}" depends linux-source 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-source-[0-9][0-9.]*\)$/\1/p' | head -n1)
fi
if [ -z "$pkg" ]; then
	pkg=$(apt-cache "${apt_opts[@]}" pkgnames linux-source- 2>/dev/null |
	      grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n1)
fi
[ -n "$pkg" ] || { say "no linux-source package in $suite"; exit 1; }

ver=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$pkg" 2>/dev/null |
      sed -n 's/^Version: //p' | head -n1)
[ -n "$ver" ] || { say "$pkg has no version in $suite"; exit 1; }

dir=$kdir/$pkg
deb=$kdir/${pkg}_${ver}_all.deb

if [ -f "$dir/.unpacked" ] && [ "$(cat "$dir/.unpacked")" = "$ver" ]; then
	echo "$pkg $ver $dir" > "$stamp"
	case $mode in --print-version) echo "$ver" ;; *) echo "$dir" ;; esac
	exit 0
fi

if [ ! -s "$deb" ]; then
	say "downloading $pkg $ver"
	# apt-get download writes into the current directory. Download under
	# a temporary name so an interrupted run leaves no half .deb behind.
	tmp=$(mktemp -d "$kdir/.dl.XXXXXX")
	if ! (cd "$tmp" && apt-get "${apt_opts[@]}" -qq download "$pkg=$ver") \
		>"$kdir/download.log" 2>&1; then
		rm -rf "$tmp"
		if grep -qiE 'Could not resolve|Failed to fetch|Connection|Temporary failure|Unable to connect' \
			"$kdir/download.log"; then
			skip "cannot download $pkg $ver: $(grep -m1 -iE 'fail|unable|could not' "$kdir/download.log")"
		fi
		say "apt-get download $pkg failed:"; cat "$kdir/download.log" >&2
		exit 1
	fi
	mv "$tmp"/*.deb "$deb"
	rm -rf "$tmp"
fi

# The .deb carries /usr/src/linux-source-X.Y.tar.xz; unpack the .deb into a
# scratch folder, then the tarball next to it, and only then move the tree
# into place, so that $dir exists only when it is complete.
say "unpacking $pkg $ver"
scratch=$(mktemp -d "$kdir/.unpack.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch/deb"
tarball=$(ls "$scratch"/deb/usr/src/linux-source-*.tar.* | head -n1)
tar -C "$scratch" -xf "$tarball"
rm -rf "$dir"
mv "$scratch/$(basename "${tarball%.tar.*}")" "$dir"
echo "$ver" > "$dir/.unpacked"
# Keep only the newest .deb: the tree is what callers use.
find "$kdir" -maxdepth 1 -name "${pkg}_*_all.deb" ! -name "$(basename "$deb")" -delete
echo "$pkg $ver $dir" > "$stamp"
case $mode in --print-version) echo "$ver" ;; *) echo "$dir" ;; esac
