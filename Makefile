# pollscope build. `make` builds build/pollscope; see `make help`.
# V=1 prints full commands; BUILD=dir picks the output folder.

VERSION     := 0.1.0
BUILD       ?= build
CXX         ?= g++
CLANG       ?= clang
BPFTOOL     ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
PREFIX      ?= /usr/local
DESTDIR     ?=
SANITIZE    ?=
# Parallel jobs for the builds inside `make test` and `make asan` (the README's
# one command must not build serially on a 2-core machine).
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

# libbpf's name for the target architecture (bpf_tracing.h needs it for
# PT_REGS and syscall wrappers), from the machine we build on.
UNAME_M     := $(shell uname -m)
BPF_ARCH    := $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(patsubst s390x,s390,$(patsubst ppc64le,powerpc,$(patsubst riscv64,riscv,$(patsubst loongarch64,loongarch,$(UNAME_M)))))))
ARCH_DEFINE := -D__TARGET_ARCH_$(BPF_ARCH)
CXXFLAGS_BASE := -std=c++17 -g -Wall -Wextra -Werror -I. -I$(BUILD) -MMD -MP \
                 -DPOLLSCOPE_VERSION='"$(VERSION)"'
ifeq ($(SANITIZE),1)
# GCC 12 reports false maybe-uninitialized warnings inside libstdc++'s <regex>
# and <functional> under the sanitizers; they are not in our code.
CXXFLAGS_OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -Wno-maybe-uninitialized
LDFLAGS_SAN  := -fsanitize=address,undefined
else
CXXFLAGS_OPT := -O2
LDFLAGS_SAN  :=
endif
CXXFLAGS ?=
ALL_CXXFLAGS := $(CXXFLAGS_BASE) $(CXXFLAGS_OPT) $(CXXFLAGS)
LDLIBS   := -lbpf -lelf -lz -lncursesw -lfmt -lprometheus-cpp-pull -lprometheus-cpp-core -lcivetweb-cpp -lcivetweb -lpthread

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))

LIB_SRCS  := $(sort $(wildcard core/*.cpp core/*/*.cpp tui/*.cpp cli/*.cpp cli/support/*.cpp))
LIB_SRCS  := $(filter-out cli/main.cpp,$(LIB_SRCS))
LIB_OBJS  := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(LIB_SRCS))
MAIN_OBJ  := $(BUILD)/obj/cli/main.o
TEST_SRCS := $(sort $(wildcard tests/unit/*.cpp))
TEST_OBJS := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(TEST_SRCS))
LIB       := $(BUILD)/libpollscope.a
BIN       := $(BUILD)/pollscope
UNIT      := $(BUILD)/unit-tests
MAN_PAGES := $(sort $(wildcard man/*.8))

.PHONY: all deps run test unit-test asan clean install uninstall help fuzz
all: $(BIN)

help:
	@echo "make            build $(BIN)"
	@echo "make deps       install missing Debian packages (root)"
	@echo "make run        deps + build + run the main job (pollscope lab)"
	@echo "make test       deps + build + all tests (unit, integration, man, fuzz)"
	@echo "make unit-test  build and run the unit tests only"
	@echo "make asan       ASan+UBSan build in build/asan running the unit tests"
	@echo "make fuzz       libFuzzer binaries of the parsers in $(BUILD)/fuzz (clang)"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=... ; make uninstall; make clean"
	@echo "V=1 prints full commands; VMLINUX_BTF=path picks the BTF for vmlinux.h"

deps:
	$(Q)scripts/install-deps

# vmlinux.h is generated, never committed.
$(BUILD)/bpf/vmlinux.h: $(VMLINUX_BTF)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $< format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/bpf/vmlinux.h $(wildcard bpf/*.h)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 $(ARCH_DEFINE) -Wall -Werror -I$(BUILD)/bpf -Ibpf -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# Keep the BPF objects: they are inputs of both the skeleton and incremental builds.
.SECONDARY: $(BPF_OBJS) $(SKELS) $(BUILD)/bpf/vmlinux.h

# Every C++ object waits for the skeletons (order-only): some include them.
$(BUILD)/obj/%.o: %.cpp | $(SKELS)
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CXX) $(LDFLAGS_SAN) -o $@ $(MAIN_OBJ) -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive $(LDLIBS)

$(UNIT): $(TEST_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CXX) $(LDFLAGS_SAN) -o $@ $(TEST_OBJS) -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive $(LDLIBS)

unit-test: $(UNIT)
	$(Q)$(UNIT)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(BIN) lab

test: deps
	$(Q)$(MAKE) -j$(JOBS) --no-print-directory all $(UNIT)
	$(Q)BUILD=$(BUILD) tests/run

asan:
	$(Q)$(MAKE) -j$(JOBS) --no-print-directory BUILD=build/asan SANITIZE=1 unit-test

# The systemd unit of `pollscope export`, with ExecStart pointing at where the
# binary is installed.
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
UNITS := dist/pollscope-export.service

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/pollscope
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man8/
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' $(UNITS) > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/pollscope-export.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/pollscope-export.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/pollscope
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man8/,$(notdir $(MAN_PAGES)))
	rm -f $(DESTDIR)$(SYSTEMD_UNIT_DIR)/pollscope-export.service

# --- fuzzing: make fuzz --------------------------------------------------------
# One libFuzzer binary per parser: tests/fuzz/fuzz_<parser>.cpp + core/serve/<parser>.cpp
# (+ its header) -> $(BUILD)/fuzz/fuzz_<parser>. tests/it/150-fuzz.sh runs them for a
# bounded time from tests/fuzz/corpus/<parser>/ and puts crashes in $(BUILD)/fuzz/crashes/.
FUZZ_CXX     ?= clang++
FUZZ_FLAGS   := -std=c++17 -g -O1 -I. -Wall -Wextra -Werror \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.cpp))
FUZZ_BINS    := $(patsubst tests/fuzz/fuzz_%.cpp,$(BUILD)/fuzz/fuzz_%,$(FUZZ_SRCS))

fuzz: $(FUZZ_BINS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.cpp core/serve/%.cpp core/serve/%.hpp core/serve/parse_status.hpp
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CXX) $(FUZZ_FLAGS) $< core/serve/$*.cpp -o $@
# --- end of fuzzing ------------------------------------------------------------

clean:
	rm -rf $(BUILD) build

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJS:.o=.d)
