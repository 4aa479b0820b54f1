# onboard — every set-up step is here, idempotent, so a fresh machine needs only
# `make run` (serve the demo) and `make test` (run every test).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

WASM_BINDGEN_VERSION := 0.2.130
WASM_SPLIT_VERSION := 0.2.4
BINARYEN_VERSION := 132.0.0
E2E := end2end
# wasm-opt is npm's binaryen, installed on its own for building (Debian's is too old); the
# browser-test tools in end2end/ are only installed by `make test`.
TOOLS := $(CURDIR)/target/tools/binaryen-$(BINARYEN_VERSION)
WASM_OPT := $(TOOLS)/node_modules/.bin/wasm-opt
# terser minifies the two scripts the site serves (npm, pure JavaScript).
TERSER_VERSION := 5.51.4
TERSER_DIR := $(CURDIR)/target/tools/terser-$(TERSER_VERSION)
TERSER := $(TERSER_DIR)/node_modules/.bin/terser
TERSER_OPTS := --module --compress --mangle
TERSER_ID := terser $(TERSER_VERSION) $(TERSER_OPTS)
export PATH := $(HOME)/.cargo/bin:$(TOOLS)/node_modules/.bin:$(CURDIR)/$(E2E)/node_modules/.bin:$(PATH)
# cargo-leptos debug builds use this cfg; the test and lint commands use it too, so their
# artefacts are shared with `cargo leptos watch`. The release build uses it as well: erasing
# component types cuts the crate's release compile by about 40% (166 s to 102 s on 2 cores),
# and both halves must agree on it.
DEV_RUSTFLAGS := --cfg erase_components
BUILD_RUSTFLAGS := --cfg erase_components
# The WASM keeps its relocations so that wasm-split can cut it into lazily loaded chunks.
SPLIT_RUSTFLAGS := -Clink-args=--emit-relocs
WASM_RUSTFLAGS := $(BUILD_RUSTFLAGS) $(SPLIT_RUSTFLAGS)
# $(call split-bind,WASM,SPLIT DIR,OUT DIR): cut a WASM at the lazy pages' split points (main
# module, chunks and their loader into SPLIT DIR), then wasm-bindgen the main module into
# OUT DIR (onboard.js, onboard_bg.wasm). Used by the release site and by `make dev`.
split-bind = rm -rf $(2) && mkdir -p $(2) $(3) && \
	wasm-split-cli $(1) $(2) --target web --out-name onboard && \
	wasm-bindgen $(2)/onboard.wasm --target web --no-typescript --keep-lld-exports \
	  --no-demangle --out-dir $(3) --out-name onboard
ADDR ?= 127.0.0.1:3000
# The server's features: `make test` adds the benchmark's, so one release build serves the
# browser tests, the API fuzzing and the benchmark.
SERVER_FEATURES ?= ssr
# The server's cargo profile: `release`, or `demo` (opt-level 1) for `make run`.
SERVER_PROFILE ?= release
SERVER_BIN = target/$(SERVER_PROFILE)/onboard
# Prints how long a step took: $(call took,label,start-seconds)
took = echo "    $(1) done in $$(( $$(date +%s) - $(2) )) s"

.PHONY: run dev build site wasm server test tools rust-target rust-lint-tools wasm-bindgen-tool wasm-split-tool \
	node-tools browser lint unit pg e2e api-fuzz bench bench-quick bench-smoke clean-db

## Serve the app on an embedded SQLite with a demo organisation (http://127.0.0.1:3000).
## A first run installs the wasm target, wasm-bindgen and wasm-opt, then builds (about 9
## minutes on 2 cores; see README); later runs start in seconds.
run: SERVER_PROFILE := demo
run: build
	@LEPTOS_SITE_ROOT=target/site $(SERVER_BIN) demo
	@echo "==> serving http://$(ADDR)/login (Ctrl-C to stop)"
	LEPTOS_SITE_ROOT=target/site ONBOARD_ADDR=$(ADDR) $(SERVER_BIN) serve

## Release build: server binary target/release/onboard and site in target/site.
## Plain cargo + wasm-bindgen + wasm-opt (no cargo-leptos to install: that took 11-14 minutes
## on a fresh machine). `[package.metadata.leptos]` stays, so `cargo leptos watch` works too.
## The two halves build at once in separate target directories: each spends minutes on one
## core (the big crate's front end, the WASM's link-time optimisation), so together they fill
## both cores.
SITE := target/site
PKG := $(SITE)/pkg
FRONT := target/front
WASM_OUT := $(FRONT)/wasm32-unknown-unknown/wasm-release/onboard.wasm
SPLIT := $(FRONT)/split
STAGE := $(FRONT)/pkg
# Both halves must agree on the output name at compile time (file names in the page).
export LEPTOS_OUTPUT_NAME := onboard

# Node's zlib writes the .br files (node is already needed for wasm-opt).
define BROTLI_JS
const z = require('zlib'), fs = require('fs');
for (const f of process.argv.slice(1)) {
  const src = fs.readFileSync(f);
  fs.writeFileSync(f + '.br', z.brotliCompressSync(src, { params: {
    [z.constants.BROTLI_PARAM_QUALITY]: 11,
    [z.constants.BROTLI_PARAM_SIZE_HINT]: src.length } }));
}
endef
export BROTLI_JS

# The lazy pages' preload map, read from the loader wasm-split wrote: for each split point, the
# files (without `.wasm`) it loads. The server names them in a lazy page's <head>, so a first
# visit fetches them alongside the main module instead of after it.
define MANIFEST_JS
const js = require('fs').readFileSync(process.argv[1], 'utf8');
const file = (text) => (text.match(/"\.\/([^"]+)\.wasm"/) || [])[1];
const chunks = {};
for (const part of js.split(/^const /m).slice(1)) {
  const m = part.match(/^(__chunk_\d+) = makeLoad/);
  if (m) chunks[m[1]] = file(part);
}
const manifest = {};
for (const part of js.split('export const __wasm_split_load_').slice(1)) {
  const name = part.match(/^\w+/)[0];
  const deps = (part.match(/\[([^\]]*)\]\)\);/) || ['', ''])[1];
  const files = deps.split(',').map(d => chunks[d.trim()]).filter(Boolean);
  if (file(part)) files.push(file(part));
  manifest[name] = files;
}
if (!Object.keys(manifest).length) throw new Error('no split points in ' + process.argv[1]);
process.stdout.write(JSON.stringify(manifest, null, 1));
endef
export MANIFEST_JS

build:
	@start=$$(date +%s); \
	echo "==> building onboard: the browser half (WASM) and the server at once; output of the"; \
	echo "    two interleaves. About 9 minutes the first time on 2 cores, seconds after that."; \
	$(MAKE) --no-print-directory -j4 site server SERVER_FEATURES=$(SERVER_FEATURES) \
	  SERVER_PROFILE=$(SERVER_PROFILE); \
	$(call took,build,$$start); \
	echo "==> built: $(SERVER_BIN) and $(SITE)"

# The release WASM builds its own standard library (rust-src, from rustup) so that a panic
# is a bare trap: no panic messages, locations or their formatting ship (main module 294.9 to
# 275.2 KB brotli, README). With it, two more: no file names and lines for panic locations,
# and `{:?}` (Debug formatting, which nothing a person reads in the browser uses) compiled to
# nothing (254.6 to 251.3 KB). All are unstable flags, which RUSTC_BOOTSTRAP enables on the
# stable compiler for this one command; the server, the tests and `make dev` builds keep the
# ordinary standard library and their panic messages. A compiler that lacks the flags (they
# are unstable, and not pinned) builds the WASM the ordinary way, about 30 KB larger.
WASM_STD_FLAGS := -Zbuild-std=std,panic_abort
WASM_PANIC_RUSTFLAGS := -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none \
	-Zfmt-debug=none
wasm: rust-target
	@start=$$(date +%s); echo "==> [browser] compiling the WASM half (size-optimised, its own std)"; \
	if RUSTC_BOOTSTRAP=1 rustc $(WASM_PANIC_RUSTFLAGS) --target wasm32-unknown-unknown --print cfg \
	    >/dev/null 2>&1 && [ -d "$$(rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library/std" ]; then \
	  boot=1; std="$(WASM_STD_FLAGS)"; panic="$(WASM_PANIC_RUSTFLAGS)"; \
	else echo "    $$(rustc --version 2>/dev/null) cannot build its std with immediate-abort panics here:" \
	  "building with the ordinary std (a larger WASM)"; boot=; std=; panic=; fi; \
	RUSTC_BOOTSTRAP=$$boot RUSTFLAGS="$(WASM_RUSTFLAGS) $$panic" CARGO_TARGET_DIR=$(FRONT) \
	  cargo build --quiet --lib --target wasm32-unknown-unknown $$std \
	  --profile wasm-release --no-default-features --features hydrate; \
	$(call took,[browser] WASM,$$start)

# The main module, which every first visit downloads, is optimised for speed-and-size (-Os)
# around a whole-program pass (--gufa): larger raw, smaller compressed (244.4 against 245.8
# KB brotli for -Oz). The chunks stay at -Oz.
WASM_OPT_MAIN := -Os --gufa -Os
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-mutable-globals --enable-reference-types --enable-multivalue
WASM_OPT_FLAGS := -Oz $(WASM_FEATURES)
site: wasm wasm-bindgen-tool wasm-split-tool $(WASM_OPT) $(TERSER)
	@rm -rf $(STAGE) && mkdir -p $(PKG)
	@# Lazy pages (src/app/mod.rs, `lazy_pages!`): cut the module at their split points into a
	@# main module (the shell and the dashboard), one chunk per page plus chunks of code
	@# several pages share, and the loader script that fetches a chunk on first use.
	$(call split-bind,$(WASM_OUT),$(SPLIT),$(STAGE))
	@echo "==> [browser] wasm-opt (main module, and $$(ls $(SPLIT)/split_*.wasm $(SPLIT)/chunk_*.wasm | wc -l) chunks at -Oz)"
	wasm-opt $(WASM_OPT_MAIN) $(WASM_FEATURES) $(STAGE)/onboard_bg.wasm -o $(STAGE)/onboard.wasm
	rm -f $(STAGE)/onboard_bg.wasm
	@# Two at a time: each run is mostly the npm wasm-opt's start-up. Its output (a warning
	@# per chunk about a names subsection it does not know) is shown only if it fails.
	@ls $(SPLIT)/split_*.wasm $(SPLIT)/chunk_*.wasm | xargs -P 2 -I{} sh -c \
	  'out=$$(wasm-opt $(WASM_OPT_FLAGS) "{}" -o $(STAGE)/$$(basename "{}") 2>&1) || { echo "$$out" >&2; exit 1; }'
	cp $(SPLIT)/__wasm_split.js $(STAGE)/
	cp style/main.css $(STAGE)/onboard.css
	cp -r public/. $(SITE)/
	@# Content-hashed names: a new build is a new URL, so browsers keep each file for a year
	@# (Cache-Control: immutable) and never run a stale one. hash.txt names the main files for
	@# the server (Leptos's hydration loader reads the same file). The loader names the
	@# chunks and the main script, and the main script names the loader, so the loader's name
	@# hashes what decides both (itself with its chunks' names, the main script and module).
	@# Each rewrite is checked: a reference left unhashed would load a second copy of the app.
	cd $(STAGE) && for f in split_*.wasm chunk_*.wasm; do \
	  s=$${f%.wasm}; h=$$(sha256sum "$$f" | cut -c1-16); mv "$$f" "$$s.$$h.wasm"; \
	  sed -i "s|\"\./$$s\.wasm\"|\"./$$s.$$h.wasm\"|" __wasm_split.js; \
	  grep -qF "\"./$$s.$$h.wasm\"" __wasm_split.js; done; \
	l=$$( { sha256sum __wasm_split.js onboard.js onboard.wasm; echo '$(TERSER_ID)'; } \
	  | sha256sum | cut -c1-16); \
	mv __wasm_split.js __wasm_split.$$l.js; \
	sed -i "s|from \"\./__wasm_split\.js\"|from \"./__wasm_split.$$l.js\"|" onboard.js; \
	if grep -qF 'from "./__wasm_split.js"' onboard.js; then echo "unhashed loader import" >&2; exit 1; fi; \
	grep -qF "from \"./__wasm_split.$$l.js\"" onboard.js; \
	for ext in js wasm css; do \
	  h=$$( { cat onboard.$$ext; if [ $$ext = js ]; then echo '$(TERSER_ID)'; fi; } \
	    | sha256sum | cut -c1-16); mv onboard.$$ext onboard.$$h.$$ext; \
	  echo "$$ext: $$h"; done > ../hash.txt; \
	js=$$(sed -n 's/^js: //p' ../hash.txt); \
	sed -i "s|from \"\./onboard\.js\"|from \"./onboard.$$js.js\"|" __wasm_split.$$l.js; \
	grep -qF "from \"./onboard.$$js.js\"" __wasm_split.$$l.js; \
	node -e "$$MANIFEST_JS" __wasm_split.$$l.js > manifest.json; \
	m=$$(sha256sum manifest.json | cut -c1-16); mv manifest.json __wasm_split_manifest.$$m.json; \
	printf 'split: %s\nmanifest: %s\n' $$l $$m >> ../hash.txt
	@# The two scripts minified (exports and the module's import names are kept): 8.3 to 6.2
	@# and 3.1 to 2.4 KB brotli. Their names were hashed above, from the scripts as generated
	@# and the minifier's version and options, which decide the bytes served under them.
	cd $(STAGE) && for f in onboard.*.js __wasm_split.*.js; do \
	  $(TERSER) "$$f" $(TERSER_OPTS) -o "$$f.min" && mv "$$f.min" "$$f" || exit 1; done
	@# Precompressed copies (brotli at its best level, and gzip); the server sends the one the
	@# browser accepts, so nothing is compressed per request.
	gzip -9 -k -f $(STAGE)/*.wasm $(STAGE)/*.js $(STAGE)/*.css
	node -e "$$BROTLI_JS" $(STAGE)/*.wasm $(STAGE)/*.js $(STAGE)/*.css
	@# The plain names too (hard links, no extra space), for tools and links that predate the
	@# hashing; pages name the hashed files, and only those are cached for good.
	cd $(STAGE) && for f in onboard.*.*; do ln -f "$$f" "$$(echo "$$f" | sed -E 's/^onboard\.[0-9a-f]{16}\./onboard./')"; done
	@# Into the site. Hashed files of earlier builds stay for a week, so a tab opened before a
	@# rebuild still finds the chunks its loader names; everything else is replaced.
	cd $(PKG) && for f in *; do echo "$$f" | grep -qE '\.[0-9a-f]{16}\.(js|wasm|css)(\.br|\.gz)?$$' \
	  || rm -f "$$f"; done
	find $(PKG) -maxdepth 1 -type f -mtime +7 -delete
	cp -a $(STAGE)/. $(PKG)/
	cp $(FRONT)/hash.txt $(SITE)/hash.txt
	@ls -l $(STAGE) | grep -E 'onboard\.[0-9a-f]{16}\.' | awk '{printf "    %-34s %8.1f KB\n", $$9, $$5/1024}'
	@ls -l $(STAGE) | grep -E '^-.* (split|chunk)_.*\.wasm\.br$$' | awk '{n++; t+=$$5} END {printf "    %d lazy chunks, %.1f KB brotli in all\n", n, t/1024}'

server:
	@start=$$(date +%s); \
	echo "==> [server] compiling the server (profile $(SERVER_PROFILE), features $(SERVER_FEATURES))"; \
	RUSTFLAGS="$(BUILD_RUSTFLAGS)" cargo build --quiet --profile $(SERVER_PROFILE) --bin onboard \
	  --no-default-features --features $(SERVER_FEATURES); \
	$(call took,[server] $(SERVER_PROFILE) build,$$start)

## Day-to-day work: rebuild and restart on every change. With cargo-leptos installed
## (`cargo install cargo-leptos`) this is `cargo leptos watch` (also reloads the browser);
## otherwise a loop rebuilds debug builds of both halves when a file under src/, style/,
## public/ or migrations/ changes and restarts the server.
DEV_SITE := target/site-dev
dev: rust-target wasm-bindgen-tool wasm-split-tool
	@if cargo leptos --version >/dev/null 2>&1; then exec cargo leptos watch --split; fi; \
	echo "==> cargo-leptos not installed: rebuilding on change (Ctrl-C to stop)"; \
	sum() { find src style public migrations -type f -printf '%p %T@\n' | sort | md5sum; }; \
	pid=; trap '[ -n "$$pid" ] && kill $$pid 2>/dev/null; exit 0' INT TERM; \
	while true; do \
	  seen=$$(sum); \
	  if $(MAKE) --no-print-directory dev-build; then \
	    [ -n "$$pid" ] && kill $$pid 2>/dev/null && wait $$pid 2>/dev/null; \
	    LEPTOS_SITE_ROOT=$(DEV_SITE) target/debug/onboard demo >/dev/null; \
	    LEPTOS_SITE_ROOT=$(DEV_SITE) ONBOARD_ADDR=$(ADDR) target/debug/onboard serve & pid=$$!; \
	    echo "==> serving http://$(ADDR)/login; watching for changes"; \
	  else echo "==> build failed; fix it and save"; fi; \
	  while [ "$$(sum)" = "$$seen" ]; do sleep 1; done; \
	done

dev-build:
	RUSTFLAGS="$(DEV_RUSTFLAGS) $(SPLIT_RUSTFLAGS)" CARGO_TARGET_DIR=$(FRONT) cargo build --lib \
	  --target wasm32-unknown-unknown --no-default-features --features hydrate
	@rm -rf $(DEV_SITE)/pkg
	$(call split-bind,$(FRONT)/wasm32-unknown-unknown/debug/onboard.wasm,$(FRONT)/split-dev,$(DEV_SITE)/pkg)
	mv $(DEV_SITE)/pkg/onboard_bg.wasm $(DEV_SITE)/pkg/onboard.wasm
	cp $(FRONT)/split-dev/__wasm_split.js $(FRONT)/split-dev/split_*.wasm $(FRONT)/split-dev/chunk_*.wasm \
	  $(DEV_SITE)/pkg/
	cp style/main.css $(DEV_SITE)/pkg/onboard.css
	cp -r public/. $(DEV_SITE)/
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo build --bin onboard --no-default-features --features ssr

## Everything: formatting, lints, unit + integration tests, browser tests, bench smoke test.
test: tools lint unit pg e2e api-fuzz bench-smoke
test: SERVER_FEATURES := bench

tools: rust-target rust-lint-tools wasm-bindgen-tool wasm-split-tool node-tools browser

rust-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || { \
	  echo "==> installing the wasm32 target (rustup; ~30 s)"; rustup target add wasm32-unknown-unknown; }
	@rustup component list --installed | grep -q '^rust-src' || { \
	  echo "==> installing the standard library's source (rustup; for the release WASM)"; \
	  rustup component add rust-src || echo "    (not installed: the WASM builds with the ordinary std)"; }

rust-lint-tools:
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

wasm-bindgen-tool:
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  start=$$(date +%s); \
	  echo "==> [tools] installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (compiled from crates.io; ~1 min)"; \
	  cargo install --quiet --debug wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	  $(call took,[tools] wasm-bindgen-cli,$$start); \
	fi

# Cuts the WASM at the lazy pages' split points (the tool cargo-leptos's `--split` uses).
wasm-split-tool:
	@if ! cargo install --list | grep -qx "wasm_split_cli_support v$(WASM_SPLIT_VERSION):"; then \
	  start=$$(date +%s); \
	  echo "==> [tools] installing wasm-split-cli $(WASM_SPLIT_VERSION) (compiled from crates.io; ~40 s)"; \
	  cargo install --quiet --debug --locked wasm_split_cli_support --version $(WASM_SPLIT_VERSION) \
	    --features build-binary --force; \
	  $(call took,[tools] wasm-split-cli,$$start); \
	fi

$(TERSER):
	@echo "==> [tools] installing terser $(TERSER_VERSION) (npm; ~5 s)"
	@mkdir -p $(TERSER_DIR)
	npm install --silent --no-audit --no-fund --prefix $(TERSER_DIR) terser@$(TERSER_VERSION)

$(WASM_OPT):
	@echo "==> [tools] installing wasm-opt (binaryen $(BINARYEN_VERSION) from npm; ~20 s)"
	@mkdir -p $(TOOLS)
	npm install --silent --no-audit --no-fund --prefix $(TOOLS) binaryen@$(BINARYEN_VERSION)

node-tools: $(E2E)/node_modules/.installed

$(E2E)/node_modules/.installed: $(E2E)/package.json $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund
	touch $@

browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian chromium"; \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) \
	    apt-get install -y -qq chromium >/dev/null; }

lint: rust-lint-tools rust-target
	cargo fmt --all -- --check
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --all-targets --features bench -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --lib --features hydrate -- -D warnings

## A real SMTP server for the email tests (aiosmtpd from PyPI, in a venv under target/).
SMTPD_PYTHON := $(CURDIR)/target/smtp-venv/bin/python
$(SMTPD_PYTHON):
	python3 -m venv target/smtp-venv
	target/smtp-venv/bin/pip install -q aiosmtpd==1.4.6
export ONBOARD_TEST_SMTPD_PYTHON := $(SMTPD_PYTHON)

## A real OpenID Connect provider for the sign-in tests (oidc-provider-mock from PyPI, pinned).
OIDC_MOCK := $(CURDIR)/target/oidc-venv/bin/oidc-provider-mock
$(OIDC_MOCK): .ci/oidc-mock-requirements.txt
	python3 -m venv target/oidc-venv
	target/oidc-venv/bin/pip install -q -r .ci/oidc-mock-requirements.txt
	touch $@
export ONBOARD_TEST_OIDC_MOCK := $(OIDC_MOCK)

## Unit tests (domain) and integration tests (the real app on port 0, fresh SQLite file each),
## then the email and sign-in tests, which need the SMTP server and the identity provider.
## Tests run one at a time (RUST_TEST_THREADS=1 in .cargo/config.toml, so a plain `cargo test`
## does the same): each integration test serves its own app on its own Tokio runtime, and
## several Leptos apps rendering at once in one process, each on its own runtime, can leave a
## page render waiting forever. Production serves one app on one runtime; the
## `signed_in_pages_always_finish_rendering_under_concurrency` test covers that case.
unit: $(SMTPD_PYTHON) $(OIDC_MOCK)
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --features ssr
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --features ssr --test email --test oidc -- --ignored

## The integration suite again on a throw-away PostgreSQL server, plus the two-instance test.
pg: $(SMTPD_PYTHON) $(OIDC_MOCK)
	RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/with-postgres cargo test --features ssr --tests -- --include-ignored

## Browser tests against the release build, hydrated and without JavaScript.
e2e: build browser node-tools $(OIDC_MOCK)
	cd $(E2E) && CI=$${CI:-} npx playwright test

## Property-based API testing against the OpenAPI document (schemathesis from PyPI).
SCHEMATHESIS := target/st-venv/bin/schemathesis
$(SCHEMATHESIS):
	python3 -m venv target/st-venv
	target/st-venv/bin/pip install -q schemathesis==4.32.5

api-fuzz: build $(SCHEMATHESIS)
	.ci/api-fuzz

## Benchmarks: seed at scale, load the release server, print a table and a JSON line.
## BENCH_DATABASE_URL=postgres://... benchmarks PostgreSQL instead of a temp SQLite file.
BENCH := target/release/onboard-bench

$(BENCH): SERVER_FEATURES := bench
$(BENCH): build
	RUSTFLAGS="$(BUILD_RUSTFLAGS)" cargo build --release --no-default-features --features bench --bin onboard-bench

bench: $(BENCH)
	$(BENCH) --codes 1000000

bench-quick: $(BENCH)
	$(BENCH) --codes 100000

## make test only checks that the benchmark runs and prints its JSON line (no timing asserts).
bench-smoke: $(BENCH)
	RUSTFLAGS="$(BUILD_RUSTFLAGS)" cargo test --quiet --release --no-default-features --features bench \
	  --bin onboard-bench
	$(BENCH) --codes 2000 --smoke | tail -n 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); \
	  missing=[k for k in ("list_p50_ms","list_p99_ms","admin_search_p99_ms","ssr_p50_ms","create_per_s","create_c8_per_s","validity_per_s","redeem_per_s","list_p99_during_redeem_ms","wasm_bytes","wasm_brotli_kb","wasm_served_kb","first_load_served_kb","rss_idle_mb","rss_load_mb","codes") if k not in d]; \
	  assert not missing, missing; print("bench smoke ok:", d)'

clean-db:
	rm -f onboard.db onboard.db-shm onboard.db-wal
