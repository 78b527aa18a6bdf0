#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate tools-perf-patch/perf/: the git format-patch series that puts
# 'perf uprobe-stat' into tools/perf of Debian's linux-source-6.12.  The
# series is made from src/, ui/ and Documentation/ every time, never edited
# by hand, so the standalone tool and the in-tree one cannot drift apart.
#
#	scripts/perf-patch.sh [OUTDIR [KSRC]]
#
# OUTDIR defaults to tools-perf-patch/perf, KSRC (a tree holding tools/perf)
# to .deps/src, the linux-source-6.12 that the standalone build uses.
#
# Dates, author and base are fixed, so the same sources always give the
# same bytes: tests compare a fresh series with the committed one.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/tools-perf-patch/perf}
ksrc=${2:-$top/.deps/src}
work=$(mktemp -d "${TMPDIR:-/tmp}/perf-patch.XXXXXX")
trap 'rm -rf "$work"' EXIT

die() { echo "perf-patch: $*" >&2; exit 1; }
[ -f "$ksrc/tools/perf/perf.c" ] || die "no kernel tools/ in $ksrc: run 'make deps' first"

export GIT_AUTHOR_NAME="uprobe-stat developers"
export GIT_AUTHOR_EMAIL="maintainers@users.noreply.h-seed-cb9a6e0c.example"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-11-22T00:00:00Z" GIT_COMMITTER_DATE="2026-11-22T00:00:00Z"
signoff="Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"

# The base: the files of tools/perf the series changes, as Debian ships them.
p=$work/tree/tools/perf
mkdir -p "$p/util" "$p/ui" "$p/Documentation"
# perf lists its commands in command-list.txt up to 6.x, in builtin-help.c later.
for f in perf.c builtin.h Build Makefile.config util/Build ui/Build command-list.txt builtin-help.c; do
	[ -f "$ksrc/tools/perf/$f" ] && cp "$ksrc/tools/perf/$f" "$p/$f"
done
git -C "$work/tree" init -q
git -C "$work/tree" add -A
git -C "$work/tree" commit -q -m "base: tools/perf of linux-source $(cat "$ksrc/.version" 2>/dev/null || basename "$ksrc")"

commit() {	# $1: subject, $2: body
	git -C "$work/tree" add -A
	git -C "$work/tree" commit -q -F - <<MSG
$1

$2

$signoff
MSG
}

# 1. The core, where perf keeps such code: util/uprobe-stat/.
core=$p/util/uprobe-stat
mkdir -p "$core"
objs=""
for f in "$top"/src/*.[ch]; do
	case "$(basename "$f")" in
	main.c|builtin-uprobe-stat.c) continue ;;
	esac
	cp "$f" "$core/"
	case "$f" in *.c) objs="$objs $(basename "${f%.c}").o" ;; esac
done
{
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "# Generated from uprobe-stat's src/ by scripts/perf-patch.sh."
	for o in $objs; do echo "perf-util-y += $o"; done
} >"$core/Build"
# Built only with what the code needs: libtraceevent for the signals'
# formats, libelf for symbols, libdw for lines, inlined functions and
# debuginfo (CONFIG_DWARF up to 6.x, CONFIG_LIBDW later).
cat >>"$p/util/Build" <<'MK'

ifeq ($(CONFIG_LIBTRACEEVENT),y)
ifneq ($(CONFIG_DWARF)$(CONFIG_LIBDW),)
  perf-util-$(CONFIG_LIBELF) += uprobe-stat/
endif
endif
MK
commit "perf uprobe-stat: Add the core: uprobe PMU, perf.data, signals, aggregation" \
"uprobe-stat answers what a uprobe hit costs, on which CPU, and why.
This adds its core under util/uprobe-stat/, the same files as the
standalone perf-uprobe-stat: probe specs resolved with libelf and libdw
(symbols, inlined functions, source lines, separate debuginfo by
build-id) and USDT notes (semaphores passed as ref_ctr_offset), uprobes
attached through the uprobe PMU with libperf (no tracefs uprobe_events, so
nothing is left behind), a perf.data writer and a bounds-checked streaming
reader, time ordering at FINISHED_ROUND, and the aggregation of probe hits,
entry/return latencies and the kernel signals (uprobes_core tracepoints
where the kernel has them, mmap_lock callchains and lock contention
otherwise) that every view prints.

Two kernel-side problems are worked around and described in the code: the
uprobe PMU cannot inherit events (the inherited event re-reads the path
from the forking task's memory and the target's fork() fails with EFAULT),
so a command runs in a perf_event cgroup of its own; and
perf_mmap__read_done() skips records on non-overwrite buffers, so it is
not called.

It is built when libtraceevent, libelf and libdw are found."

# 2. The subcommand: builtin, command table, docs.
cp "$top/src/builtin-uprobe-stat.c" "$p/builtin-uprobe-stat.c"
cp "$top/Documentation/perf-uprobe-stat.txt" "$p/Documentation/perf-uprobe-stat.txt"
python3 - "$p" <<'PY'
import sys
p = sys.argv[1]
def edit(path, old, new):
    s = open(path).read()
    if old not in s:
        sys.exit("perf-patch: cannot find the place to edit in " + path)
    open(path, "w").write(s.replace(old, new, 1))
import os
edit(p + "/perf.c", """#ifdef HAVE_LIBTRACEEVENT
	{ "kwork",	cmd_kwork,	0 },
#endif
};""", """#ifdef HAVE_LIBTRACEEVENT
	{ "kwork",	cmd_kwork,	0 },
#endif
#if defined(HAVE_LIBTRACEEVENT) && defined(HAVE_LIBELF_SUPPORT)
#if defined(HAVE_DWARF_SUPPORT) || defined(HAVE_LIBDW_SUPPORT)
	{ "uprobe-stat", cmd_uprobe_stat, 0 },
#endif
#endif
};""")
edit(p + "/builtin.h", "int cmd_kwork(int argc, const char **argv);\n",
     "int cmd_kwork(int argc, const char **argv);\nint cmd_uprobe_stat(int argc, const char **argv);\n")
edit(p + "/Build", "perf-$(CONFIG_LIBTRACEEVENT) += builtin-timechart.o\n",
     "perf-$(CONFIG_LIBTRACEEVENT) += builtin-timechart.o\n\nifeq ($(CONFIG_LIBTRACEEVENT),y)\nifneq ($(CONFIG_DWARF)$(CONFIG_LIBDW),)\n  perf-$(CONFIG_LIBELF) += builtin-uprobe-stat.o\nendif\nendif\n")
if os.path.exists(p + "/command-list.txt"):
    edit(p + "/command-list.txt", "perf-kwork			mainporcelain traceevent\n",
         "perf-kwork			mainporcelain traceevent\nperf-uprobe-stat		mainporcelain traceevent\n")
else:
    edit(p + "/builtin-help.c",
         """		{"timechart", "Tool to visualize total system behavior during a workload"},\n""",
         """		{"timechart", "Tool to visualize total system behavior during a workload"},\n"""
         """		{"uprobe-stat", "What a uprobe hit costs, on which CPU, and why"},\n""")
PY
commit "perf uprobe-stat: Add the subcommand and its man page" \
"'perf uprobe-stat record|report|script|list|bench': record attaches uprobes
(func, func+OFF, func%return, file.c:LINE, func:LINE, sdt:provider:name,
each also as BINARY:...) to a command, processes or the whole system and
writes perf.data that 'perf script' and 'perf report' read; report prints
hits per probe and CPU, entry-to-return latency and the kernel signals as
tables, JSON or CSV; script prints one line per event; list shows what a
binary offers to probe and what the kernel offers; bench measures what a
uprobe hit costs by kind of probed instruction and number of threads, as
selftests/bpf's uprobe benchmarks do but without BPF.  The same
cmd_uprobe_stat() is the standalone perf-uprobe-stat.

Documentation/perf-uprobe-stat.txt documents the options, the attach
modes, the kernel signals, the benchmark and the JSON schemas."

# 3. The interactive view: top and report --tui, where ncurses is.
tui=$p/ui/uprobe-stat
mkdir -p "$tui"
objs=""
for f in "$top"/ui/*.[ch]; do
	cp "$f" "$tui/"
	case "$f" in *.c) objs="$objs $(basename "${f%.c}").o" ;; esac
done
{
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "# Generated from uprobe-stat's ui/ by scripts/perf-patch.sh."
	for o in $objs; do echo "perf-ui-y += $o"; done
} >"$tui/Build"
python3 - "$p" <<'PY'
import sys
p = sys.argv[1]
def edit(path, old, new):
    s = open(path).read()
    if old not in s:
        sys.exit("perf-patch: cannot find the place to edit in " + path)
    open(path, "w").write(s.replace(old, new, 1))
# perf's own TUI is slang; the uprobe-stat view is plain ncurses, found
# with pkg-config and only linked, its headers being in the default path.
edit(p + "/Makefile.config", "ifndef NO_SLANG\n", """ifndef NO_UPROBE_STAT_TUI
  ifeq ($(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo y),y)
    CFLAGS += -DHAVE_UPROBE_STAT_TUI
    EXTLIBS += $(shell $(PKG_CONFIG) --libs ncursesw)
    $(call detected,CONFIG_UPROBE_STAT_TUI)
  else
    $(warning ncursesw not found, disables perf uprobe-stat top and report --tui. Please install libncurses-dev or ncurses-devel)
  endif
endif

ifndef NO_SLANG\n""")
s = open(p + "/ui/Build").read()
s += """
ifeq ($(CONFIG_LIBTRACEEVENT),y)
  ifeq ($(CONFIG_LIBELF),y)
    perf-ui-$(CONFIG_UPROBE_STAT_TUI) += uprobe-stat/
  endif
endif
"""
open(p + "/ui/Build", "w").write(s)
PY
commit "perf uprobe-stat: Add top and report --tui" \
"'perf uprobe-stat top' attaches the probes as record does and shows them
live; 'report --tui' replays a file through the same screen, as it was at
each moment of the recording.  The screen: a heat map of the CPUs (hits/s,
uprobe lookup p99, lookup fallback %, xol slot wait or lock wait p99),
the probes with their rates, latencies and fallbacks, a sparkline of
hits/s and a detail panel for the selected probe or CPU.  It draws a view
model computed by util/uprobe-stat/view.c from the aggregation report
prints, and computes nothing itself.

perf's TUI is slang; this view is a few hundred lines of plain ncurses,
found with pkg-config (ncursesw) and left out, with a message from top
and --tui, where it is missing or NO_UPROBE_STAT_TUI=1 is given."

rm -rf "$out.new"
mkdir -p "$out.new"
git -C "$work/tree" format-patch -q --cover-letter --no-signature --zero-commit \
	-o "$out.new" HEAD~3..HEAD
# The cover letter's subject and blurb, instead of git's placeholders.
python3 - "$out.new/0000-cover-letter.patch" "$(cat "$ksrc/.version" 2>/dev/null || basename "$ksrc")" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
s = s.replace("*** SUBJECT HERE ***", "perf uprobe-stat: what a uprobe hit costs, on which CPU, and why")
s = s.replace("*** BLURB HERE ***", """This series adds 'perf uprobe-stat', for uprobe and mm developers and for
anyone whose tracing puts uprobes on hot paths: it attaches uprobes
through the uprobe PMU, records hits and the kernel's uprobe signals into
perf.data, and reports per-probe and per-CPU hit rates, entry-to-return
latencies, lookup latency and speculation failures, xol slot recycling
and mmap_lock contention, as tables, JSON, CSV or script lines, and live
in an ncurses view (top, report --tui).

The code is generated from the standalone perf-uprobe-stat
(scripts/perf-patch.sh), so the two never drift apart.  The kernel
tracepoints it uses (uprobes_core:*) are a separate series; without them
it falls back to what stock kernels show and says so.

Generated against BASE; built and run by 'make perf-check'.""".replace("BASE", sys.argv[2]))
open(path, "w").write(s)
PY
rm -rf "$out"
mv "$out.new" "$out"
echo "perf-patch: $(ls "$out" | wc -l) files in $out"
