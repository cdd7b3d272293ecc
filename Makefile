# libwasi_vfs — one GNU Makefile.  Settings first; override any on the command line.
#
#   make            libwasi_vfs.a (wasm32) and wasivfs-gen (host) under build/
#   make test       host unit tests (ASan/UBSan), generator tests, wasm tests
#   make demo       pack examples/hello and run it with no host directory
#   make setup      install the Debian toolchain (needs root; used by .ci/run)

# ---- settings ----
# A BUILD folder holds one wasi-libc's objects (below): WASI_LIBC=12 builds in
# build/libc12 unless BUILD is given, so that switch works from any state.
ifeq ($(WASI_LIBC),12)
  BUILD ?= build/libc12
else
  BUILD ?= build
endif
WASI_SDK_PATH ?=
ifeq ($(WASI_SDK_PATH),)
  WASM_CC_DEFAULT := clang-19
  WASM_AR ?= llvm-ar-19
  SYSROOT ?= $(BUILD)/sysroot
  SYSROOT_DEP := $(BUILD)/sysroot/.made
else
  WASM_CC_DEFAULT := $(WASI_SDK_PATH)/bin/clang
  WASM_AR ?= $(WASI_SDK_PATH)/bin/llvm-ar
  SYSROOT ?= $(WASI_SDK_PATH)/share/wasi-sysroot
  SYSROOT_DEP :=
endif
ifeq ($(origin CC),default)
  CC := $(WASM_CC_DEFAULT)
endif
HOST_CC ?= gcc
NODE ?= node
# The wasi-libc the private sysroot links to (so clang never sees /usr/include):
# 13, Debian 13's (2024: lazy preopen discovery, its heap ends where memory
# ends, as wasi-sdk 21+), fetched by package name into LIBC13_DIR; or 12,
# Debian 12's (2022) as installed in /usr, which takes every page above
# __heap_base and so traps under wasmtime's preview1 adapter.  A BUILD folder
# is made with one of them (make refuses to mix them).
WASI_LIBC ?= 13
LIBC13_DIR ?= $(abspath $(BUILD))/wasi-libc-13
ifeq ($(WASI_LIBC),12)
  DEB_WASI_INCLUDE ?= /usr/include/wasm32-wasi
  DEB_WASI_LIB ?= /usr/lib/wasm32-wasi
  LIBC_DEP :=
else
  DEB_WASI_INCLUDE ?= $(LIBC13_DIR)/usr/include/wasm32-wasi
  DEB_WASI_LIB ?= $(LIBC13_DIR)/usr/lib/wasm32-wasi
  LIBC_DEP := $(LIBC13_DIR)/usr/lib/wasm32-wasi/libc.a
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Our own code (the library and the generator) builds warning-free, -Wconversion
# included, or not at all; tests and third-party code get WARN alone.
STRICT := -Wconversion -Werror
WASM_CFLAGS ?= -O2
WASM_FLAGS := --target=wasm32-wasi --sysroot=$(SYSROOT) -std=c11 $(WARN) $(WASM_CFLAGS)
# The library copies file bytes with memory.copy (bulk memory, WebAssembly 2.0:
# every current runtime and browser), not a call into libc's byte loop (make
# bench measures the difference).  The program's own memcpy is untouched.  `make WASM_LIB_FEATURES=` builds for a runtime without it.
WASM_LIB_FEATURES ?= -mbulk-memory
# The library is built for size: every program carries it, and make bench's
# per-call figures (1-4) read the same as with -O2.
WASM_LIB_OPT ?= -Os
HOST_CFLAGS ?= -O1 -g
HOST_FLAGS := -std=c11 $(WARN) $(HOST_CFLAGS) -MMD -MP
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# --compress needs the host's zstd (libzstd-dev); without it the flag says so.
ZSTD_HOST := $(if $(wildcard /usr/include/zstd.h),1)
# zstd's decompressor for wasm32 comes from Debian's libzstd source, pinned.
ZSTD_VERSION := 1.5.4+dfsg2-5
# fuzzing and the test runs
FUZZ_CC ?= clang-19
FUZZ_SECONDS ?= 60
FUZZ_SMOKE ?= 5
SEEDS ?= 200
OPS ?= 500
SUITE ?= wasm
PORT ?= 8000
# make install: wasivfs-gen into PREFIX/bin; the header, libwasi_vfs.a,
# libzstd_dec.a and wasi-vfs.pc into a wasi-sysroot layout (include/,
# lib/wasm32-wasi/), by default PREFIX/share/wasi-sysroot.  Point
# WASI_SYSROOT_DIR at a wasi-sdk's sysroot and a plain -lwasi_vfs needs no -L.
VERSION := 0.6.0
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
WASI_SYSROOT_DIR ?= $(PREFIX)/share/wasi-sysroot
# what every interpreter script is given (interp/env.sh reads it)
# COMPRESS=0: interpreter images stored raw (default: compressed); SLIM='ARGS;
# ARGS' with python-app, ruby-app and lua-app: slim from a trace of those runs,
# KEEP='GLOB ...' what a trace cannot predict.
COMPRESS ?= 1
SLIM ?=
KEEP ?=
# WASM_OPT=0: shipped interpreters only stripped, not run through wasm-opt -O2
# (make python-app WASM_OPT=0 relinks in under a second after an app edit)
WASM_OPT ?= 1
INTERP_ENV = CC="$(CC)" WASI_SDK_PATH="$(WASI_SDK_PATH)" SYSROOT="$(SYSROOT)" \
  WASM_AR="$(WASM_AR)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" COMPRESS="$(COMPRESS)" \
  SLIM="$(SLIM)" KEEP="$(KEEP)" WASM_OPT="$(WASM_OPT)"

LIB_SRC := $(wildcard lib/*.c)
TRAMP_SRC := $(wildcard trampoline/*.c)
INC := -Iinclude -Ilib

LIBA := $(BUILD)/lib/libwasi_vfs.a
GEN := $(BUILD)/bin/wasivfs-gen

.PHONY: all help lib gen zstd dist install install-sysroot uninstall component bench sqlite sqlite-app python python-app lua lua-app ruby ruby-app soak fuzz web serve demo setup clean
all: lib gen
lib: $(LIBA)
gen: $(GEN)

# ---- private sysroot (Debian toolchain only) ----
$(BUILD)/sysroot/.made: $(LIBC_DEP)
	@test -d $(DEB_WASI_INCLUDE) || { echo "missing $(DEB_WASI_INCLUDE): run 'make setup' (apt-get install wasi-libc)"; exit 1; }
	mkdir -p $(BUILD)/sysroot/lib
	ln -sfn $(DEB_WASI_INCLUDE) $(BUILD)/sysroot/include
	ln -sfn $(DEB_WASI_LIB) $(BUILD)/sysroot/lib/wasm32-wasi
	echo $(WASI_LIBC) > $@
$(LIBC13_DIR)/usr/lib/wasm32-wasi/libc.a:
	tools/fetch-wasi-libc13.sh $(LIBC13_DIR)
# Objects of one libc must not meet the other's: a BUILD remembers its libc.
ifeq ($(WASI_SDK_PATH),)
ifneq ($(wildcard $(BUILD)/sysroot/.made),)
ifneq ($(shell cat $(BUILD)/sysroot/.made),$(WASI_LIBC))
  $(error $(BUILD) was built with wasi-libc $(shell cat $(BUILD)/sysroot/.made), not $(WASI_LIBC): pick another BUILD= or make clean)
endif
endif
endif

# ---- the library (wasm32) ----
WASM_OBJ := $(patsubst %.c,$(BUILD)/wasm/%.o,$(LIB_SRC) $(TRAMP_SRC))
# The objects are rebuilt when their compile line changes, not on every edit of
# this file (which would relink every interpreter): the line is kept in a stamp.
WASM_CMD := $(CC) $(WASM_FLAGS) $(WASM_LIB_OPT) $(WASM_LIB_FEATURES) $(STRICT) $(INC)
$(shell mkdir -p $(BUILD)/wasm && { test "$$(cat $(BUILD)/wasm/.cmd 2>/dev/null)" = '$(WASM_CMD)' || echo '$(WASM_CMD)' > $(BUILD)/wasm/.cmd; })
$(BUILD)/wasm/%.o: %.c $(BUILD)/wasm/.cmd $(SYSROOT_DEP)
	@mkdir -p $(dir $@)
	$(WASM_CMD) -MMD -MP -c $< -o $@
$(LIBA): $(WASM_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(WASM_AR) rcs $@ $^

# ---- host tools and unit tests ----
GEN_SRC := $(wildcard tools/gen/*.c)
GEN_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(GEN_SRC) $(LIB_SRC))
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_FLAGS) $(STRICT) $(INC) -Itools/gen -I$(BUILD)/host -c $< -o $@
# The generator writes the header's layout block into every filesystem.c.
$(BUILD)/host/image_layout.inc: include/wasi_vfs.h
	@mkdir -p $(dir $@)
	{ echo 'static const char image_layout[] ='; \
	  sed -n '/^#ifndef WVFS_IMAGE_ABI/,/^#endif/p' $< | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/'; \
	  echo ';'; } > $@
$(BUILD)/host/tools/gen/emit_c.o: $(BUILD)/host/image_layout.inc
$(BUILD)/host/tools/gen/compress.o: HOST_FLAGS += $(if $(ZSTD_HOST),-DWVFS_HAVE_ZSTD)
$(GEN): $(GEN_OBJ)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ $(if $(ZSTD_HOST),-lzstd) -o $@

# zstd's decompressor for wasm32, for programs whose image was made with
# --compress: link them with -lzstd_dec.
ZSTD_DEC := $(BUILD)/lib/libzstd_dec.a
$(ZSTD_DEC): $(SYSROOT_DEP)
	tools/fetch-source.sh libzstd $(ZSTD_VERSION) $(BUILD)/src/libzstd
	@mkdir -p $(BUILD)/zstd
	for f in common/entropy_common common/error_private common/fse_decompress common/xxhash \
	         common/zstd_common decompress/huf_decompress decompress/zstd_ddict \
	         decompress/zstd_decompress decompress/zstd_decompress_block; do \
	  $(CC) --target=wasm32-wasi --sysroot=$(SYSROOT) -O2 -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 \
	    -DXXH_NAMESPACE=ZSTD_ -w -c $(BUILD)/src/libzstd/lib/$$f.c -o $(BUILD)/zstd/$$(basename $$f).o || exit 1; \
	done
	rm -f $@ && $(WASM_AR) rcs $@ $(BUILD)/zstd/*.o
zstd: $(ZSTD_DEC)

UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(BUILD)/san/unit_tests
$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_FLAGS) $(SAN) $(INC) -Itests/unit -c $< -o $@
$(UNIT_BIN): $(patsubst %.c,$(BUILD)/san/%.o,$(UNIT_SRC) $(LIB_SRC))
	$(HOST_CC) $(SAN) $^ -o $@

test-unit: $(UNIT_BIN)
	$(UNIT_BIN)

# The same unit tests without sanitizers, under valgrind (leaks and bad reads).
VG_BIN := $(BUILD)/vg/unit_tests
$(BUILD)/vg/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_FLAGS) $(INC) -Itests/unit -c $< -o $@
$(VG_BIN): $(patsubst %.c,$(BUILD)/vg/%.o,$(UNIT_SRC) $(LIB_SRC))
	$(HOST_CC) $^ -o $@
test-valgrind: $(VG_BIN)
	WVFS_QUICK=1 WVFS_SUITE=valgrind valgrind -q --error-exitcode=99 --leak-check=full \
	  --errors-for-leak-kinds=definite,indirect $(VG_BIN)

test-gen: $(GEN) $(SYSROOT_DEP)
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" HOST_CC="$(HOST_CC)" BUILD="$(BUILD)" tests/gen/run.sh $(GEN)

# The generator on hostile trees (deep, odd names, 100,000 files, changing files).
test-gen-hostile: $(LIBA) $(GEN)
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" tests/gen/hostile.sh

# ---- wasm programs: one per tests/wasm/*.c, linked with -lwasi_vfs ----
WASM_LINK = $(CC) $(WASM_FLAGS) -Wl,--fatal-warnings
# jco, the preview2 shim and @tybys/wasm-util (npm, pinned): components and
# the second preview1 runtime
COMPONENT_TOOLS := tools/component/node_modules/.installed
$(COMPONENT_TOOLS): tools/component/package.json tools/component/package-lock.json
	cd tools/component && npm ci --no-audit --no-fund --loglevel=error
	touch $@
test-wasm: $(LIBA) $(GEN) $(ZSTD_DEC) $(COMPONENT_TOOLS)
	SUITE=$(SUITE) CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" NODE="$(NODE)" tests/wasm/run.sh

# The same wasm suite against the other Debian wasi-libc (Debian 12's when the
# default 13 is in use, and the other way round), in a BUILD of its own.
OTHER_LIBC := $(if $(filter 12,$(WASI_LIBC)),13,12)
test-wasm-other-libc:
ifeq ($(WASI_SDK_PATH),)
	$(MAKE) --no-print-directory BUILD=$(BUILD)/libc$(OTHER_LIBC) WASI_LIBC=$(OTHER_LIBC) \
	  LIBC13_DIR=$(LIBC13_DIR) SUITE=wasm-libc$(OTHER_LIBC) test-wasm
else
	@echo "test-wasm-other-libc: not with WASI_SDK_PATH (the SDK's own libc is what test-wasm tests)"; exit 1
endif
# make test runs it only on Debian's toolchain: with an SDK it has no libc to add.
LIBC_SUITE := $(if $(WASI_SDK_PATH),,test-wasm-other-libc)

# ---- fuzzing (host builds of lib/ with libFuzzer, ASan, UBSan) ----
FUZZERS := path ops readdir
FUZZ_BIN := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZERS))
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/unit/fixture.c $(LIB_SRC) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $(INC) -Itests/unit tests/fuzz/fuzz_$*.c tests/unit/fixture.c $(LIB_SRC) -o $@
# make fuzz FUZZ_SECONDS=N: each target for N seconds from the committed corpus;
# new inputs land in build/fuzz/corpus, crashes in build/fuzz/ (commit them
# under tests/fuzz/corpus/<target>/ once fixed: they are replayed by make test).
fuzz: $(FUZZ_BIN)
	FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZERS)
# In make test: replay every committed input, then a short smoke run of each.
test-fuzz: $(FUZZ_BIN)
	FUZZ_SECONDS=$(FUZZ_SMOKE) BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZERS)

# Benchmarks (not part of make test): every figure as a ratio measured in the same run.
bench: $(LIBA) $(GEN) $(ZSTD_DEC) $(BUILD)/python.wasm $(BUILD)/ruby.wasm
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" tools/bench.sh

# Randomized differential testing: SEEDS x OPS random WASI calls, embedded vs host.
test-random: $(LIBA) $(GEN) $(COMPONENT_TOOLS)
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" tests/random/run.sh $(SEEDS) $(OPS)
soak:
	$(MAKE) --no-print-directory test-random SEEDS=$(SEEDS) OPS=$(OPS)

# Packed programs as WASI 0.2 components (jco + the preview1 adapter it ships)
# on node's preview2 shim, no preopens: the same output as the modules.
test-component: $(LIBA) $(GEN) $(COMPONENT_TOOLS) $(BUILD)/sqlite.wasm $(BUILD)/python.wasm
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" tests/component/run.sh
# make component APP=prog.wasm: a packed program as a WASI 0.2 command component
component:
	@test -n "$(APP)" || { echo "usage: make component APP=prog.wasm [OUT=prog.component.wasm]"; exit 1; }
	tools/wasi-component $(APP) $(or $(OUT),$(basename $(APP)).component.wasm)

# Fast suites first; the last line totals them all.
# Every suite, fastest first: make test runs them all (tests/README.md says
# what each compares against); make check is the inner loop.
SUITES := test-unit test-valgrind test-gen test-install test-wasm test-random test-fuzz \
  test-gen-hostile $(LIBC_SUITE) test-sqlite test-python test-lua test-ruby test-pack test-component \
  test-browser test-switches
test:
	@tests/run-suites.sh "$(MAKE)" $(SUITES)
check:
	@tests/run-suites.sh "$(MAKE)" test-unit test-gen test-wasm
.PHONY: $(SUITES) test check

demo: $(LIBA) $(GEN)
	$(GEN) --mapdir /src::examples/hello/src -o $(BUILD)/demo-fs.c
	$(WASM_LINK) examples/hello/hello.c $(BUILD)/demo-fs.c -L$(BUILD)/lib -lwasi_vfs -o $(BUILD)/hello.wasm
	tools/wasi-run $(BUILD)/hello.wasm /src/greeting.txt

# ---- interpreters with their files inside (interp/): sources fetched by package name ----
# The switches an interpreter is built with: changing one rebuilds it (make
# python COMPRESS=0 after a compressed build), whatever was built before.
INTERP_SWITCHES := COMPRESS=$(COMPRESS) WASM_OPT=$(WASM_OPT)
INTERP_STAMP := $(BUILD)/interp/.switches
ifneq ($(shell cat $(INTERP_STAMP) 2>/dev/null),$(INTERP_SWITCHES))
  $(shell mkdir -p $(BUILD)/interp && echo '$(INTERP_SWITCHES)' > $(INTERP_STAMP))
endif
# make NAME builds build/interp/NAME.wasm, the interpreter with its own files
# inside (CPython's standard library, Ruby's /usr; SQLite and Lua have none),
# linked packable, and build/NAME.wasm, its sample app packed in.  make
# NAME-app packs APP=dir (OUT=file, default build/NAME-app.wasm) into it with
# wasivfs-gen pack (interp/app.sh): no compiler, no linker.  APP goes at /src
# (python, ruby), /db (sqlite) or /lua (lua).
APP_OUT = $(or $(OUT),$(BUILD)/$(1)-app.wasm)
$(BUILD)/sqlite.wasm: $(INTERP_STAMP) $(LIBA) $(GEN) $(ZSTD_DEC) $(wildcard interp/sqlite/*) interp/env.sh
	$(INTERP_ENV) interp/sqlite/build.sh
sqlite: $(BUILD)/sqlite.wasm
sqlite-app: $(BUILD)/sqlite.wasm
	$(INTERP_ENV) interp/app.sh sqlite "$(or $(APP),$(DB),$(BUILD)/sqlite/db)" $(call APP_OUT,sqlite)
test-sqlite: $(BUILD)/sqlite.wasm
	$(INTERP_ENV) interp/sqlite/test.sh

$(BUILD)/python.wasm: $(INTERP_STAMP) $(LIBA) $(GEN) $(ZSTD_DEC) $(wildcard interp/python/*) interp/env.sh interp/app.sh
	$(INTERP_ENV) interp/python/build.sh
python: $(BUILD)/python.wasm
python-app: $(BUILD)/python.wasm
	$(INTERP_ENV) interp/app.sh python "$(or $(APP),examples/pyapp)" $(call APP_OUT,python)
test-python: $(BUILD)/python.wasm
	$(INTERP_ENV) interp/app.sh python examples/pyapp $(BUILD)/python/python-app.wasm > /dev/null
	$(INTERP_ENV) interp/python/test.sh
	$(INTERP_ENV) interp/python/stdtests.sh

$(BUILD)/lua.wasm: $(INTERP_STAMP) $(LIBA) $(GEN) $(ZSTD_DEC) $(shell find interp/lua -type f) interp/env.sh
	$(INTERP_ENV) interp/lua/build.sh
lua: $(BUILD)/lua.wasm
lua-app: $(BUILD)/lua.wasm
	$(INTERP_ENV) interp/app.sh lua "$(or $(APP),interp/lua/lua)" $(call APP_OUT,lua)
test-lua: $(BUILD)/lua.wasm
	$(INTERP_ENV) interp/lua/test.sh
# Every switch flipped both ways, on Lua (the quickest interpreter to build)
test-switches: $(BUILD)/lua.wasm
	MAKE="$(MAKE)" BUILD="$(BUILD)" tests/switches.sh

$(BUILD)/ruby.wasm: $(INTERP_STAMP) $(LIBA) $(GEN) $(ZSTD_DEC) $(wildcard interp/ruby/*.sh interp/ruby/*.c) interp/env.sh interp/app.sh
	$(INTERP_ENV) interp/ruby/build.sh
ruby: $(BUILD)/ruby.wasm
# RUBY_APP= is the old name of APP= here, still taken
ruby-app: $(BUILD)/ruby.wasm
	$(INTERP_ENV) interp/app.sh ruby "$(or $(APP),$(RUBY_APP),interp/ruby/src)" $(call APP_OUT,ruby)
test-ruby: $(BUILD)/ruby.wasm
	$(INTERP_ENV) interp/ruby/test.sh

# ---- the browser page (web/): packed demos run with a shim that has no filesystem ----
WEB := $(BUILD)/web
WEB_DEMOS := $(WEB)/demos/fsdemo.wasm $(WEB)/demos/hello.wasm
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@
$(WEB)/demos/fsdemo.wasm: examples/fsdemo/fsdemo.c $(LIBA) $(GEN)
	@mkdir -p $(dir $@)
	$(GEN) --mapdir /src::examples/hello/src --tmpdir /tmp -o $(BUILD)/web-fs.c --report-html $(basename $@).html
	$(WASM_LINK) -Wl,--strip-debug $< $(BUILD)/web-fs.c -L$(BUILD)/lib -lwasi_vfs -o $@
$(WEB)/demos/hello.wasm: examples/hello/hello.c $(LIBA) $(GEN)
	@mkdir -p $(dir $@)
	$(GEN) --mapdir /src::examples/hello/src -o $(BUILD)/web-hello-fs.c --report-html $(basename $@).html
	$(WASM_LINK) -Wl,--strip-debug $< $(BUILD)/web-hello-fs.c -L$(BUILD)/lib -lwasi_vfs -o $@
# The interpreters join the page when they have been built (make sqlite, ...).
# The pack page runs the generator itself, built for wasm32-wasi.
GEN_WASM := $(BUILD)/wasm-gen/wasivfs-gen.wasm
$(GEN_WASM): $(GEN_SRC) $(LIB_SRC) $(wildcard tools/gen/*.h lib/*.h include/*.h) $(BUILD)/host/image_layout.inc \
  $(ZSTD_DEC) tools/gen-wasm.sh
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" STRICT="$(STRICT)" BUILD="$(BUILD)" tools/gen-wasm.sh $@
web: web/node_modules/.installed $(WEB_DEMOS) $(GEN_WASM)
	mkdir -p $(WEB)/shim $(WEB)/gen $(WEB)/xterm
	cp web/index.html web/pack.html web/style.css web/app.js web/pack.js web/run.js web/args.js \
	  web/term.js web/worker.js $(WEB)/
	cp web/node_modules/@xterm/xterm/lib/xterm.mjs web/node_modules/@xterm/xterm/css/xterm.css $(WEB)/xterm/
	cp $(GEN_WASM) $(WEB)/gen/
	COMPRESS=$(COMPRESS) tools/web-demos.sh $(WEB) $(BUILD) $(APPS)
	cp web/node_modules/@bjorn3/browser_wasi_shim/dist/*.js $(WEB)/shim/
serve: web
	tools/serve.mjs $(WEB) $(PORT)
# Headless Chromium (Debian's) drives the page: exact output, screenshot, no
# foreign requests; one of its demos is a program packed here and added with APPS=.
BROWSER_APP := $(BUILD)/web-app/packed-lua.wasm
$(BROWSER_APP): $(BUILD)/lua.wasm $(GEN)
	@mkdir -p $(dir $@)
	$(GEN) pack $(BUILD)/interp/lua.wasm --mapdir /src::examples/hello/src -o $@ --report-html $(basename $@).html
	printf '%s' "-e \"for l in io.lines('/src/greeting.txt') do print(l) end\"" > $(basename $@).args
test-browser: $(BROWSER_APP)
	$(MAKE) --no-print-directory web APPS=$(BROWSER_APP)
	$(GEN) --compress --mapdir /t::examples --mapdir /i::interp --report 1 --report-json $(WEB)/report.json \
	  --report-html $(WEB)/report.html -o $(BUILD)/report-fs.o 2> /dev/null
	printf '/t/hello/src/greeting.txt\n/i/lua/lua/\n' > $(BUILD)/report-slim.keep
	$(GEN) --compress --mapdir /t::examples --mapdir /i::interp --keep $(BUILD)/report-slim.keep \
	  --report-json $(WEB)/report-slim.json --report-html $(WEB)/report-slim.html -o $(BUILD)/report-slim.o
	BUILD=$(BUILD) node tests/browser/run.mjs

# ---- installing ----
WASM_LIBDIR := $(WASI_SYSROOT_DIR)/lib/wasm32-wasi
INSTALLED := $(BINDIR)/wasivfs-gen $(WASI_SYSROOT_DIR)/include/wasi_vfs.h \
  $(WASM_LIBDIR)/libwasi_vfs.a $(WASM_LIBDIR)/libzstd_dec.a $(WASM_LIBDIR)/pkgconfig/wasi-vfs.pc
install: $(LIBA) $(GEN) $(ZSTD_DEC)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(WASI_SYSROOT_DIR)/include $(DESTDIR)$(WASM_LIBDIR)/pkgconfig
	install -m 755 $(GEN) $(DESTDIR)$(BINDIR)/wasivfs-gen
	install -m 644 include/wasi_vfs.h $(DESTDIR)$(WASI_SYSROOT_DIR)/include/wasi_vfs.h
	install -m 644 $(LIBA) $(ZSTD_DEC) $(DESTDIR)$(WASM_LIBDIR)/
	sed 's|@SYSROOT@|$(WASI_SYSROOT_DIR)|; s|@VERSION@|$(VERSION)|' tools/wasi-vfs.pc.in > $(DESTDIR)$(WASM_LIBDIR)/pkgconfig/wasi-vfs.pc
# a whole wasi-sysroot at WASI_SYSROOT_DIR: the libc this build links (its
# headers and libraries, copied), then what make install puts there
install-sysroot: $(SYSROOT_DEP)
	install -d $(DESTDIR)$(WASI_SYSROOT_DIR)
	cp -rL $(SYSROOT)/include $(SYSROOT)/lib $(DESTDIR)$(WASI_SYSROOT_DIR)/
	$(MAKE) --no-print-directory install
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
# make test installs into a temporary sysroot and builds and runs the demo from there alone
test-install: $(LIBA) $(GEN) $(ZSTD_DEC) $(SYSROOT_DEP)
	MAKE="$(MAKE)" CC="$(CC)" SYSROOT="$(SYSROOT)" BUILD="$(BUILD)" tests/install.sh

# ---- the release tarball: the generator, the packable interpreters, the install tree ----
DIST_NAME := wasi-vfs-$(VERSION)-x86_64-linux
DIST := $(BUILD)/dist/$(DIST_NAME).tar.gz
# the generator for the tarball: zstd linked statically, so it needs glibc alone
DIST_GEN := $(BUILD)/dist-gen/wasivfs-gen
$(DIST_GEN): $(GEN_OBJ)
	@test -n "$(ZSTD_HOST)" || { echo "dist: needs libzstd-dev (the generator's --compress)"; exit 1; }
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $^ -Wl,-Bstatic -lzstd -Wl,-Bdynamic -s -o $@
$(DIST): $(DIST_GEN) $(GEN_WASM) $(LIBA) $(ZSTD_DEC) $(BUILD)/python.wasm $(BUILD)/ruby.wasm $(BUILD)/sqlite.wasm \
         $(BUILD)/lua.wasm tools/dist.sh docs/dist-README.md
	MAKE="$(MAKE)" BUILD="$(BUILD)" DISTGEN="$(DIST_GEN)" GENWASM="$(GEN_WASM)" VERSION="$(VERSION)" \
	  tools/dist.sh $(BUILD)/dist/$(DIST_NAME) $@
dist: $(DIST)
# make test: the tarball alone packs an app into each interpreter
test-pack: $(DIST)
	BUILD="$(BUILD)" CC="$(CC)" SYSROOT="$(SYSROOT)" tests/pack/run.sh $(DIST)

help:
	@echo 'make                 build/lib/libwasi_vfs.a and build/bin/wasivfs-gen'
	@echo 'make demo            pack examples/hello and run it with no host directory'
	@echo 'make test            every suite (the last line totals them); test-NAME runs one'
	@echo 'make check           the inner loop: unit, generator and the core wasm differentials'
	@echo 'make python|ruby|sqlite|lua   build/interp/NAME.wasm, packable, and build/NAME.wasm'
	@echo 'make NAME-app APP=dir [OUT=file]   pack APP into the prebuilt interpreter'
	@echo 'make dist            build/dist/wasi-vfs-VERSION-x86_64-linux.tar.gz'
	@echo 'make install [PREFIX=/usr/local] [WASI_SYSROOT_DIR=...]   and uninstall'
	@echo 'make install-sysroot   the same plus the wasi-libc this build links: a whole sysroot'
	@echo 'make web / serve [APPS="a.wasm ..."]   the browser page (build/web), PORT=8000'
	@echo 'make component APP=prog.wasm   a packed program as a WASI 0.2 component'
	@echo 'make bench           every figure, as ratios measured in the same run'
	@echo 'switches: COMPRESS=0 (raw images)  SLIM="ARGS; ..." KEEP="GLOB ..." (slim apps)'
	@echo '          WASM_OPT=0 (no wasm-opt)  WASI_LIBC=12 (Debian 12 libc)  WASI_SDK_PATH=  CC='

setup:
	tools/setup.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/wasm $(BUILD)/host $(BUILD)/san $(BUILD)/vg -name '*.d' -type f 2>/dev/null)
