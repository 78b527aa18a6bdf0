#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-series.sh - regenerate tools-perf-patch/kernel/ from a kernel git
# tree that carries the series as its last commits.
#
# Usage: scripts/kernel-series.sh TREE [N]
#
# TREE is a git repository of Debian's linux-source (the tree
# kernel-qemu.sh and kernel-check.sh make will do: git clone it, then
# git am tools-perf-patch/kernel/000[1-9]-*.patch and edit). The last N
# commits (default: as many as the series has now) are written with git
# format-patch --zero-commit --no-signature --notes (git notes carry the
# "checkpatch: TYPE: why" lines below the ---, where they stay out of the
# commit). The cover letter keeps the subject and text of the committed
# one; only git's header, shortlog and diffstat are new.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-lib.sh"
tree=${1:?usage: kernel-series.sh TREE [N]}
dir=$top/tools-perf-patch/kernel
n=${2:-$(kernel_series_patches "$dir" | wc -l)}
cover=$dir/0000-cover-letter.patch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The cover letter is from whoever wrote the series' last commit (git
# would take the local user): the marked placeholder until a sender
# replaces it.
git -C "$tree" -c user.name="$(git -C "$tree" log -1 --format=%an)" \
	-c user.email="$(git -C "$tree" log -1 --format=%ae)" \
	format-patch -q --cover-letter --zero-commit --no-signature --notes -o "$work" "-$n"
new=$work/0000-cover-letter.patch
if [ -f "$cover" ] && ! grep -q '^Subject: .*\*\*\* SUBJECT HERE \*\*\*' "$cover"; then
	# The old subject (it may be folded) and the text up to the
	# shortlog ("Name (N):" line), in place of git's placeholders.
	awk -v old="$cover" '
		BEGIN {
			while ((getline l < old) > 0) {
				if (l ~ /^Subject: /) { subj = l; insubj = 1; continue }
				if (insubj && l ~ /^ /) { subj = subj "\n" l; continue }
				insubj = 0
				if (!body && l == "" && subj != "") { body = 1; continue }
				if (body && l ~ /^[^ ].* \([0-9]+\):$/) break
				if (body) text = text l "\n"
			}
		}
		/^Subject: / { print subj; skip = 1; next }
		skip && /^ / { next }
		{ skip = 0 }
		/^\*\*\* BLURB HERE \*\*\*$/ { printf "%s", text; getline; next }
		{ print }' "$new" > "$work/cover" && mv "$work/cover" "$new"
fi
rm -f "$dir"/[0-9][0-9][0-9][0-9]-*.patch
cp "$work"/*.patch "$dir/"
ls "$dir"/[0-9][0-9][0-9][0-9]-*.patch
