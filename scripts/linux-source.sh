#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch and unpack a Debian linux-source package, cached under .deps/:
#
#	scripts/linux-source.sh 6.12      Debian bookworm-security's linux-source-6.12
#	scripts/linux-source.sh newest    the newest in sid (linux-source-7.x)
#
# Prints the unpacked tree's path on stdout.  sid is reached through a
# private apt configuration under .deps/apt-sid/, so nothing is installed
# from it and /etc/apt is untouched.  Exit 77 when the registry cannot be
# reached (callers print SKIP), 1 on other errors.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
deps=${DEPS_DIR:-$top/.deps}
want=${1:?usage: linux-source.sh 6.12|newest}
mkdir -p "$deps"

if [ "$want" = newest ]; then
	apt_dir=$deps/apt-sid
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
		>"$apt_dir/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
		  -o Dir::State::Status=/dev/null -o APT::Architecture=amd64)
	# The list is refreshed once a day at most.
	if [ -z "$(find "$apt_dir/lists" -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		apt-get -qq "${apt_opts[@]}" update >/dev/null 2>&1 ||
			{ echo "linux-source: cannot reach Debian's sid registry" >&2; exit 77; }
	fi
	pkg=$(apt-cache "${apt_opts[@]}" search '^linux-source-[0-9.]*$' 2>/dev/null |
	      awk '{print $1}' | sort -V | tail -n 1)
	[ -n "$pkg" ] || { echo "linux-source: no linux-source package in sid" >&2; exit 77; }
else
	apt_opts=()
	pkg=linux-source-$want
fi

deb=$(ls "$deps"/${pkg}_*_all.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	(cd "$deps" && apt-get -qq "${apt_opts[@]}" download "$pkg" >/dev/null 2>&1) ||
		{ echo "linux-source: cannot download $pkg from Debian's registry" >&2; exit 77; }
	deb=$(ls "$deps"/${pkg}_*_all.deb | sort -V | tail -n 1)
fi
version=$(dpkg-deb -f "$deb" Version)
tree=$deps/trees/$pkg
if [ ! -f "$tree/.version" ] || [ "$(cat "$tree/.version")" != "$version" ]; then
	rm -rf "$tree"
	mkdir -p "$deps/trees"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" | tar -xJ -C "$deps/trees" ||
		{ echo "linux-source: cannot unpack $deb" >&2; exit 1; }
	echo "$version" >"$tree/.version"
fi
echo "$tree"
