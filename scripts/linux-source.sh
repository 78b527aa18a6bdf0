#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch and unpack a Debian linux-source package, cached under .deps/:
#
#	scripts/linux-source.sh 6.12      Debian bookworm-security's linux-source-6.12
#	scripts/linux-source.sh newest    the newest in sid (linux-source-7.x),
#					  through scripts/kernel-source.sh
#
# Prints the unpacked tree's path on stdout.  Exit 77 when the registry
# cannot be reached (callers print SKIP), 1 on other errors.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
deps=${DEPS_DIR:-$top/.deps}
want=${1:?usage: linux-source.sh 6.12|newest}
mkdir -p "$deps"

# The newest: kernel-source.sh finds it in sid (the tree kernel-check and
# kernel-e2e build), and exits 77 when the archive cannot be reached.
[ "$want" = newest ] && exec "$top/scripts/kernel-source.sh"
pkg=linux-source-$want

deb=$(ls "$deps"/${pkg}_*_all.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	(cd "$deps" && apt-get -qq download "$pkg" >/dev/null 2>&1) ||
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
