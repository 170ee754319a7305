# remit: one binary. `make run` to try it, `make test` to check it.
CC      ?= cc
# libcsv ships no pkg-config file in Debian; it is linked as -lcsv.
PKGS    := libmicrohttpd sqlite3 jansson libsodium md4c-html libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
SRC     := $(filter-out src/assets.c,$(wildcard src/*.c))
OBJ     := $(SRC:src/%.c=build/%.o) build/assets.o
ASSETS  := $(sort $(wildcard assets/*)) $(sort $(wildcard migrations/*.sql))
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all run test test-unit test-http test-e2e clean deps demo
all: remit

deps:
	@scripts/deps build

remit: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/%.o: src/%.c src/remit.h src/handlers.h src/cli.h src/ideas.h src/notify.h | build
	@echo "  CC $<"; $(CC) $(CFLAGS) -c -o $@ $<

build/assets.c: $(ASSETS) build/embed
	build/embed $@ $(ASSETS)

build/assets.o: build/assets.c src/remit.h
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

build/embed: tools/embed.c | build
	$(CC) -O1 -o $@ $<

build:
	mkdir -p build

# The sanitizer build: the same sources, ASan + UBSan, used by the tests.
build/san/remit: $(SRC) build/assets.c src/remit.h src/handlers.h src/cli.h src/ideas.h src/notify.h
	mkdir -p build/san
	$(CC) $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -Isrc -o $@ $(SRC) build/assets.c $(LDLIBS)

# Unit tests: one binary per tests/unit/*_test.c, linked with every module
# but main.c, under ASan + UBSan.
LIBSRC := $(filter-out src/main.c,$(SRC))
build/unit/%: tests/unit/%.c tests/unit/check.h $(LIBSRC) build/assets.c src/remit.h src/handlers.h src/notify.h
	mkdir -p build/unit
	$(CC) $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -Isrc -Itests/unit -o $@ $< $(LIBSRC) build/assets.c $(LDLIBS)

DEMO_DB ?= remit-demo.db
run:
	@scripts/deps build
	@$(MAKE) --no-print-directory remit
	@if [ ! -f $(DEMO_DB) ]; then ./remit demo --db $(DEMO_DB); else echo "Using the existing $(DEMO_DB) (delete it for a fresh demo; logins were printed when it was made)."; fi
	@echo "Open http://127.0.0.1:8080/ (Ctrl-C stops the server)"
	./remit serve --db $(DEMO_DB) --listen 127.0.0.1:8080

test:
	@scripts/deps test
	@$(MAKE) --no-print-directory remit build/san/remit
	@tests/run

clean:
	rm -rf build remit

# Crash safety: TRIALS trials of 8 concurrent writers, SIGKILL at a random
# moment, restart and check everything acknowledged (tests/crash/crash.mjs).
# `make test` runs 3 of them.
TRIALS ?= 20
.PHONY: crashtest
crashtest: remit
	REMIT_BIN="$(CURDIR)/remit" node tests/crash/crash.mjs --trials $(TRIALS)

# ---------- speed, memory and endurance (the large demo organisation) ----------
#   make bench                 wrk against remit and nginx serving the same pages,
#                              peak memory, in-process "Can I?" (tests/bench/bench.mjs)
#   make walk                  every page and API list within 50 ms (tests/perf/walk.mjs;
#                              make test runs it too)
#   make soak SOAK_SECONDS=600 a constant mixed load: errors, p99, memory and
#                              descriptors at the start and the end (tests/soak/soak.mjs)
BENCH_SECONDS ?= 10
SOAK_SECONDS ?= 600
.PHONY: bench walk soak
bench:
	@scripts/deps bench
	@$(MAKE) --no-print-directory remit
	REMIT_BIN="$(CURDIR)/remit" node tests/bench/bench.mjs --seconds $(BENCH_SECONDS)
walk:
	@scripts/deps bench
	@$(MAKE) --no-print-directory remit
	REMIT_BIN="$(CURDIR)/remit" node tests/perf/walk.mjs
soak:
	@scripts/deps bench
	@$(MAKE) --no-print-directory remit
	REMIT_BIN="$(CURDIR)/remit" node tests/soak/soak.mjs --seconds $(SOAK_SECONDS)

# ---------- fuzzing: libFuzzer targets in fuzz/ (clang, ASan + UBSan) ----------
# One target per parser that sees outside bytes, fuzz/TARGET.c, linked with
# every module but main.c; its seed corpus is fuzz/corpus/TARGET/.
#   make fuzz-replay           every target once over its corpus (make test runs it)
#   make fuzz FUZZ_SECONDS=N   each target for N seconds, then a table of
#                              executions and crashes (new inputs: build/fuzz/new/)
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := query cookie multipart json money csv markdown http
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Isrc \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJ     := $(LIBSRC:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/assets.o build/fuzz/obj/common.o
FUZZ_BINS    := $(FUZZ_TARGETS:%=build/fuzz/%)
FUZZ_JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: fuzz fuzz-replay fuzz-build
fuzz-build:
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(FUZZ_BINS)

fuzz-replay: fuzz-build
	@fuzz/run replay $(FUZZ_TARGETS)

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run fuzz $(FUZZ_TARGETS)

build/fuzz/obj/%.o: src/%.c src/remit.h src/handlers.h src/cli.h src/ideas.h src/notify.h
	@mkdir -p build/fuzz/obj
	@echo "  FUZZCC $<"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/obj/assets.o: build/assets.c src/remit.h
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/obj/common.o: fuzz/common.c fuzz/fuzz.h src/remit.h
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BINS): build/fuzz/%: fuzz/%.c fuzz/fuzz.h $(FUZZ_OBJ)
	@echo "  FUZZLD $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
