# remit: one binary. `make run` to try it, `make test` to check it.
CC      ?= cc
# libcsv ships no pkg-config file in Debian; it is linked as -lcsv.
PKGS    := libmicrohttpd sqlite3 jansson libsodium md4c-html zlib libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
SRC     := $(filter-out src/assets.c,$(wildcard src/*.c))
HDRS    := $(wildcard src/*.h)
OBJ     := $(SRC:src/%.c=build/%.o) build/assets.o
# The message catalogues: po/XX.po compiled (and checked) to build/po/XX.mo,
# plus the pseudo-language qps (every msgid, marked at load), embedded.
LANGS   := de
MO      := $(LANGS:%=build/po/%.mo) build/po/qps.mo
ASSETS  := $(sort $(wildcard assets/*)) $(sort $(wildcard migrations/*.sql)) $(MO)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all run test test-unit test-http test-e2e clean deps demo po
all: remit

deps:
	@scripts/deps build

remit: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/%.o: src/%.c $(HDRS) | build
	@echo "  CC $<"; $(CC) $(CFLAGS) -c -o $@ $<

build/assets.c: $(ASSETS) build/embed
	build/embed $@ $(ASSETS)

build/assets.o: build/assets.c src/remit.h
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

build/embed: tools/embed.c | build
	$(CC) -O1 -o $@ $<

build:
	mkdir -p build

build/po/%.mo: po/%.po
	@mkdir -p build/po
	msgfmt --check -o $@ $<

build/po/qps.mo: po/remit.pot
	@mkdir -p build/po
	msgen $< | msgfmt -o $@ -

# make po: po/remit.pot from the sources, then each po/XX.po brought up to
# date with it (new msgids untranslated, changed ones fuzzy). The keywords
# are the translating helpers and the argument that holds the text; a second
# pass takes the helpers' second text argument (hints, "none" choices).
XGETTEXT := xgettext -k --from-code=UTF-8 --add-comments=TRANSLATORS: --sort-by-file --package-name=remit --msgid-bugs-address=- \
    --flag=html_printf:2:no-c-format --flag=buf_puts:2:no-c-format --flag=buf_printf:2:c-format --flag=resp_error:4:c-format
KEYS1 := --keyword=T:2 --keyword=TN:2,3 --keyword=TP:2 --keyword=TPN:2,3 --keyword=buf_puts:2 --keyword=buf_printf:2 --keyword=N_ --keyword=html_printf:2 --keyword=resp_error:4 --keyword=err_add:5 \
    --keyword=page_begin:2 --keyword=page_flash:2 --keyword=form_end:2 --keyword=form_text:3 --keyword=form_textarea:3 \
    --keyword=form_select_id:3 --keyword=form_select_list:3 --keyword=form_select_str:3 --keyword=form_begin_confirm:3 \
    --keyword=form_id_field:5 --keyword=form_language:2
KEYS2 := --keyword=form_language:4 --keyword=form_textarea:6 --keyword=form_select_id:7 --keyword=form_select_list:6
# The command line (main.c, bench.c), raw HTTP, the demo data and the mail headers (mail.c) speak English only.
PO_SRC := $(filter-out src/main.c src/bench.c src/rawhttp.c src/demo%.c src/i18n.c src/mail.c,$(SRC))
po: build/potfilter
	@mkdir -p build/po
	$(XGETTEXT) $(KEYS1) -x po/noextract.pot -o build/po/all.pot $(PO_SRC) src/i18n.c
	$(XGETTEXT) $(KEYS2) -x po/noextract.pot -j -o build/po/all.pot $(PO_SRC)
	build/potfilter < build/po/all.pot | sed 's/charset=CHARSET/charset=UTF-8/' > po/remit.pot
	for l in $(LANGS); do msgmerge -q -U --backup=none --no-fuzzy-matching po/$$l.po po/remit.pot; done
	@for l in $(LANGS); do printf '%s: ' $$l; msgfmt --check --statistics -o /dev/null po/$$l.po; done

build/potfilter: tools/potfilter.c src/i18n_markup.h | build
	$(CC) -O1 -o $@ $<

# The sanitizer build: the same sources, ASan + UBSan, used by the tests.
# Each module is compiled once into build/san/obj/ and shared by the server
# and every unit test (compiling all of them per test binary was most of the
# unit layer's time).
SAN_CFLAGS := $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -Isrc
SAN_OBJ := $(SRC:src/%.c=build/san/obj/%.o) build/san/obj/assets.o
build/san/obj/%.o: src/%.c $(HDRS)
	@mkdir -p build/san/obj
	@echo "  SANCC $<"; $(CC) $(SAN_CFLAGS) -c -o $@ $<
build/san/obj/assets.o: build/assets.c src/remit.h
	@mkdir -p build/san/obj
	$(CC) $(SAN_CFLAGS) -c -o $@ $<
build/san/remit: $(SAN_OBJ)
	$(CC) $(SAN_CFLAGS) -o $@ $(SAN_OBJ) $(LDLIBS)

# Unit tests: one binary per tests/unit/*_test.c, linked with every module
# but main.c, under ASan + UBSan.
LIBSRC := $(filter-out src/main.c,$(SRC))
SAN_LIBOBJ := $(filter-out build/san/obj/main.o,$(SAN_OBJ))
build/unit/%: tests/unit/%.c tests/unit/check.h $(SAN_LIBOBJ)
	@mkdir -p build/unit
	$(CC) $(SAN_CFLAGS) -Itests/unit -o $@ $< $(SAN_LIBOBJ) $(LDLIBS)

DEMO_DB ?= remit-demo.db
run:
	@scripts/deps build
	@$(MAKE) --no-print-directory remit
	@if [ ! -f $(DEMO_DB) ]; then ./remit demo --db $(DEMO_DB); else echo "Using the existing $(DEMO_DB) (delete it for a fresh demo; logins were printed when it was made)."; fi
	@echo "Open http://127.0.0.1:8080/ (Ctrl-C stops the server)"
	./remit serve --db $(DEMO_DB) --listen 127.0.0.1:8080

test:
	@scripts/deps test
	@$(MAKE) --no-print-directory -j$$(nproc 2>/dev/null || echo 2) remit build/san/remit
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
#   make bench [BENCH_ARGS=--gzip]  wrk against remit and nginx serving the same pages
#                              (both plain, or both gzip with --gzip),
#                              peak memory, in-process "Can I?" (tests/bench/bench.mjs)
#   make walk                  every page and API list within 50 ms (tests/perf/walk.mjs;
#                              make test runs it too)
#   make soak SOAK_SECONDS=600 a constant mixed load: errors, p99, memory and
#                              descriptors at the start and the end (tests/soak/soak.mjs)
BENCH_SECONDS ?= 10
BENCH_ARGS ?=
SOAK_SECONDS ?= 600
.PHONY: bench walk soak
bench:
	@scripts/deps bench
	@$(MAKE) --no-print-directory remit
	REMIT_BIN="$(CURDIR)/remit" node tests/bench/bench.mjs --seconds $(BENCH_SECONDS) $(BENCH_ARGS)
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
FUZZ_TARGETS := query cookie multipart json money csv markdown http sentiment
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

build/fuzz/obj/%.o: src/%.c $(HDRS)
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
