# Brando CRM — build, run, test, bench, install.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
PKGS    := libpq libcjson libargon2 libcurl libcrypto libwebsockets
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lfcgi -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC  := $(wildcard lib/*.c)
FCGI_SRC := $(wildcard fcgi/*.c)
APP_SRC  := $(filter-out fcgi/main.c,$(FCGI_SRC)) # brando-fcgi without main(): unit tests, fuzz
CTL_SRC  := $(wildcard fcgi/ctl/*.c) lib/arena.c lib/buf.c lib/config.c lib/crypto.c lib/db.c lib/http.c \
            lib/httpc.c lib/jsonv.c lib/log.c lib/metrics.c lib/password.c lib/phone.c lib/roles.c lib/zadarma.c
PUSH_SRC := $(wildcard fcgi/push/*.c) lib/arena.c lib/buf.c lib/config.c lib/db_async.c lib/log.c lib/roles.c
UNIT_SRC := $(wildcard test/unit/test_*.c)
UNIT_SUPPORT := $(filter-out $(UNIT_SRC),$(wildcard test/unit/*.c))

# Debian packages the project needs; `make deps` installs the missing ones.
DEB_BUILD := gcc make pkg-config libfcgi-dev libpq-dev libcjson-dev libargon2-dev \
             libcurl4-openssl-dev libssl-dev libwebsockets-dev libcmocka-dev
DEB_RUN   := postgresql postgresql-contrib nginx
DEB_TEST  := chromium wrk valgrind procps clang libclang-rt-14-dev strace
export DEBIAN_FRONTEND := noninteractive

.PHONY: all deps deps-test san static run test test-unit test-api test-js test-e2e fuzz fuzz-seeds bench install clean

all: fcgi/brando-fcgi fcgi/brando-ctl fcgi/brando-push static

deps:
	@missing=""; for p in $(DEB_BUILD) $(DEB_RUN) $(if $(WITH_TEST),$(DEB_TEST)); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	command -v node >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; fi

deps-test:
	@$(MAKE) --no-print-directory deps WITH_TEST=1

# --- C build: build/ (release) and build-san/ (ASan + UBSan) -------------------------------
# brando-push (fcgi/push/) sees its own headers and lib/, nothing of brando-fcgi's.
INC := -Ilib -Ifcgi
build/fcgi/push/%.o build-san/fcgi/push/%.o build-san/test/unit/test_push_%.o: INC := -Ilib -Ifcgi/push
build/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(WARN) $(CFLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
build-san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(INC) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

fcgi/brando-fcgi: $(patsubst %.c,build/%.o,$(FCGI_SRC) $(LIB_SRC))
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
fcgi/brando-ctl: $(patsubst %.c,build/%.o,$(CTL_SRC))
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
fcgi/brando-push: $(patsubst %.c,build/%.o,$(PUSH_SRC))
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
build-san/brando-fcgi: $(patsubst %.c,build-san/%.o,$(FCGI_SRC) $(LIB_SRC))
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)
build-san/brando-ctl: $(patsubst %.c,build-san/%.o,$(CTL_SRC))
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)
build-san/brando-push: $(patsubst %.c,build-san/%.o,$(PUSH_SRC))
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)
build-san/unit-%: build-san/test/unit/test_%.o $(patsubst %.c,build-san/%.o,$(UNIT_SUPPORT) $(LIB_SRC) $(APP_SRC))
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lcmocka

build-san/unit-push_ring: build-san/test/unit/test_push_ring.o build-san/fcgi/push/ring.o build-san/lib/roles.o
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lcmocka
build-san/unit-push_gap: build-san/test/unit/test_push_gap.o build-san/fcgi/push/gap.o
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lcmocka
build-san/unit-push_plan: build-san/test/unit/test_push_plan.o build-san/fcgi/push/plan.o
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lcmocka

san: build-san/brando-fcgi build-san/brando-ctl build-san/brando-push

.SECONDARY:

-include $(shell find build build-san -name '*.d' 2>/dev/null)

# --- static front end (static/: Preact + TypeScript, built by Vite into static/dist) -------
# npm ci only when node_modules is missing or the lock changed; vite build when sources changed.
STATIC_SRC := $(shell find static/src -type f 2>/dev/null) static/vite.config.ts static/tsconfig.json static/package.json
static: static/dist/index.html
static/node_modules/.ok: static/package-lock.json
	cd static && npm ci --no-audit --no-fund
	@touch $@
static/dist/index.html: static/node_modules/.ok $(STATIC_SRC)
	cd static && npx --no-install vite build --logLevel warn

# --- local stack --------------------------------------------------------------------------
run: deps all
	@conf/stack.sh run "$(CURDIR)/var" "$${PORT:-8080}"

# --- tests --------------------------------------------------------------------------------
UNIT_BINS := $(patsubst test/unit/test_%.c,build-san/unit-%,$(UNIT_SRC))

test: deps-test all san test/node_modules/.ok
	@$(MAKE) --no-print-directory test-unit test-js
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_TEST_SECONDS)
	@$(MAKE) --no-print-directory test-api test-e2e

test/node_modules/.ok: test/package-lock.json
	cd test && npm ci --no-audit --no-fund
	@touch $@

test-unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

# Node 18 (Debian 12's own) has no --test-concurrency; Node >= 20 runs two files at a time.
NODE_TEST := node --test $(shell node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)' 2>/dev/null && echo --test-concurrency=2)

# API and fault tests: each file starts its own stack (temp folder, free port, sanitizer build);
# fakes/ checks the fake outside services those tests rely on.
test-api: san static test/node_modules/.ok
	cd test && BRANDO_BIN_DIR="$(CURDIR)/build-san" $(NODE_TEST) api/ fault/ fakes/

# libFuzzer (clang, ASan + UBSan): one target per parser a stranger's bytes reach,
# test/fuzz/fuzz_<name>.c with its committed seeds in test/fuzz/seeds/<name>/. A new fuzz_*.c
# (the Telegram update parser's, when it lands) is built and run with no change here.
# `make test` runs each target FUZZ_TEST_SECONDS, `make fuzz` FUZZ_SECONDS; the corpus grown
# meanwhile stays in build-san/fuzz/corpus, `make fuzz-seeds` keeps what adds coverage.
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 4
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := $(patsubst test/fuzz/fuzz_%.c,%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_SRC     := $(LIB_SRC) $(APP_SRC) test/fuzz/common.c
FUZZ_BINS    := $(addprefix build-san/fuzz-,$(FUZZ_TARGETS))

build-san/fuzz/test/fuzz/fuzz_since.o: INC := -Ilib -Ifcgi -Ifcgi/push # brando-push's since parser
build-san/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(INC) -Itest/fuzz $(PKG_CFLAGS) -MMD -MP -c $< -o $@
# An archive: each target links only the objects it reaches.
build-san/fuzz/libbrando.a: $(patsubst %.c,build-san/fuzz/%.o,$(FUZZ_SRC))
	@rm -f $@ && ar rcs $@ $^
build-san/fuzz-%: build-san/fuzz/test/fuzz/fuzz_%.o build-san/fuzz/libbrando.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@test/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-seeds: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do mkdir -p test/fuzz/seeds/$$t build-san/fuzz/corpus/$$t; \
	  build-san/fuzz-$$t -merge=1 test/fuzz/seeds/$$t build-san/fuzz/corpus/$$t 2>&1 | tail -n 1; done

# Web UI: client logic (node --test on static/test, bundled by esbuild) and end-to-end in
# Debian's Chromium driven by playwright-core against a real stack (screenshots: test/artifacts).
test-js: static/node_modules/.ok
	cd static && npx --no-install tsc --noEmit && node build-test.mjs && node --test .test-build/

test-e2e: san static test/node_modules/.ok
	cd test && BRANDO_BIN_DIR="$(CURDIR)/build-san" node --test $(if $(findstring concurrency,$(NODE_TEST)),--test-concurrency=1) e2e/

bench: deps-test all
	node test/bench/run.js

# sql/functions is replaced as a whole: brando-ctl migrate applies every file in it, so one left
# from an older release would bring back what that release removed. The rm -f clears the
# migrations of the layout before sql/migrations (they were installed straight into sql/).
SQL_SHARE = $(DESTDIR)$(PREFIX)/share/brando/sql
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SQL_SHARE)/migrations \
	  $(DESTDIR)$(PREFIX)/share/brando/conf $(DESTDIR)$(PREFIX)/share/brando/static
	install -m 755 fcgi/brando-fcgi fcgi/brando-ctl fcgi/brando-push $(DESTDIR)$(PREFIX)/bin/
	rm -rf $(SQL_SHARE)/functions && install -d $(SQL_SHARE)/functions
	rm -f $(SQL_SHARE)/[0-9][0-9][0-9]_*.sql
	install -m 644 sql/migrations/*.sql $(SQL_SHARE)/migrations/
	install -m 644 sql/functions/*.sql $(SQL_SHARE)/functions/
	cp -r conf/. $(DESTDIR)$(PREFIX)/share/brando/conf/
	cp -r static/dist/. $(DESTDIR)$(PREFIX)/share/brando/static/

clean:
	rm -rf build build-san fcgi/brando-fcgi fcgi/brando-ctl fcgi/brando-push static/dist static/.test-build
