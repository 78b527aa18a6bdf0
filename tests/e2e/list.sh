# SPDX-License-Identifier: GPL-2.0
# list: what a binary offers to probe (functions with their inlined
# copies, a function's lines, USDT probes) and what the kernel offers.
. "$(dirname "$0")/lib.sh"

D=$BIN/dwarf
SRC=tests/fixtures/dwarf-prog.c
A_DECL=$(grep -n "LINE:caller_a\b" $SRC | cut -d: -f1)

$USTAT list -x $D/prog-O2-pie --funcs >"$TMPD/l.txt"
check_eq "list --funcs: an inlined function's sites" "add_one 4 sites (3 inlined)" \
	"$(awk '$1 == "add_one" { $1 = $1; print }' "$TMPD/l.txt")"
grep -qx caller_a "$TMPD/l.txt" && pass "list --funcs: a plain function" ||
	fail "list --funcs: a plain function" "$(head -3 "$TMPD/l.txt")"
$USTAT list -x $D/prog-O0-pie --lines caller_a >"$TMPD/l.txt"
check_eq "list --lines: header" "<caller_a@$(realpath $SRC):$A_DECL>" "$(head -1 "$TMPD/l.txt")"
check_eq "list --lines: numbered lines are what func:LINE takes" "0 1 2 3 4" \
	"$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ { printf "%s%s", s, $1; s = " " }' "$TMPD/l.txt")"
$USTAT list -x $D/usdt-pie --sdt >"$TMPD/l.txt"
check_eq "list --sdt" "sdt:ustat_test:guarded 1 site, semaphore at file offset|sdt:ustat_test:plain 2 sites" \
	"$(awk '{ $1 = $1; sub(/ 0x[0-9a-f]+$/, ""); print }' "$TMPD/l.txt" | paste -sd'|')"
$USTAT list --kernel >"$TMPD/l.txt"
check_eq "list --kernel: a line for each signal and the attach mode" 17 "$(grep -vc '^#' "$TMPD/l.txt")"
grep -q "^attach for -- CMD and -p  *yes  *\(task\|tracefs\):" "$TMPD/l.txt" &&
	pass "list --kernel: names the attach mode that keeps bystanders out" ||
	fail "list --kernel: names the attach mode" "$(grep "^attach" "$TMPD/l.txt")"
grep -q "^uprobe PMU  *yes  type [0-9]" "$TMPD/l.txt" && grep -q "^PROCMAP_QUERY " "$TMPD/l.txt" &&
	grep -q "^# [0-9]* missing$" "$TMPD/l.txt" && pass "list --kernel: the uprobe PMU, PROCMAP_QUERY, a total" ||
	fail "list --kernel: the uprobe PMU, PROCMAP_QUERY, a total" "$(head -3 "$TMPD/l.txt")"
awk '$2 == "no" && !/apply tools-perf-patch|Linux [0-9.]+ or later|EFAULT|run as root|tracefs/ { print; bad = 1 }
	END { exit bad }' "$TMPD/l.txt" >"$TMPD/bad" && pass "list --kernel: each missing one says what gives it" ||
	fail "list --kernel: each missing one says what gives it" "$(head -1 "$TMPD/bad")"

# Bad input: one line on stderr naming the problem, exit status 1.
P=$D/prog-O2-pie
bad_inputs <<EOT
list: --lines without -x|--lines needs -x BINARY|list --lines main
list: two modes|exclude each other|list -x $P --funcs --sdt
list: --kernel with -x|--kernel lists the kernel, not -x|list --kernel -x $P
list: unknown function|function 'nosuch' not found in the debuginfo of|list -x $P --lines nosuch
list: no such binary|cannot find binary 'nosuch-binary'|list -x nosuch-binary --sdt
list: stray argument|unexpected argument 'extra'|list --kernel extra
EOT
