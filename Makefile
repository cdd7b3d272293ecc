# libwasi_vfs — one GNU Makefile.  Settings first; override any on the command line.
#
#   make            libwasi_vfs.a (wasm32) and wasivfs-gen (host) under build/
#   make test       host unit tests (ASan/UBSan), generator tests, wasm tests
#   make demo       pack examples/hello and run it with no host directory
#   make setup      install the Debian toolchain (needs root; used by .ci/run)

# ---- settings ----
BUILD ?= build
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
# Debian's wasi-libc; the private sysroot links to it so clang never sees /usr/include.
DEB_WASI_INCLUDE ?= /usr/include/wasm32-wasi
DEB_WASI_LIB ?= /usr/lib/wasm32-wasi

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Our own code (the library and the generator) builds warning-free, -Wconversion
# included, or not at all; tests and third-party code get WARN alone.
STRICT := -Wconversion -Werror
WASM_CFLAGS ?= -O2
WASM_FLAGS := --target=wasm32-wasi --sysroot=$(SYSROOT) -std=c11 $(WARN) $(WASM_CFLAGS)
# The library copies file bytes with memory.copy (bulk memory, WebAssembly 2.0:
# every current runtime and browser), not a call into libc's byte loop: raw
# open+read+close 20% faster, large reads 1.7x.  The program's own memcpy is
# untouched.  `make WASM_LIB_FEATURES=` builds for a runtime without it.
WASM_LIB_FEATURES ?= -mbulk-memory
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
# what every interpreter script is given (interp/env.sh reads it)
INTERP_ENV = CC="$(CC)" WASI_SDK_PATH="$(WASI_SDK_PATH)" SYSROOT="$(SYSROOT)" \
  WASM_AR="$(WASM_AR)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)"

LIB_SRC := $(wildcard lib/*.c)
TRAMP_SRC := $(wildcard trampoline/*.c)
INC := -Iinclude -Ilib

LIBA := $(BUILD)/lib/libwasi_vfs.a
GEN := $(BUILD)/bin/wasivfs-gen

.PHONY: all lib gen zstd bench sqlite sqlite-app test-sqlite python python-app test-python lua lua-app test-lua ruby ruby-app test-ruby test test-random soak fuzz test-fuzz test-valgrind test-gen-hostile test-unit test-gen test-wasm test-wasm-libc13 test-browser web serve demo setup clean
all: lib gen
lib: $(LIBA)
gen: $(GEN)

# ---- private sysroot (Debian toolchain only) ----
$(BUILD)/sysroot/.made:
	@test -d $(DEB_WASI_INCLUDE) || { echo "missing $(DEB_WASI_INCLUDE): run 'make setup' (apt-get install wasi-libc)"; exit 1; }
	mkdir -p $(BUILD)/sysroot/lib
	ln -sfn $(DEB_WASI_INCLUDE) $(BUILD)/sysroot/include
	ln -sfn $(DEB_WASI_LIB) $(BUILD)/sysroot/lib/wasm32-wasi
	touch $@

# ---- the library (wasm32) ----
WASM_OBJ := $(patsubst %.c,$(BUILD)/wasm/%.o,$(LIB_SRC) $(TRAMP_SRC))
$(BUILD)/wasm/%.o: %.c Makefile $(SYSROOT_DEP)
	@mkdir -p $(dir $@)
	$(CC) $(WASM_FLAGS) $(WASM_LIB_FEATURES) $(STRICT) $(INC) -MMD -MP -c $< -o $@
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
$(BUILD)/host/tools/gen/emit.o: $(BUILD)/host/image_layout.inc
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
test-wasm: $(LIBA) $(GEN) $(ZSTD_DEC)
	SUITE=$(SUITE) CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" NODE="$(NODE)" tests/wasm/run.sh

# The same wasm suite against Debian 13's wasi-libc (lazy preopen discovery, as
# wasi-sdk 21+), fetched into build/ by package name; skipped with WASI_SDK_PATH.
LIBC13 := $(BUILD)/wasi-libc-13/usr
test-wasm-libc13:
ifeq ($(WASI_SDK_PATH),)
	tools/fetch-wasi-libc13.sh $(BUILD)/wasi-libc-13
	$(MAKE) --no-print-directory BUILD=$(BUILD)/libc13 SUITE=wasm-libc13 \
	  DEB_WASI_INCLUDE=$(abspath $(LIBC13))/include/wasm32-wasi \
	  DEB_WASI_LIB=$(abspath $(LIBC13))/lib/wasm32-wasi test-wasm
else
	@echo "test-wasm-libc13: not with WASI_SDK_PATH (the SDK's own libc is what test-wasm tests)"; exit 1
endif
# make test runs it only on Debian's toolchain: with an SDK it has no libc to add.
LIBC13_SUITE := $(if $(WASI_SDK_PATH),,test-wasm-libc13)

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
test-random: $(LIBA) $(GEN)
	CC="$(CC)" WASM_FLAGS="$(WASM_FLAGS)" BUILD="$(BUILD)" tests/random/run.sh $(SEEDS) $(OPS)
soak:
	$(MAKE) --no-print-directory test-random SEEDS=$(SEEDS) OPS=$(OPS)

# Fast suites first; the last line totals them all.
test:
	@tests/run-suites.sh "$(MAKE)" test-unit test-valgrind test-gen test-wasm test-random \
	  test-fuzz test-gen-hostile $(LIBC13_SUITE) test-sqlite test-python test-lua test-ruby \
	  test-browser

demo: $(LIBA) $(GEN)
	$(GEN) --mapdir /src::examples/hello/src -o $(BUILD)/demo-fs.c
	$(WASM_LINK) examples/hello/hello.c $(BUILD)/demo-fs.c -L$(BUILD)/lib -lwasi_vfs -o $(BUILD)/hello.wasm
	tools/wasi-run $(BUILD)/hello.wasm /src/greeting.txt

# ---- interpreters with their files inside (interp/): sources fetched by package name ----
$(BUILD)/sqlite.wasm: $(LIBA) $(GEN) $(wildcard interp/sqlite/*)
	DB= OUT= $(INTERP_ENV) interp/sqlite/build.sh
sqlite: $(BUILD)/sqlite.wasm
sqlite-app: $(BUILD)/sqlite.wasm
	DB="$(DB)" OUT=$(BUILD)/sqlite-app.wasm $(INTERP_ENV) interp/sqlite/build.sh
test-sqlite: $(BUILD)/sqlite.wasm
	$(INTERP_ENV) interp/sqlite/test.sh

$(BUILD)/python.wasm: $(LIBA) $(GEN) $(wildcard interp/python/*) interp/env.sh
	$(INTERP_ENV) interp/python/build.sh
python: $(BUILD)/python.wasm
python-app: APP ?= examples/pyapp
python-app: $(BUILD)/python.wasm
	$(INTERP_ENV) interp/python/app.sh $(APP) $(BUILD)/python-app.wasm
test-python: $(BUILD)/python.wasm
	$(INTERP_ENV) interp/python/app.sh examples/pyapp $(BUILD)/python/python-app.wasm > /dev/null
	$(INTERP_ENV) interp/python/test.sh
	$(INTERP_ENV) interp/python/stdtests.sh

$(BUILD)/lua.wasm: $(LIBA) $(GEN) $(shell find interp/lua -type f)
	APP= OUT= $(INTERP_ENV) interp/lua/build.sh
lua: $(BUILD)/lua.wasm
lua-app: $(BUILD)/lua.wasm
	APP="$(APP)" OUT=$(BUILD)/lua-app.wasm $(INTERP_ENV) interp/lua/build.sh
test-lua: $(BUILD)/lua.wasm
	$(INTERP_ENV) interp/lua/test.sh

$(BUILD)/ruby.wasm: $(LIBA) $(GEN) $(wildcard interp/ruby/*.sh)
	$(INTERP_ENV) interp/ruby/build.sh
ruby: $(BUILD)/ruby.wasm
RUBY_APP ?= interp/ruby/src
ruby-app: $(BUILD)/ruby.wasm
	$(INTERP_ENV) interp/ruby/link.sh $(RUBY_APP) $(BUILD)/ruby-app.wasm
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
	$(GEN) --mapdir /src::examples/hello/src --tmpdir /tmp -o $(BUILD)/web-fs.c
	$(WASM_LINK) -Wl,--strip-debug $< $(BUILD)/web-fs.c -L$(BUILD)/lib -lwasi_vfs -o $@
$(WEB)/demos/hello.wasm: examples/hello/hello.c $(LIBA) $(GEN)
	@mkdir -p $(dir $@)
	$(GEN) --mapdir /src::examples/hello/src -o $(BUILD)/web-hello-fs.c
	$(WASM_LINK) -Wl,--strip-debug $< $(BUILD)/web-hello-fs.c -L$(BUILD)/lib -lwasi_vfs -o $@
# The interpreters join the page when they have been built (make sqlite, ...).
web: web/node_modules/.installed $(WEB_DEMOS)
	mkdir -p $(WEB)/shim
	cp web/index.html web/app.js web/args.js $(WEB)/
	tools/web-demos.sh $(WEB) $(BUILD)
	cp web/node_modules/@bjorn3/browser_wasi_shim/dist/*.js $(WEB)/shim/
serve: web
	tools/serve.mjs $(WEB) $(PORT)
# Headless Chromium (Debian's) drives the page: exact output, screenshot, no foreign requests.
test-browser: web
	BUILD=$(BUILD) node tests/browser/run.mjs

setup:
	tools/setup.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/wasm $(BUILD)/host $(BUILD)/san $(BUILD)/vg -name '*.d' -type f 2>/dev/null)
