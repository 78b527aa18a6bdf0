# SPDX-License-Identifier: GPL-2.0
#
# Kernel side of uprobe-stat: the uprobes_core tracepoint series in
# tools-perf-patch/kernel/. Included by the top-level Makefile.
#
#   make kernel-check     apply the series to Debian's newest kernel source,
#                         checkpatch it (cover letter included), build
#                         uprobes.o with W=1 before and after, check the
#                         mails for placeholders, one authorship and SPDX
#                         (PASS:/FAIL:/SKIP: lines)
#   make kernel-source    fetch and unpack that source into the kernel
#                         cache (~/.cache/uprobe-stat/kernel, or
#                         $KERNEL_CACHE: shared by every clone on the
#                         machine, everything in it keyed by content)
#   make kernel-formats   build the patched kernel, boot it under qemu and
#                         refresh tests/fixtures/uprobes_core/ from tracefs
#   make kernel-e2e       build that kernel (a small config, cached by source
#                         version, series hash and config), boot it under
#                         qemu with the tool inside, record and report; the
#                         host checks the JSON, and inheritance with the
#                         series' fix, against the unpatched kernel too
#                         (tests/kernel/e2e.sh). Then the cost of a hit in
#                         it and in an unpatched build, with jump labels
#                         and -O2 and with -Os without, printed only
#                         (tests/kernel/uprobe-cost.sh); and what recording
#                         shifts in the kernel events it records, against
#                         the kernel's own trace buffer (tests/kernel/
#                         observer.sh)
#   make kernel-e2e-bpf   the same series built with BPF, BTF and ftrace
#                         direct calls (KQ_VARIANT=bpf, cached like the
#                         others): the tool's BPF fentry sources of lookups
#                         and xol slots against the tracepoints, in one
#                         recording (tests/kernel/bpf-e2e.sh); kernel-e2e
#                         runs it too (its kernel: about 9 min uncached on
#                         an idle 2-CPU machine, 42 min at load 78)
#
# These need root (they apt-get install build tools, qemu and busybox) and
# the Debian archive; without it they print SKIP and succeed.

# Where this fragment lives, so the targets work whatever the including
# Makefile's directory is. Must be read before any other include.
KERNEL_MK_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

.PHONY: kernel-check kernel-source kernel-formats kernel-e2e kernel-e2e-bpf

kernel-check:
	@bash $(KERNEL_MK_TOP)/scripts/kernel-check.sh

kernel-source:
	@bash $(KERNEL_MK_TOP)/scripts/kernel-source.sh; rc=$$?; \
	 if [ $$rc -eq 77 ]; then echo "SKIP: kernel-source: Debian archive unreachable"; \
	 else exit $$rc; fi

kernel-formats:
	@bash $(KERNEL_MK_TOP)/scripts/kernel-qemu.sh formats

# The inheritance test's forking workload (the top-level Makefile adds
# the tool and the other workloads).
kernel-e2e: $(TEST_BIN)/waiter
	@bash $(KERNEL_MK_TOP)/tests/kernel/e2e.sh
	@bash $(KERNEL_MK_TOP)/tests/kernel/bpf-e2e.sh
	@echo "# the cost of a hit, patched (events off and on) and unpatched, in guest"
	@echo "# instructions (qemu -icount: immune to the host's load), kernels built"
	@echo "# with CONFIG_JUMP_LABEL=y and -O2 (jl) and with -Os, no jump labels"
	@echo "# (tiny); not asserted:"
	@KQ_QEMU_ARGS="-icount shift=0" bash $(KERNEL_MK_TOP)/tests/kernel/uprobe-cost.sh 3 || \
		echo "# uprobe-cost.sh failed: no comparison this time"
	@echo "# what recording shifts: the churn workload traced into the kernel's"
	@echo "# trace buffer, and recorded by the tool (qemu -icount); not asserted:"
	@KQ_QEMU_ARGS="-icount shift=0" bash $(KERNEL_MK_TOP)/tests/kernel/observer.sh 3 || \
		echo "# observer.sh failed: no comparison this time"

# fentry/fexit need BTF and ftrace direct calls: a kernel of their own.
kernel-e2e-bpf:
	@bash $(KERNEL_MK_TOP)/tests/kernel/bpf-e2e.sh
