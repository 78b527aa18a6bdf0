# SPDX-License-Identifier: GPL-2.0
#
# uprobe-stat: 'perf uprobe-stat' and the standalone perf-uprobe-stat.
#
#   make          build ./perf-uprobe-stat (runs 'make deps' when needed)
#   make demo     build, record the demo workload, print the report
#   make test     unit tests and end-to-end tests on real uprobes
#   make deps     install Debian packages; build libperf, libapi, libsubcmd
#                 from Debian's linux-source-6.12 into .deps/

DEPS_DIR	:= $(CURDIR)/.deps
KSRC		:= $(DEPS_DIR)/src
LIBS		:= $(DEPS_DIR)/install
DEPS_STAMP	:= $(DEPS_DIR)/stamp
BUILD		:= build
VERSION		:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CC		?= gcc
CFLAGS		?= -O2 -g
# perf's own warnings (tools/scripts/Makefile.include, tools/perf/Makefile.config),
# errors included as perf has them, so that the same files build inside perf.
WARNINGS	:= -Wall -Wextra -Wbad-function-cast -Wdeclaration-after-statement \
		   -Wformat-security -Wformat-y2k -Winit-self -Wmissing-declarations \
		   -Wmissing-prototypes -Wnested-externs -Wno-system-headers \
		   -Wold-style-definition -Wpacked -Wredundant-decls -Wstrict-prototypes \
		   -Wswitch-default -Wswitch-enum -Wundef -Wwrite-strings -Wformat \
		   -Wno-type-limits -Wshadow -Wstrict-aliasing=3
WERROR		?= 1
ifneq ($(WERROR),0)
WARNINGS	+= -Werror
endif
# tools/include first: libsubcmd and libperf headers build on the kernel's
# tools/ headers, exactly as perf itself compiles them.
# $(BUILD)/include/util/uprobe-stat is src/ and .../ui/uprobe-stat is ui/:
# files include each other across the two by the paths they have inside
# perf ("util/uprobe-stat/view.h", "ui/uprobe-stat/tui.h").
INCLUDES	:= -I$(LIBS)/include -I$(KSRC)/tools/include \
		   -I$(KSRC)/tools/arch/x86/include -I$(KSRC)/tools/include/uapi \
		   -I$(BUILD)/include
ALL_CFLAGS	= $(CFLAGS) $(WARNINGS) $(INCLUDES) -D_GNU_SOURCE -std=gnu11 -DHAVE_UPROBE_STAT_TUI \
		  -DHAVE_UPROBE_STAT_CXA_DEMANGLE -DUSTAT_VERSION='"$(VERSION)"' -MMD -MP $(EXTRA_CFLAGS)
# $(call soname,PKG,LIB): the soname of pkg-config PKG's LIB (its -dev
# symlink), to dlopen() at run time; empty without PKG.
soname		= $(shell pkg-config --exists $(1) 2>/dev/null && \
		    readelf -d $$(pkg-config --variable=libdir $(1))/$(2) 2>/dev/null | \
		    sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
# capstone disassembles the probed instruction for record --dry-run; without
# it (and inside perf) the dry run prints the bytes and the decoded length.
# It is dlopen()ed by its soname when the dry run asks (explain/disasm.c),
# not linked: its relocated tables are 3.3 MiB of every process's RSS.
CAPSTONE_SONAME	:= $(call soname,capstone,libcapstone.so)
ifneq ($(CAPSTONE_SONAME),)
ALL_CFLAGS	+= -DHAVE_UPROBE_STAT_CAPSTONE -DUSTAT_CAPSTONE_SONAME='"$(CAPSTONE_SONAME)"'
endif
LIBDEPS		:= $(LIBS)/lib64/libperf.a $(LIBS)/lib/libapi.a $(LIBS)/lib/libsubcmd.a
LDLIBS		:= $(LIBDEPS) -ltraceevent -ldw -lelf -lncursesw -ldl -lm -lpthread -lstdc++ \
		   $(EXTRA_LDFLAGS)
# top --openmetrics needs libmicrohttpd; without it (and inside perf) a stub says so.
# dlopen()ed by its soname when asked for (ui/top-http.c): with GnuTLS it is
# 2.5 MiB of every process's RSS.
MHD_SONAME	:= $(call soname,libmicrohttpd,libmicrohttpd.so)
ifneq ($(MHD_SONAME),)
ALL_CFLAGS	+= -DHAVE_UPROBE_STAT_OPENMETRICS $(shell pkg-config --cflags libmicrohttpd) \
		   -DUSTAT_MHD_SONAME='"$(MHD_SONAME)"'
endif
# The standalone binary; the sanitizer build puts its own under build/asan.
BIN		?= perf-uprobe-stat

# -b (record, top): a BPF program built with clang, its skeleton generated
# by bpftool, loaded with libbpf.  Without the three (or with NO_BPF=1) the
# code builds without HAVE_UPROBE_STAT_BPF and -b says so.  The program
# lives in src/bpf/, which the perf series does not take (perf-patch.sh).
BPF_CLANG	?= clang-14
BPFTOOL		?= $(firstword $(shell command -v bpftool 2>/dev/null) /usr/sbin/bpftool)
ifeq ($(NO_BPF),)
HAVE_BPF	:= $(shell pkg-config --exists libbpf 2>/dev/null && command -v $(BPF_CLANG) >/dev/null && \
		     test -x $(BPFTOOL) && echo 1)
endif
BPF_SKEL	:= $(BUILD)/bpf/uprobe-stat.skel.h
ifeq ($(HAVE_BPF),1)
ALL_CFLAGS	+= -DHAVE_UPROBE_STAT_BPF -I$(BUILD)/bpf
LDLIBS		+= -lbpf
endif

# src/ by concern (Documentation/uprobe-stat-design.txt): cmd/ the
# subcommands, core/ what both backends share, standalone/ the libperf
# backend, resolve/ explain/ bench/ list/ bpf/ util/; ui/ is the ncurses
# view (perf builds it only when ncurses is found).  The BPF program
# (src/bpf/*.bpf.c) is built by clang below, not by $(CC).  perf/ is the
# in-tree backend on perf's util/: it builds only inside tools/perf
# (scripts/perf-patch.sh), never here.
SRC_DIRS	:= $(filter-out src/perf/,$(sort $(dir $(wildcard src/*/*.c))))
SRCS		:= $(filter-out %.bpf.c src/perf/%,$(wildcard src/*/*.c)) $(wildcard ui/*.c)
LIB_SRCS	:= $(filter-out src/standalone/main.c,$(SRCS))
LIB_OBJS	:= $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ	:= $(BUILD)/src/standalone/main.o
# Tests, fuzz targets and test tools include the headers by name.
TEST_INCLUDES	:= $(addprefix -I,$(SRC_DIRS:%/=%))

all: $(BIN)

$(DEPS_STAMP): scripts/build-deps.sh
	./scripts/build-deps.sh

deps:
	./scripts/build-deps.sh

INTREE_LINKS	:= $(BUILD)/include/util/uprobe-stat $(BUILD)/include/ui/uprobe-stat
$(BUILD)/include/util/uprobe-stat:
	@mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/src $@
$(BUILD)/include/ui/uprobe-stat:
	@mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/ui $@

ifeq ($(HAVE_BPF),1)
$(BUILD)/bpf/uprobe-stat.bpf.o: src/bpf/uprobe-stat.bpf.c src/bpf/uprobe-stat-bpf.h src/bpf/hist-bucket.bpf.h
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -g -O2 -target bpf -Wall -Werror -I/usr/include/$(shell $(CC) -dumpmachine) \
		-c -o $@ $<
$(BPF_SKEL): $(BUILD)/bpf/uprobe-stat.bpf.o
	$(BPFTOOL) gen skeleton $< name uprobe_stat_bpf >$@.tmp && mv $@.tmp $@
# The fentry/fexit programs on the kernel's uprobe code: a skeleton of
# their own, so that a kernel refusing them takes nothing from -b.
$(BUILD)/bpf/uprobe-kfunc.bpf.o: src/bpf/uprobe-kfunc.bpf.c src/bpf/kfunc-bpf.h \
		src/bpf/hist-bucket.bpf.h src/bpf/uprobe-stat-bpf.h
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -g -O2 -target bpf -Wall -Werror -I/usr/include/$(shell $(CC) -dumpmachine) \
		-c -o $@ $<
$(BUILD)/bpf/uprobe-kfunc.skel.h: $(BUILD)/bpf/uprobe-kfunc.bpf.o
	$(BPFTOOL) gen skeleton $< name uprobe_kfunc_bpf >$@.tmp && mv $@.tmp $@
$(BUILD)/src/bpf/bpf-record.o $(BUILD)/src/bpf/bpf-write.o $(BUILD)/src/bpf/bpf-calib.o \
	$(BUILD)/src/bpf/bpf-kfunc.o: $(BPF_SKEL) $(BUILD)/bpf/uprobe-kfunc.skel.h
endif

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(INTREE_LINKS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# libsubcmd calls strlcpy(), which glibc 2.36 lacks; perf links the
# kernel's tools/lib/string.c (and the ctype.c it needs) for it, and so do
# we, compiled from the unpacked source in .deps/.
TOOLS_LIB_OBJS := $(BUILD)/deps/string.o $(BUILD)/deps/ctype.o
$(BUILD)/deps/string.o $(BUILD)/deps/ctype.o: $(BUILD)/deps/%.o: $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(INCLUDES) -D_GNU_SOURCE -c -o $@ $(KSRC)/tools/lib/$*.c

# The kernel's x86 instruction decoder (insn-check.c), compiled from the
# unpacked source as perf compiles it for intel-pt, its opcode tables
# generated by the kernel's own awk script.
ifeq ($(shell uname -m),x86_64)
X86_LIB		:= $(KSRC)/tools/arch/x86/lib
TOOLS_LIB_OBJS	+= $(BUILD)/deps/insn.o $(BUILD)/deps/inat.o
$(BUILD)/deps/inat-tables.c: $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	awk -f $(KSRC)/tools/arch/x86/tools/gen-insn-attr-x86.awk $(X86_LIB)/x86-opcode-map.txt >$@.tmp
	mv $@.tmp $@
$(BUILD)/deps/inat.o: $(BUILD)/deps/inat-tables.c
$(BUILD)/deps/insn.o $(BUILD)/deps/inat.o: $(BUILD)/deps/%.o: $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(INCLUDES) -I$(BUILD)/deps -D_GNU_SOURCE -c -o $@ $(X86_LIB)/$*.c
endif

$(BUILD)/libustat.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/libustat.a $(TOOLS_LIB_OBJS) $(DEPS_STAMP)
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -o $@ $(MAIN_OBJ) $(BUILD)/libustat.a $(TOOLS_LIB_OBJS) \
		$(LDLIBS)

# ---- test programs and tests -------------------------------------------

TEST_BIN	:= $(BUILD)/tests
WORKLOADS	:= $(patsubst tests/workloads/%.c,$(TEST_BIN)/%,$(wildcard tests/workloads/*.c))
UNIT_SRCS	:= $(wildcard tests/unit/test-*.c)
UNIT_BINS	:= $(patsubst tests/unit/%.c,$(TEST_BIN)/unit/%,$(UNIT_SRCS))

# Workloads: -O2 -g like real programs, each a PIE unless its name says otherwise.
$(TEST_BIN)/%: tests/workloads/%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -pthread -o $@ $< -ldl

# Callchains: frame pointers kept (record -g), omitted (--call-graph dwarf), C++.
$(TEST_BIN)/callers: tests/workloads/callers.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -o $@ $<
$(TEST_BIN)/callers-nofp: tests/workloads/callers.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fomit-frame-pointer -o $@ $<
$(TEST_BIN)/callers-cxx: tests/workloads/callers-cxx.cpp
	@mkdir -p $(dir $@)
	$(CXX) -O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -o $@ $<
WORKLOADS	+= $(TEST_BIN)/callers-nofp $(TEST_BIN)/callers-cxx

# ELF resolution is checked on the three kinds of file uprobes go into.
ELF_FIXTURES	:= $(TEST_BIN)/elf/elfsym-pie $(TEST_BIN)/elf/elfsym-nopie \
		   $(TEST_BIN)/elf/libelfsym.so $(TEST_BIN)/elf/elfsym-lib
$(TEST_BIN)/elf/elfsym-pie: tests/fixtures/elfsym.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fPIE -pie -o $@ $<
$(TEST_BIN)/elf/elfsym-nopie: tests/fixtures/elfsym.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fno-pie -no-pie -o $@ $<
$(TEST_BIN)/elf/libelfsym.so: tests/fixtures/libelfsym.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fPIC -shared -o $@ $<
$(TEST_BIN)/elf/elfsym-lib: tests/fixtures/elfsym-lib.c $(TEST_BIN)/elf/libelfsym.so
	$(CC) -O2 -g -o $@ $< -L$(TEST_BIN)/elf -lelfsym -Wl,-rpath,'$$ORIGIN'

# A function that exists only inlined, in a program and in a library.
INLINE_FIXTURES	:= $(TEST_BIN)/inline/inline-only $(TEST_BIN)/inline/libinline-only.so \
		   $(TEST_BIN)/inline/inline-only-lib
$(TEST_BIN)/inline/inline-only: tests/fixtures/inline-only.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -o $@ $<
$(TEST_BIN)/inline/libinline-only.so: tests/fixtures/inline-only.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fPIC -shared -DINLINE_LIB -o $@ $<
$(TEST_BIN)/inline/inline-only-lib: tests/fixtures/inline-only.c $(TEST_BIN)/inline/libinline-only.so
	$(CC) -O2 -g -DINLINE_USE_LIB -o $@ $< -L$(TEST_BIN)/inline -linline-only -Wl,-rpath,'$$ORIGIN'

# DWARF and USDT probes: the same programs at -O0 and -O2, PIE and not.
# (The separate debuginfo tests split a copy of their own, in a build-id
# tree of their own: never in /usr/lib/debug.)
DWARF_FIXTURES	:= $(foreach o,O0 O2,$(foreach p,pie nopie,$(TEST_BIN)/dwarf/prog-$(o)-$(p))) \
		   $(TEST_BIN)/dwarf/usdt-pie $(TEST_BIN)/dwarf/usdt-nopie
PIE_FLAGS_pie	:= -fPIE -pie
PIE_FLAGS_nopie	:= -fno-pie -no-pie
$(TEST_BIN)/dwarf/prog-%: tests/fixtures/dwarf-prog.c
	@mkdir -p $(dir $@)
	$(CC) -$(word 1,$(subst -, ,$*)) -g $(PIE_FLAGS_$(word 2,$(subst -, ,$*))) -o $@ $<
$(TEST_BIN)/dwarf/usdt-%: tests/fixtures/usdt.c tests/fixtures/usdt-guarded.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(PIE_FLAGS_$*) -o $@ $^

$(TEST_BIN)/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libustat.a $(TOOLS_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_INCLUDES) -Wno-unused-parameter -Itests/unit -o $@ $< $(BUILD)/libustat.a \
		$(TOOLS_LIB_OBJS) $(LDLIBS) -lcmocka

FUZZ_TARGETS	:= $(patsubst tests/fuzz/%.c,%,$(filter-out tests/fuzz/replay.c,$(wildcard tests/fuzz/fuzz-*.c)))
REPLAY_BINS	:= $(patsubst %,$(TEST_BIN)/replay-%,$(FUZZ_TARGETS))

# The fuzz targets built with gcc and a main() that replays files: make
# test runs every crasher and corpus file through them.
$(TEST_BIN)/replay-%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libustat.a $(TOOLS_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_INCLUDES) -o $@ $< tests/fuzz/replay.c $(BUILD)/libustat.a $(TOOLS_LIB_OBJS) \
		$(LDLIBS)

# Test tools built on the project's own code (e.g. the perf.data generator).
TOOL_BINS	:= $(patsubst tests/tools/%.c,$(TEST_BIN)/%,$(wildcard tests/tools/*.c))
$(TEST_BIN)/%: tests/tools/%.c $(BUILD)/libustat.a $(TOOLS_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_INCLUDES) -o $@ $< $(BUILD)/libustat.a $(TOOLS_LIB_OBJS) $(LDLIBS)

test-build: $(BIN) $(WORKLOADS) $(UNIT_BINS) $(ELF_FIXTURES) $(DWARF_FIXTURES) $(INLINE_FIXTURES) $(REPLAY_BINS) $(TOOL_BINS)

# The same tests again on a build with AddressSanitizer and UBSan.
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
test-build-asan: $(DEPS_STAMP)
	$(MAKE) BUILD=build/asan BIN=build/asan/perf-uprobe-stat EXTRA_CFLAGS="$(SAN_FLAGS)" \
		EXTRA_LDFLAGS="$(SAN_FLAGS)" build/asan/perf-uprobe-stat \
		$(patsubst $(BUILD)/%,build/asan/%,$(UNIT_BINS) $(REPLAY_BINS))

test: test-build test-build-asan
	./tests/run-tests.sh

# ---- fuzzing (clang's libFuzzer) -----------------------------------------

FUZZ_SECONDS	?= 60
FUZZ_CC		?= clang-14
FUZZ_FLAGS	:= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1
fuzz: $(DEPS_STAMP)
	$(MAKE) CC=$(FUZZ_CC) BUILD=build/fuzz EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -g -O1" \
		WERROR=0 build/fuzz/libustat.a build/fuzz/deps/string.o build/fuzz/deps/ctype.o
	./tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_CC) \
		"$(FUZZ_FLAGS) $(INCLUDES) $(TEST_INCLUDES) -D_GNU_SOURCE -std=gnu11" \
		"build/fuzz/libustat.a build/fuzz/deps/string.o build/fuzz/deps/ctype.o $(LDLIBS)"

# ---- the demo -------------------------------------------------------------

DEMO_PROBES	:= handle_request handle_request%return parse_request lookup_key \
		   walk_tree walk_tree%return
demo: perf-uprobe-stat $(TEST_BIN)/demo
	./perf-uprobe-stat record -f -o $(BUILD)/demo.data $(DEMO_PROBES) -- $(TEST_BIN)/demo 4 2000
	./perf-uprobe-stat report -i $(BUILD)/demo.data

# ---- perf: the in-tree subcommand -----------------------------------------

perf-patch: $(DEPS_STAMP)
	./scripts/perf-patch.sh

perf-check: perf-uprobe-stat $(TEST_BIN)/demo
	./scripts/perf-check.sh

# Against stock perf on this machine: a table of ratios and goals
# (Documentation/performance.md).  Never part of make test.
bench: test-build
	./scripts/bench-vs-perf.sh

# ---- the kernel side: the uprobes_core tracepoint series ------------------

include mk/kernel.mk
kernel-e2e: perf-uprobe-stat $(TEST_BIN)/churn $(TEST_BIN)/hits $(TEST_BIN)/regchurn $(TEST_BIN)/xolfail
kernel-e2e-bpf: perf-uprobe-stat $(TEST_BIN)/churn $(TEST_BIN)/hits

# The man page, when asciidoc and xmlto are installed (perf's asciidoc.conf
# for its linkperf: macro).
doc:
	@if ! command -v asciidoc >/dev/null || ! command -v xmlto >/dev/null; then \
		echo "make doc needs asciidoc and xmlto (apt-get install asciidoc xmlto)"; exit 1; fi
	@mkdir -p $(BUILD)/doc
	PATH=/usr/bin:/bin:$$PATH asciidoc -b docbook -d manpage -f $(KSRC)/tools/perf/Documentation/asciidoc.conf \
		-aperf_version=$(VERSION) -o $(BUILD)/doc/perf-uprobe-stat.xml \
		Documentation/perf-uprobe-stat.txt
	PATH=/usr/bin:/bin:$$PATH xmlto -o $(BUILD)/doc man $(BUILD)/doc/perf-uprobe-stat.xml
	@echo "man page: $(BUILD)/doc/perf-uprobe-stat.1 (man -l $(BUILD)/doc/perf-uprobe-stat.1)"

clean:
	rm -rf $(BUILD) perf-uprobe-stat

distclean: clean
	rm -rf $(DEPS_DIR)

-include $(wildcard $(BUILD)/src/*/*.d $(BUILD)/ui/*.d)

.PHONY: all deps clean distclean test test-build test-build-asan demo perf-patch perf-check doc bench \
	fuzz
