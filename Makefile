# onboard — every set-up step is here, idempotent, so a fresh machine needs only
# `make run` (serve the demo) and `make test` (run every test).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

WASM_BINDGEN_VERSION := 0.2.130
E2E := end2end
# wasm-opt comes from npm's binaryen (end2end/package.json); Debian's is too old.
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/$(E2E)/node_modules/.bin:$(PATH)
# cargo-leptos debug builds use this cfg; the test and lint commands use it too, so their
# artefacts are shared with `cargo leptos watch`.
DEV_RUSTFLAGS := --cfg erase_components
ADDR ?= 127.0.0.1:3000

.PHONY: run build test tools rust-tools node-tools browser lint unit pg e2e api-fuzz bench bench-quick bench-smoke clean-db

## Serve the app on an embedded SQLite with a demo organisation (http://127.0.0.1:3000).
run: build
	@LEPTOS_SITE_ROOT=target/site target/release/onboard demo
	@echo "Serving http://$(ADDR) — Ctrl-C to stop."
	LEPTOS_SITE_ROOT=target/site ONBOARD_ADDR=$(ADDR) target/release/onboard serve

## Release build: server binary target/release/onboard and site in target/site.
## Plain cargo + wasm-bindgen + wasm-opt (no cargo-leptos to install: that took 11-14 minutes
## on a fresh machine). `[package.metadata.leptos]` stays, so `cargo leptos watch` works too.
SITE := target/site
PKG := $(SITE)/pkg
WASM_OUT := target/wasm32-unknown-unknown/wasm-release/onboard.wasm
# Both halves must agree on the output name at compile time (file names in the page).
export LEPTOS_OUTPUT_NAME := onboard

build: rust-tools node-tools
	@echo "==> building the browser half (WASM, size-optimised; ~3 min on a fresh machine)"
	cargo build --lib --target wasm32-unknown-unknown --profile wasm-release \
	  --no-default-features --features hydrate
	@mkdir -p $(PKG)
	wasm-bindgen $(WASM_OUT) --target web --no-typescript --out-dir $(PKG) --out-name onboard
	@echo "==> wasm-opt -Oz"
	wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	  --enable-mutable-globals --enable-reference-types --enable-multivalue \
	  $(PKG)/onboard_bg.wasm -o $(PKG)/onboard.wasm
	rm -f $(PKG)/onboard_bg.wasm
	cp style/main.css $(PKG)/onboard.css
	cp -r public/. $(SITE)/
	@echo "==> building the server (release; ~5 min on a fresh machine)"
	cargo build --release --bin onboard --no-default-features --features ssr
	@# Precompressed copies; the server picks them by Accept-Encoding.
	gzip -9 -k -f $(PKG)/onboard.wasm $(PKG)/onboard.js $(PKG)/onboard.css
	@echo "==> built: target/release/onboard and $(SITE)"

## Everything: formatting, lints, unit + integration tests, browser tests, bench smoke test.
test: tools lint unit pg e2e api-fuzz bench-smoke

tools: rust-tools node-tools browser

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

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

lint: rust-tools
	cargo fmt --all -- --check
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --all-targets --features bench -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --lib --features hydrate -- -D warnings

## A real SMTP server for the email tests (aiosmtpd from PyPI, in a venv under target/).
SMTPD_PYTHON := $(CURDIR)/target/smtp-venv/bin/python
$(SMTPD_PYTHON):
	python3 -m venv target/smtp-venv
	target/smtp-venv/bin/pip install -q aiosmtpd==1.4.6
export ONBOARD_TEST_SMTPD_PYTHON := $(SMTPD_PYTHON)

## Unit tests (domain) and integration tests (the real app on port 0, fresh SQLite file each),
## then the email tests, which need the SMTP server.
## Tests run one at a time (RUST_TEST_THREADS=1 in .cargo/config.toml, so a plain `cargo test`
## does the same): each integration test serves its own app on its own Tokio runtime, and
## several Leptos apps rendering at once in one process, each on its own runtime, can leave a
## page render waiting forever. Production serves one app on one runtime; the
## `signed_in_pages_always_finish_rendering_under_concurrency` test covers that case.
unit: $(SMTPD_PYTHON)
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --features ssr
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --features ssr --test email -- --ignored

## The integration suite again on a throw-away PostgreSQL server, plus the two-instance test.
pg: $(SMTPD_PYTHON)
	RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/with-postgres cargo test --features ssr --tests -- --include-ignored

## Browser tests against the release build, hydrated and without JavaScript.
e2e: build browser
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

$(BENCH): build
	cargo build --release --features bench --bin onboard-bench

bench: $(BENCH)
	$(BENCH) --codes 1000000

bench-quick: $(BENCH)
	$(BENCH) --codes 100000

## make test only checks that the benchmark runs and prints its JSON line (no timing asserts).
bench-smoke: $(BENCH)
	$(BENCH) --codes 2000 --smoke | tail -n 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); \
	  missing=[k for k in ("list_p50_ms","list_p99_ms","admin_search_p99_ms","ssr_p50_ms","create_per_s","create_c8_per_s","validity_per_s","redeem_per_s","list_p99_during_redeem_ms","wasm_bytes","wasm_brotli_kb","rss_idle_mb","rss_load_mb","codes") if k not in d]; \
	  assert not missing, missing; print("bench smoke ok:", d)'

clean-db:
	rm -f onboard.db onboard.db-shm onboard.db-wal
