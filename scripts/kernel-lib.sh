# SPDX-License-Identifier: GPL-2.0
#
# kernel-lib.sh - helpers shared by kernel-check.sh and kernel-qemu.sh.
# Sourced, not run.

# Where the kernel side keeps what it downloads and builds: the Debian
# source, the prepared kernel-check tree, the qemu kernels. Outside the
# clone on purpose, so that every clone on a machine (CI starts from a
# fresh one each time) reuses the kernels built before: they are keyed by
# content (source version, series diffs, config recipe), never by path.
# KERNEL_CACHE overrides it.
kernel_cache_dir()
{
	echo "${KERNEL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/uprobe-stat/kernel}"
}

# Install the Debian packages named in "$@" that are missing. Only calls
# apt-get (and its "update") when something is missing, so that a second
# run costs nothing and works offline. Returns 77 if apt cannot get them.
kernel_need_packages()
{
	local missing=() p

	for p in "$@"; do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	if [ "$(id -u)" != 0 ]; then
		echo "missing packages ${missing[*]} and not root" >&2
		return 77
	fi
	echo "installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get -qq update </dev/null >&2 ||
	   ! apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2; then
		echo "apt-get install ${missing[*]} failed" >&2
		return 77
	fi
}

# Packages needed to configure and build a kernel (and to run checkpatch:
# perl, and python3-ply and python3-git for scripts/spdxcheck.py, which
# imports both; without them checkpatch skips the SPDX check silently;
# dwarves for pahole, which makes the BTF of the bpf variant, kernel-qemu.sh).
KERNEL_BUILD_PACKAGES=(build-essential flex bison bc libssl-dev libelf-dev
		       perl python3 python3-ply python3-git git xz-utils cpio kmod
		       dwarves)

# checkpatch.pl runs scripts/spdxcheck.py through "env python3". Prefer
# Debian's python3, which is the one python3-ply is installed for, over
# any other python3 found first in $PATH (pyenv and the like).
kernel_debian_path()
{
	echo "/usr/bin:/bin:$PATH"
}

# The hash that names a patch series: its patch files, in order. Cover
# letters do not change the code, so they are left out.
kernel_series_hash()
{
	local dir=$1 f

	for f in "$dir"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$f" ] || continue
		case $(basename "$f") in 0000-*) continue ;; esac
		# Only the diffs matter: commit ids and dates in the mail
		# headers change on every format-patch run.
		sed -n '/^diff --git/,$p' "$f"
	done | sha256sum | cut -c1-16
}

# The series' patch files, cover letter excluded, one a line.
kernel_series_patches()
{
	local f

	for f in "$1"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$f" ] || continue
		case $(basename "$f") in 0000-*) continue ;; esac
		echo "$f"
	done
}
