#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate tools-perf-patch/perf/: the git format-patch series that puts
# 'perf uprobe-stat' into tools/perf of Debian's linux-source-6.12.  The
# series is made from src/, ui/, Documentation/perf-uprobe-stat.txt and
# tests/perf/uprobe_stat.sh every time, never edited by hand, so the
# standalone tool and the in-tree one cannot drift apart.
#
#	scripts/perf-patch.sh [OUTDIR [KSRC]]
#
# OUTDIR defaults to tools-perf-patch/perf, KSRC (a tree holding tools/perf)
# to .deps/src, the linux-source-6.12 that the standalone build uses.
#
# The series is one patch a topic, in an order where each patch applies and
# builds on its own (make perf-check builds every one in turn).  perf links
# libperf-util.a and libperf-ui.a with --whole-archive (6.12 and 7.2), so
# every object of a patch is linked even before the subcommand arrives:
# what a patch's files call must be in that patch or an earlier one.
#
# Dates, identity and base are fixed, so the same sources always give the
# same bytes: tests compare a fresh series with the committed one.  The
# identity is the marked placeholder of the kernel series: whoever sends the
# series puts their own name there.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/tools-perf-patch/perf}
ksrc=${2:-$top/.deps/src}
work=$(mktemp -d "${TMPDIR:-/tmp}/perf-patch.XXXXXX")
trap 'rm -rf "$work"' EXIT

die() { echo "perf-patch: $*" >&2; exit 1; }
[ -f "$ksrc/tools/perf/perf.c" ] || die "no kernel tools/ in $ksrc: run 'make deps' first"

# Files of src/ and ui/ that are never sent, as paths below src/ (ui/ for
# ui/).  main.c is the standalone binary's; the BPF program is built with
# clang and bpftool by the standalone Makefile; bpf-record/write/calib/kfunc
# and bpf-int.h are all inside #ifdef HAVE_UPROBE_STAT_BPF, which perf never
# defines (record -b says "not built with BPF support" inside perf).
not_sent=(standalone/main.c 'bpf/*.bpf.c' 'bpf/*.bpf.h' bpf/uprobe-stat-bpf.h bpf/bpf-int.h
	  bpf/bpf-record.c bpf/bpf-write.c bpf/bpf-calib.c bpf/bpf-kfunc.c bpf/kfunc-bpf.h)
# The standalone backend's own files that the in-tree backend (src/perf/,
# on perf's util/) replaces: they stay out once it implements the seam.
# perf.data is read by perf_session (perf/input-*.c) and written by perf's
# header and synthesize code (perf/rec-file.c), so neither the tool's
# reader nor its writer and /proc synthesizer is sent.
standalone_only=(standalone/input.c 'standalone/session.[ch]' 'standalone/perf-reader*.[ch]'
		 'standalone/ordered-events.[ch]' 'standalone/perf-writer*.[ch]'
		 'standalone/synthesize.[ch]' standalone/rec-file.c)

# The series: one patch a topic, in order.  A file goes to the first patch
# (in this order) one of whose patterns matches it, else to the first whose
# folder defaults match it; a file that matches neither stops the script.
# Patterns are bash globs on the path below src/ (ui/NAME for ui/).
patches=(helpers symbols resolve model backend aggregate attach bench record printers list explain ui cmd test)
declare -A pats defaults
pats[helpers]="util/* core/histogram.*"
pats[symbols]="resolve/elf-* resolve/demangle.* resolve/target-* resolve/procmap.*
	resolve/insn-check.* resolve/usdt.*"
pats[resolve]="core/probe-spec.* resolve/dwarf-* resolve/debuginfo.* resolve/probe-*"
defaults[resolve]="resolve/*"
pats[model]="core/backend.h core/sample.* core/record-opts.* standalone/sample.* core/meta.* core/event-info.* core/event-model.*
	core/sample-filter.* core/probe-dedupe.* core/cmd-end.*
	core/kernel-event* core/kevent* perf/fields.*
	explain/kallsyms.* standalone/tracefs.* standalone/tp-fields.* standalone/kevents-discover.*"
pats[backend]="perf/input-* perf/perf-input.h perf/perf-evlist.* perf/replay.h standalone/perf-file.h
	standalone/tracing-data.* standalone/format-check.*
	standalone/sample-parse.* standalone/file-event.h"
pats[aggregate]="core/aggregate.* core/pairing.* core/agg-session.* core/callchain*"
pats[attach]="standalone/uprobe-* standalone/evsel-* standalone/cgroup.* standalone/fd-limit.*
	standalone/workload.* standalone/libperf-gaps.*"
pats[bench]="bench/* explain/calibration.* explain/observer.* explain/hit-path.* core/cost-*"
# The file record writes (perf/rec-file.c, on perf's header code) comes
# with the recorder that fills it.
pats[record]="standalone/record* bpf/* perf/rec-* standalone/out-file.*"
defaults[record]="standalone/*"
pats[printers]="core/report* bpf/bpf-report.*"
defaults[printers]="core/*"
pats[list]="list/*"
defaults[explain]="explain/*"
pats[ui]="core/view.* core/openmetrics.*"
defaults[ui]="ui/*"
# ui/builtin-*.c are commands (top): they come with the subcommand, as
# does the recording seam (rec-seam.c), which drives record, the dry run
# and top's live input for the commands.
pats[cmd]="cmd/* ui/builtin-* standalone/rec-seam.*"

# ---- Which file goes where ------------------------------------------------

matches() {	# $1: path, $2: patterns
	local p
	set -f
	for p in $2; do
		set +f
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
		set -f
	done
	set +f
	return 1
}

declare -A files	# patch -> its paths below src/ (ui/NAME for ui/)
unmatched=""
for f in "$top"/src/* "$top"/src/*/* "$top"/ui/*; do
	[ -f "$f" ] || continue
	case $f in
	"$top"/ui/*) rel=ui/${f#"$top"/ui/} ;;
	*) rel=${f#"$top"/src/} ;;
	esac
	matches "$rel" "${not_sent[*]} ${standalone_only[*]}" && continue
	to=""
	for n in "${patches[@]}"; do
		matches "$rel" "${pats[$n]:-}" && { to=$n; break; }
	done
	if [ -z "$to" ]; then
		for n in "${patches[@]}"; do
			matches "$rel" "${defaults[$n]:-}" && { to=$n; break; }
		done
	fi
	case $rel in
	*/*.[ch]) ;;
	*) to="" ;;	# a file outside a folder, or not C: nowhere to build it
	esac
	if [ -z "$to" ]; then
		unmatched="$unmatched ${f#"$top"/}"
		continue
	fi
	files[$to]="${files[$to]:-} $rel"
done
[ -z "$unmatched" ] || die "in no patch of the series:$unmatched (add a pattern to" \
	"scripts/perf-patch.sh's table, or to not_sent if the file must stay out)"

# A header goes with the first patch that includes it, so that every patch
# compiles: the patterns place the .c files, the includes carry the .h.
cat >"$work/hoist.py" <<'PY'
import os, re, sys
top = sys.argv[1]
order, where = [], {}
for line in sys.stdin:
    n, rel = line.split()
    if n not in order:
        order.append(n)
    where[rel] = order.index(n)
def includes(rel):
    path = os.path.join(top, rel if rel.startswith("ui/") else "src/" + rel)
    for inc in re.findall(r'^#include "([^"]+)"', open(path).read(), re.M):
        if inc.startswith("util/uprobe-stat/"):
            yield inc[len("util/uprobe-stat/"):]
        elif inc.startswith("ui/uprobe-stat/"):
            yield "ui/" + inc[len("ui/uprobe-stat/"):]
        elif "/" not in inc:
            yield os.path.join(os.path.dirname(rel), inc)
changed = True
while changed:
    changed = False
    for rel in list(where):
        for h in includes(rel):
            if h in where and where[h] > where[rel]:
                where[h] = where[rel]
                changed = True
for rel, k in where.items():
    print(order[k], rel)
PY
hoisted=$(for n in "${patches[@]}"; do
		for rel in ${files[$n]:-}; do echo "$n $rel"; done
	done | python3 "$work/hoist.py" "$top")
unset files
declare -A files
while read -r n rel; do
	files[$n]="${files[$n]:-} $rel"
done <<<"$hoisted"

if [ -n "${PERF_PATCH_SHOW:-}" ]; then	# which file goes where, for whoever edits the table
	for n in "${patches[@]}"; do
		for rel in ${files[$n]:-}; do echo "$n $rel"; done
	done
fi

# ---- The base: the files of tools/perf the series changes, as Debian ships them

p=$work/tree/tools/perf
mkdir -p "$p/util" "$p/ui" "$p/Documentation" "$p/tests/shell"
# perf lists its commands in command-list.txt up to 6.x, in builtin-help.c later.
for f in perf.c builtin.h Build Makefile.config util/Build ui/Build command-list.txt builtin-help.c; do
	[ -f "$ksrc/tools/perf/$f" ] && cp "$ksrc/tools/perf/$f" "$p/$f"
done

export GIT_AUTHOR_NAME="REPLACE-ME Sender"
export GIT_AUTHOR_EMAIL="replace-me@example.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-11-22T00:00:00Z" GIT_COMMITTER_DATE="2026-11-22T00:00:00Z"
signoff="Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
git -C "$work/tree" init -q
git -C "$work/tree" add -A
git -C "$work/tree" commit -q -m "base: tools/perf of linux-source $(cat "$ksrc/.version" 2>/dev/null || basename "$ksrc")"

edit() {	# $1: file, $2: text to find, $3: what replaces it
	python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1:4]
s = open(path).read()
if old not in s:
    sys.exit("perf-patch: cannot find the place to edit in " + path + ": " + old.splitlines()[0])
open(path, "w").write(s.replace(old, new, 1))
PY
}

# A folder's Build: every object of the folder so far.  A file that tests
# HAVE_UPROBE_STAT_TUI gets it as its own flag, not in CFLAGS: a change of
# perf's CFLAGS would rebuild all of perf at the patch that made it.
write_build() {	# $1: folder, $2: perf-util or perf-ui, $3: from
	local d=$1 f o tui=""
	{
		echo "# SPDX-License-Identifier: GPL-2.0"
		echo "# Generated from uprobe-stat's $3 by scripts/perf-patch.sh."
		for f in "$d"/*.c; do
			[ -f "$f" ] || continue
			o=$(basename "${f%.c}").o
			echo "$2-y += $o"
			grep -q HAVE_UPROBE_STAT_TUI "$f" && tui="$tui $o"
		done
		# What the in-tree backend needs to know of this perf's util/.
		if [ "$(basename "$d")" = perf ] &&
		   grep -q "^void evlist__put(" "$ksrc/tools/perf/util/evlist.h"; then
			for o in perf-evlist; do
				[ -f "$d/$o.c" ] && echo "CFLAGS_$o.o += -DUSTAT_PERF_EVLIST_PUT"
			done
		fi
		if [ -n "$tui" ]; then
			echo
			echo "ifeq (\$(CONFIG_UPROBE_STAT_TUI),y)"
			for o in $tui; do echo "  CFLAGS_$o += -DHAVE_UPROBE_STAT_TUI"; done
			echo "endif"
		fi
	} >"$d/Build"
}

builds() {	# every Build of util/uprobe-stat and ui/uprobe-stat, for the files so far
	local core=$p/util/uprobe-stat d
	if [ -d "$core" ]; then
		{
			echo "# SPDX-License-Identifier: GPL-2.0"
			echo "# Generated by scripts/perf-patch.sh: one folder a concern (uprobe-stat-design.txt)."
			for d in "$core"/*/; do
				d=$(basename "$d")
				write_build "$core/$d" perf-util "src/$d/"
				echo "perf-util-y += $d/"
			done
		} >"$core/Build"
	fi
	[ -d "$p/ui/uprobe-stat" ] && write_build "$p/ui/uprobe-stat" perf-ui "ui/"
	return 0
}

place() {	# copy the files of patch $1 to where perf keeps them
	local rel
	for rel in ${files[$1]:-}; do
		case $rel in
		cmd/builtin-uprobe-stat.c) cp "$top/src/$rel" "$p/builtin-uprobe-stat.c" ;;
		ui/*) mkdir -p "$p/ui/uprobe-stat"; cp "$top/$rel" "$p/ui/uprobe-stat/" ;;
		*) mkdir -p "$p/util/uprobe-stat/${rel%%/*}"; cp "$top/src/$rel" "$p/util/uprobe-stat/$rel" ;;
		esac
	done
}

# ---- What each patch does to perf's own files -------------------------------

hook_helpers() {
	# Built only with what the code needs: libtraceevent for the kernel
	# events' formats, libelf for symbols, libdw for lines, inlined
	# functions and debuginfo (CONFIG_DWARF up to 6.x, CONFIG_LIBDW later).
	cat >>"$p/util/Build" <<'MK'

ifeq ($(CONFIG_LIBTRACEEVENT),y)
ifneq ($(CONFIG_DWARF)$(CONFIG_LIBDW),)
  perf-util-$(CONFIG_LIBELF) += uprobe-stat/
endif
endif
MK
}

hook_ui() {
	# perf's own TUI is slang; the uprobe-stat view is plain ncurses, found
	# with pkg-config and only linked, its headers being in the default path.
	edit "$p/Makefile.config" $'ifndef NO_SLANG\n' \
'ifndef NO_UPROBE_STAT_TUI
  ifeq ($(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo y),y)
    EXTLIBS += $(shell $(PKG_CONFIG) --libs ncursesw)
    $(call detected,CONFIG_UPROBE_STAT_TUI)
  else
    $(warning ncursesw not found, disables perf uprobe-stat top and report --tui. Please install libncurses-dev or ncurses-devel)
  endif
endif

ifndef NO_SLANG
'
	cat >>"$p/ui/Build" <<'MK'

ifeq ($(CONFIG_LIBTRACEEVENT),y)
ifneq ($(CONFIG_DWARF)$(CONFIG_LIBDW),)
ifeq ($(CONFIG_LIBELF),y)
  perf-ui-$(CONFIG_UPROBE_STAT_TUI) += uprobe-stat/
endif
endif
endif
MK
}

hook_cmd() {
	cp "$top/Documentation/perf-uprobe-stat.txt" "$p/Documentation/perf-uprobe-stat.txt"
	edit "$p/perf.c" '#ifdef HAVE_LIBTRACEEVENT
	{ "kwork",	cmd_kwork,	0 },
#endif
};' '#ifdef HAVE_LIBTRACEEVENT
	{ "kwork",	cmd_kwork,	0 },
#endif
#if defined(HAVE_LIBTRACEEVENT) && defined(HAVE_LIBELF_SUPPORT)
#if defined(HAVE_DWARF_SUPPORT) || defined(HAVE_LIBDW_SUPPORT)
	{ "uprobe-stat", cmd_uprobe_stat, 0 },
#endif
#endif
};'
	edit "$p/builtin.h" $'int cmd_kwork(int argc, const char **argv);\n' \
		$'int cmd_kwork(int argc, const char **argv);\nint cmd_uprobe_stat(int argc, const char **argv);\n'
	local tui=""
	grep -q HAVE_UPROBE_STAT_TUI "$top/src/cmd/builtin-uprobe-stat.c" && tui='
ifeq ($(CONFIG_UPROBE_STAT_TUI),y)
  CFLAGS_builtin-uprobe-stat.o += -DHAVE_UPROBE_STAT_TUI
endif'
	edit "$p/Build" $'perf-$(CONFIG_LIBTRACEEVENT) += builtin-timechart.o\n' \
"perf-\$(CONFIG_LIBTRACEEVENT) += builtin-timechart.o

ifeq (\$(CONFIG_LIBTRACEEVENT),y)
ifneq (\$(CONFIG_DWARF)\$(CONFIG_LIBDW),)
  perf-\$(CONFIG_LIBELF) += builtin-uprobe-stat.o
endif
endif$tui
"
	if [ -f "$p/command-list.txt" ]; then
		edit "$p/command-list.txt" $'perf-kwork\t\t\tmainporcelain traceevent\n' \
			$'perf-kwork\t\t\tmainporcelain traceevent\nperf-uprobe-stat\t\tmainporcelain traceevent\n'
	else
		edit "$p/builtin-help.c" \
			$'\t\t{"timechart", "Tool to visualize total system behavior during a workload"},\n' \
			$'\t\t{"timechart", "Tool to visualize total system behavior during a workload"},\n\t\t{"uprobe-stat", "What a uprobe hit costs, on which CPU, and why"},\n'
	fi
}

notes_test() {
	echo "checkpatch: SPDX_LICENSE_TAG: perf test takes a shell test's description from"
	echo "its second line (tests/tests-scripts.c), so the SPDX tag is on the third, as in"
	echo "every tests/shell/*.sh."
}

hook_test() {
	cp "$top/tests/perf/uprobe_stat.sh" "$p/tests/shell/uprobe_stat.sh"
	chmod 755 "$p/tests/shell/uprobe_stat.sh"
}

# ---- The commit messages: what each patch adds and why ----------------------

msg() {
	case $1 in
	helpers) cat <<'M'
perf uprobe-stat: Add helpers: JSON, escaping, u64 maps, histograms

Start 'perf uprobe-stat' with the small pieces the rest of the series
builds on, under util/uprobe-stat/util/: one growable array (typed and
overflow-checked, util/array.h), a JSON writer and a small JSON parser
(for the --json reports and for 'bench --compare' reading them back),
escaping of strings from the traced process before they reach a
terminal, CSV or JSON, an open-addressed u64 -> value map (per-thread
and per-address state on the hit path of report), Welch's t-test for
the benchmark comparison, and the log2 latency histogram every view
prints percentiles from (core/histogram.c).

Nothing calls them yet; the subcommand comes at the end of the series.
The folder is built only when libtraceevent, libelf and libdw are all
found, as the subcommand needs all three.
M
	;;
	symbols) cat <<'M'
perf uprobe-stat: Find probe sites in ELF files: symbols and USDT notes

A uprobe is a file and an offset.  This adds what finds them with
libelf (resolve/): the symbols of a binary (with C++ names demangled),
its functions for wildcards and 'list', the USDT notes of the stapsdt
section with their semaphores (passed to the kernel as
ref_ctr_offset), the lookup of a running process's mappings with the
PROCMAP_QUERY ioctl (Linux 6.11+), the checks that a target file is an
ELF object this machine runs, and a check with the kernel's own x86
instruction decoder that a probe offset is an instruction boundary (an
int3 over an operand byte changes what the target runs).
M
	;;
	resolve) cat <<'M'
perf uprobe-stat: Resolve probe specs to sites with libdw

A probe spec says where to put a uprobe: func, func+OFF, func%return,
file.c:LINE, func:LINE, sdt:provider:name, each also as BINARY:...,
with wildcards and C++ names.  This adds its grammar (core/probe-spec.c)
and its resolution to sites: source lines and inlined instances with
libdw, separate debuginfo found by build-id, and the expansion of
wildcards to one probe per function.

perf probe resolves specs with probe-finder for 'perf probe -x'; the
differences (inlined copies listed one by one, a site per line table
row, USDT semaphores) are why this is not probe-finder yet.
M
	;;
	model) cat <<'M'
perf uprobe-stat: Add the event model and kernel events

What a recording's events are, and what the kernel says about each
hit.  The event model (core/event-info.c) is built from an array of
event descriptions (name, uprobe-stat's metadata record, tracepoint id)
that a backend hands over through core/backend.h, the one header the
core calls a backend through; it never sees a file reader.  Samples
are filtered by pid, comm, CPU and time (core/sample-filter.c).

Kernel events are the uprobes_core tracepoints where the kernel has
them (lookup path and latency, why the lockless lookup fell back, xol
slot waits and recycling), else what stock kernels show (mmap_lock
contention, with callchains resolved through /proc/kallsyms).
core/kevent-agg.c attributes them to the hits they delay; tracepoint
fields are read by name (util/uprobe-stat/perf/fields.c inside perf).
M
	;;
	aggregate) cat <<'M'
perf uprobe-stat: Add the aggregation of hits

core/aggregate.c adds up what a backend delivers: hits per probe, CPU
and thread, entry-to-return latencies from entries and returns paired
per thread (core/pairing.c), and the kernel events attributed to
them.  Every view (report
in each format, top and report --tui) prints from this one
aggregation.
M
	;;
	backend) cat <<'M'
perf uprobe-stat: Add the backend: perf.data through perf_session

The core reaches perf.data only through core/backend.h: open an input,
walk its records in time order with callbacks, read a tracepoint field
by name.  Inside perf that is perf's own code (util/uprobe-stat/perf/):
perf_session with an embedded perf_tool and ordered_events for files,
for the replay of report --tui and for a recording in progress (top).
uprobe-stat's own metadata is a feature section perf's header code
skips (bit 250), found through the header's feature table and read
with pread().  Writing comes with recording.
M
	;;
	attach) cat <<'M'
perf uprobe-stat: Attach uprobes through the uprobe PMU

Uprobes are attached with perf_event_open() on the uprobe PMU
(/sys/bus/event_source/devices/uprobe), so they live exactly as long as
the file descriptors and nothing is left armed however perf exits.

The uprobe PMU cannot inherit events: the inherited event re-reads the
probed path from the forking task's memory and the target's fork()
fails with EFAULT (the kernel series "uprobes: Tracepoints for the
uprobe lookup and xol slots; fix inherited uprobe PMU events" fixes
it).  record tests for this at start and picks the first mode that
works: inherited per-task PMU events; tracefs uprobe_events
definitions in a group of its own, as perf probe makes them, removed
on every exit path; a perf_event cgroup of its own for the command
with per-CPU events on it; or per-CPU events filtered by pid.  The fd
limit is raised for the per-CPU events, and the command is forked and
held before exec, as perf record does with its workload.
M
	;;
	bench) cat <<'M'
perf uprobe-stat: Add the uprobe cost benchmark and cost model

'perf uprobe-stat bench' measures what a uprobe hit costs, by kind of
probed instruction (nop, push, a call, an instruction that must be
single-stepped out of line), number of threads and with or without
recording, as selftests/bpf's uprobe benchmarks do but without BPF; it
prints a table or JSON and compares two runs with Welch's t-test.

The calibration (explain/calibration.c) runs a short benchmark to know
what a hit costs on this machine, and the cost model turns it and the
hit path of each site (explain/hit-path.c: emulated, single-stepped,
or the kernel's fast path) into the overhead record and report print.
M
	;;
	record) cat <<'M'
perf uprobe-stat: Add recording

The recorder attaches the resolved sites (merging duplicates), the
kernel events the kernel has, and the mmap and comm tracking needed to
name threads and resolve addresses; it drains the ring buffers into the
file until the command exits or SIGINT, counts what the kernel lost,
and closes every event before it returns.  It is what record, top and
the dry run share.

record -b (counting in BPF) needs libbpf and a BPF object the
standalone build compiles with clang; inside perf it is not built and
-b says so in one line (bpf/bpf-stub.c).  The -b files' records are
read and reported here all the same (bpf/bpf-meta.c).

The file is written as perf record writes it (perf/rec-file.c): a
perf_session on perf_data in write mode, perf_session__write_header()
at the start (so that a killed recording leaves a readable header),
the records of processes already running from
perf_event__synthesize_thread_map() (-p) and
perf_event__synthesize_threads() (-a), the tracepoints' formats from
tracing_data_get() taken at the start (tracefs probes are gone from
tracefs by the end), and perf_session__inject_header() at the end,
whose feat_copier hook writes those formats.  uprobe-stat's own
metadata, a section header.c has no writer for, is appended after
perf's features as bit 250.  The file is PATH.XXXXXX until the
recording starts (standalone/out-file.c), so a start that fails leaves
PATH and PATH.old alone.
M
	;;
	printers) cat <<'M'
perf uprobe-stat: Add the report printers: stdio, JSON, CSV, diff

report prints the aggregation as tables (per probe, per CPU, per
thread, the kernel events, the overhead), as JSON for scripts and as
CSV; --diff compares two files and several -i files are merged with
host and file as sort keys.  The printers read only the core's model
(the recording's description and the aggregation), never the file.
M
	;;
	list) cat <<'M'
perf uprobe-stat: Add list: what a binary and the kernel offer to probe

'perf uprobe-stat list -x BINARY' lists the functions (with their
inlined copies), the source lines of a function and the USDT notes a
spec can name; 'list --kernel' says which of the kernel's uprobe
features this kernel has: the uprobe PMU, ref_ctr_offset, inherited
events, the uprobes_core tracepoints and the fallbacks used without
them.
M
	;;
	explain) cat <<'M'
perf uprobe-stat: Add the dry run: what record would attach and cost

'perf uprobe-stat record --dry-run' resolves the specs as record does
and prints, without attaching anything, every site with its first
instruction, whether the kernel emulates it or single-steps it out of
line, and what the probes would cost at the given --rate on this
machine.
M
	;;
	ui) cat <<'M'
perf uprobe-stat: Add the live view: view model and ncurses screen

top and report --tui show the same screen: a heat map of the CPUs
(hits/s, lookup p99, lookup fallbacks, xol slot or lock waits), the
probes with their rates, latencies and fallbacks, a sparkline of hits/s
and a detail panel.  core/view.c computes it from the aggregation;
ui/uprobe-stat/ only draws it, with ncurses.  top --stdio prints the
same model as lines, and top --openmetrics serves it to Prometheus
where the standalone build has libmicrohttpd (not inside perf).

perf's TUI is slang: this view is ncurses, detected in Makefile.config
with pkg-config (ncursesw) and left out, top and --tui then saying so,
where it is missing or NO_UPROBE_STAT_TUI=1 is given.  It links next to
slang without conflicts; redrawing the view model with ui_browser is
possible later, as it computes nothing itself.
M
	;;
	cmd) cat <<'M'
perf uprobe-stat: Add the subcommand and its man page

'perf uprobe-stat record|report|script|top|list|bench': record attaches
uprobes to a command, processes, threads or the whole system and writes
perf.data; report prints it; script prints one line per event; top is
record shown live; list and bench are described in their patches.
record and top share one option table.  The same cmd_uprobe_stat() is
the standalone perf-uprobe-stat, which is built from the same files
with a libperf backend of its own.

Documentation/perf-uprobe-stat.txt documents the options, the attach
modes, the kernel events, the benchmark and the JSON schemas.
M
	;;
	test) cat <<'M'
perf test: Add a shell test for perf uprobe-stat

Record a uprobe and a return probe on brstack_bench() of perf's own
'perf test -w brstack' workload, whose number of calls is known
(N / 2 + 1), then check the exact hit counts in report and in
'perf uprobe-stat script', that 'perf script' reads the same file, and
that no uprobe_events definition is left behind.  Skips without root,
without the uprobe PMU, or when perf has no symbols for the workload.
M
	;;
	*) die "no commit message for patch '$1'" ;;
	esac
}

# ---- The series ----------------------------------------------------------------

declare -A number
n=0
for name in "${patches[@]}"; do
	place "$name"
	builds
	if declare -F "hook_$name" >/dev/null; then
		"hook_$name"
	fi
	git -C "$work/tree" add -A
	if git -C "$work/tree" diff --cached --quiet; then
		echo "perf-patch: patch '$name' is empty today, left out" >&2
		continue
	fi
	n=$((n + 1))
	number[$name]=$n
	{ msg "$name"; echo; echo "$signoff"; } | git -C "$work/tree" commit -q -F -
	# Below the ---, where git am leaves it: why checkpatch may warn.
	if declare -F "notes_$name" >/dev/null; then
		git -C "$work/tree" notes add -m "$("notes_$name")" HEAD
	fi
done
[ "$n" -ge 2 ] || die "only $n patches"

rm -rf "$out.new"
mkdir -p "$out.new"
git -C "$work/tree" format-patch -q --cover-letter --no-signature --zero-commit --notes \
	-o "$out.new" "HEAD~$n..HEAD"

# The list of the cover letter: each patch's number and what it adds.
declare -A short=([helpers]="small helpers: JSON, escaping, a u64 map, histograms"
	[symbols]="probe sites in ELF files: symbols, USDT notes, targets"
	[resolve]="probe specs resolved to sites with libdw"
	[model]="the event model and kernel events"
	[aggregate]="the aggregation of hits"
	[backend]="the backend behind core/backend.h: perf_session"
	[attach]="attaching through the uprobe PMU, and the inherit fallbacks"
	[bench]="the cost benchmark and the cost model it calibrates"
	[record]="recording, into perf.data through perf's header code"
	[printers]="the report printers"
	[list]="list"
	[explain]="record --dry-run"
	[ui]="the live view: view model and its ncurses screen"
	[cmd]="the subcommand, its perf.c/builtin.h/Build entries, the man page"
	[test]="a perf test shell test")
list=""
for name in "${patches[@]}"; do
	[ -n "${number[$name]:-}" ] || continue
	list="$list$(printf '  %2d  %s' "${number[$name]}" "${short[$name]:-$name}")"$'\n'
done
list=${list%$'\n'}
base=$(cat "$ksrc/.version" 2>/dev/null || basename "$ksrc")
# What the backend patch is: perf's util/ (src/perf/) once it is there.
if [[ " ${files[backend]:-}" == *" perf/"* ]]; then
	backend_text="The code is generated from the standalone perf-uprobe-stat, from the
same core files.  Inside perf, perf.data is perf's own code both ways
(util/uprobe-stat/perf/): reading is perf_session with a perf_tool,
ordered_events and tracepoint fields by name with evsel__field();
writing is perf_session__write_header() and perf_session__inject_header()
for the header, attrs, ids and features, perf_event__synthesize_thread_map()
and perf_event__synthesize_threads() for running processes, and
trace-event-info's tracing_data_get() for the tracepoints' formats.  The
standalone's perf.data reader, writer, /proc synthesizer, session and
time ordering are not part of this series.  What stays the tool's: its
own feature section (bit 250 of the feature bitmap, which header.c has
no writer for: appended after perf's features), the output file's life
(PATH.XXXXXX until the recording starts), the kernel events' formats
for the recorder's own use (tracing-data.c: kallsyms addresses and top's
live input), and the opening of the events, on libperf's public API."
else
	backend_text="The code is generated from the standalone perf-uprobe-stat, so the two
do not drift apart.  Not yet what it should be: the backend of patch
$(printf %d "${number[backend]:-0}") is still the standalone's own, on libperf's public API, with a
perf.data reader, writer and ordered queue of its own beside perf's
util/session.c; one on perf_session, perf_tool and evsel__intval()
replaces it next."
fi
cat >"$work/blurb" <<TXT
perf uprobe-stat answers what a uprobe hit costs, on which CPU, and why.
Uprobes are on the hot paths of production tracing (USDT probes, BPF
uprobes, perf probe -x), and since the lookup went lockless (RCU-ified
find_uprobe_rcu() and the speculative VMA lookup under mm_lock_seq) the
cost of a hit depends on things nothing shows: whether the lookup fell
back to mmap_read_lock(), whether the xol slot bitmap was contended,
whether the instruction is emulated or single-stepped out of line.

'perf uprobe-stat record' attaches uprobes through the uprobe PMU to a
command, processes or the whole system and writes perf.data that
'perf report' and 'perf script' read; 'report' prints hits per probe,
CPU and thread, entry-to-return latencies and what the kernel says of
each hit (the uprobes_core tracepoints of the companion kernel series
where the kernel has them, mmap_lock contention otherwise), as tables,
JSON or CSV; 'top' and 'report --tui' show the same live; 'list' shows
what a binary offers to probe and what the kernel supports; 'bench'
measures the cost of a hit by kind of instruction and thread count.

The series:
$list
Each patch applies and builds on its own.  perf links libperf-util.a
and libperf-ui.a with --whole-archive, so each patch adds only code
whose callees are in it or before it; the command comes last, once
everything it calls is there.  The code lives in util/uprobe-stat/ by
concern (util, resolve, core, standalone, bench, bpf, list, explain,
cmd) and ui/uprobe-stat/; its headers include each other by their path
in perf ("util/uprobe-stat/core/aggregate.h").

How to test:
  perf test -v 'perf uprobe-stat'    (tests/shell/uprobe_stat.sh, root)
  perf uprobe-stat record brstack_bench -- perf test -w brstack 1000
  perf uprobe-stat report; perf script
  man perf-uprobe-stat               (Documentation/perf-uprobe-stat.txt)
The test records a uprobe and a return probe on perf's own brstack
workload and checks exact hit counts in report and script; it skips
without root or the uprobe PMU.

What it needs from perf's build: libtraceevent, libelf and libdw (it is
left out without any of them, as perf.c's table entry says), and
ncursesw for top and report --tui.  perf's TUI is slang; this view is
ncurses behind NO_UPROBE_STAT_TUI, detected in Makefile.config with
pkg-config: the view model (util/uprobe-stat/core/view.c) computes
everything and the screen only draws it, so drawing it with ui_browser
instead is a later, self-contained change.  Not built inside perf: -b
(counting in BPF needs the standalone build's clang/bpftool object),
top --openmetrics (libmicrohttpd) and capstone's disassembly in the dry
run (the raw bytes are printed instead).  The series was built, patch
by patch, on 6.12 and 7.2 with perf's default features on Debian
bookworm: off were only libbfd (BUILD_NONDISTRO=1), babeltrace2's CTF
writer on 7.2 (bookworm's libbabeltrace2-dev has none) and, with
NO_RUST=1, 7.2's Rust test workload (rustup's rustc and binutils'
LLVM 14 plugin disagree on its bitcode).

$backend_text

Authorship:
Every From: and Signed-off-by: in this series is the placeholder
"$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>".
The series was prepared with the uprobe-stat tool; whoever sends it
must put their own name and address there (git commit --amend
--reset-author -s, or git format-patch with their identity) and can
only do so if they can certify the Developer's Certificate of Origin
for it.

Base: Debian's linux-source $base,
which has no git history; no base-commit is given.
TXT
python3 - "$out.new/0000-cover-letter.patch" "$work/blurb" <<'PY'
import sys
path, blurb = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
s = open(path).read()
s = s.replace("*** SUBJECT HERE ***",
              "perf uprobe-stat: What a uprobe hit costs, on which CPU, and why")
s = s.replace("*** BLURB HERE ***", blurb)
open(path, "w").write(s)
PY
rm -rf "$out"
mv "$out.new" "$out"
echo "perf-patch: $(ls "$out" | wc -l) files in $out"
