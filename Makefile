# Entry points for developers and CI. `make test` is everything CI checks (.ci/run); `make run`
# builds and starts the desktop app. Each target first installs what it needs
# (scripts/install-deps.sh), skipping what is already installed.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test
# The steps share cargo's target directory and use each other's output: run them one at a time, in
# the order written, and stop at the first failure.
.NOTPARALLEL:

# tauri-driver is installed by `cargo install`, and a non-login shell may not have ~/.cargo/bin.
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := $(or $(CARGO_TARGET_DIR),target)/debug/hearth-desktop

# Clippy's lints run while the workspace's own crates compile for the tests and the app
# (clippy-driver as cargo's workspace wrapper: it is rustc plus the lints), instead of in a
# separate `cargo clippy` build of every crate and its 500 dependencies. Same lints, same
# `-D warnings`, one compilation instead of two. `make clippy` still runs cargo clippy.
# (A missing clippy-driver makes cargo fail on the name, rather than compile without the lints.)
LINTED = RUSTC_WORKSPACE_WRAPPER="$$(command -v clippy-driver || echo clippy-driver-is-missing)" \
	CLIPPY_ARGS=-Dwarnings
UI_SOURCES := $(shell find ui/src -type f) ui/index.html ui/package-lock.json ui/tsconfig.json \
	ui/vite.config.ts

.PHONY: test deps deps-app deps-test deps-e2e deps-fuzz fmt-check ui-test ui-check ui clippy build-all cargo-test \
	app e2e run bench package package-test demo fuzz fuzz-smoke soak

test: deps fmt-check ui-test ui-check ui build-all cargo-test fuzz-smoke e2e

deps: deps-app deps-test deps-e2e deps-fuzz

deps-app:
	scripts/install-deps.sh app

deps-test:
	scripts/install-deps.sh test

deps-e2e:
	scripts/install-deps.sh e2e

deps-fuzz:
	scripts/install-deps.sh fuzz

fmt-check:
	cargo fmt --all --check
	cargo fmt --manifest-path fuzz/Cargo.toml --check

ui-test: | deps-app
	cd ui && npm test

ui-check: | deps-app
	cd ui && npm run check

ui: ui/dist/index.html

# A real file target, so that an unchanged UI is not rebuilt: a rebuilt ui/dist, even identical,
# makes cargo recompile the desktop crate, which embeds it.
ui/dist/index.html: $(UI_SOURCES) | deps-app
	cd ui && npm run build

# src-tauri's generate_context! embeds ui/dist, so anything that compiles it needs the UI built.
clippy: ui
	cargo clippy --workspace --all-targets -- -D warnings

# One build of everything make test uses: the tests, the benches and examples (compiled, and so
# linted, but not run), the desktop app and the CLI, all with a test build's features, so that
# the app and its crates are not compiled a second time with other features for the e2e tests.
build-all: ui | deps-test
	$(LINTED) cargo build --workspace --all-targets

# cargo-nextest (on our machines) runs the tests of every test binary in one pool, so both cores
# stay busy while one binary's longest test runs; cargo test runs them where it is missing.
cargo-test: build-all
	if command -v cargo-nextest >/dev/null; then \
		$(LINTED) cargo nextest run --workspace --no-fail-fast; \
	else \
		$(LINTED) cargo test --workspace; \
	fi

# The e2e tests use the CLI too (tests/e2e/run.sh).
app: ui
	$(LINTED) cargo build -p hearth-desktop -p hearth-cli

e2e: build-all | deps-e2e
	tests/e2e/run.sh

# Variables given to make (`make run HEARTH_DEMO=1`) reach the app through the environment.
run: deps-app app
	"$(APP)"

# A throwaway vault with a known passphrase shown on the unlock screen, deleted when the app exits.
demo: deps-app app
	HEARTH_DEMO=1 "$(APP)"

bench:
	cargo bench -p hearth-core --features bench

# Crash safety by the thousand: the kill tests that `make test` runs a dozen times each, run
# SOAK_KILLS times, each kill at another moment inside the work (an import, an export, a case
# save, an account change, a change of data key); each test prints where its kills landed. Then
# three laptops exchanging bundles in random orders until they hold SOAK_CASES cases, and agreeing.
SOAK_KILLS ?= 1000
SOAK_CASES ?= 10000
soak: deps-test
	HEARTH_SOAK_KILLS=$(SOAK_KILLS) cargo test -p hearth-cli --test killed_inside_the_work -- --nocapture
	HEARTH_REKEY_KILLS=$(SOAK_KILLS) cargo test -p hearth-cli --test rekey_killed -- --nocapture
	HEARTH_SYNC_CASES=$(SOAK_CASES) cargo test --release -p hearth-core --test sync \
		three_laptops_exchanging_in_any_order_end_identical -- --nocapture

# The fuzz targets (fuzz/fuzz_targets/), each fed its committed seeds (fuzz/corpus/<target>/, from
# crates/format/tests/vectors/ and core/examples/fuzz_seeds.rs) and what the long runs found
# (fuzz/found/<target>/, merged with -merge=1), and run for FUZZ_SECONDS. New inputs go to a
# scratch folder, so the committed inputs change only when someone merges findings in on purpose;
# a crash is left in fuzz/artifacts/<target>/.
FUZZ_TARGETS := bundle_sealed bundle_container bundle_body bundle_frames keyslots_file \
	checkpoint_note join_request record_fields
FUZZ_SECONDS ?= 600

fuzz: deps-fuzz
	for target in $(FUZZ_TARGETS); do \
		scratch=$$(mktemp -d); \
		found=$$(test -d fuzz/found/$$target && echo found/$$target || true); \
		(cd fuzz && cargo +nightly fuzz run $$target "$$scratch" corpus/$$target $$found -- \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1) || { rm -rf "$$scratch"; exit 1; }; \
		rm -rf "$$scratch"; \
	done

# make test's share: every target builds (unoptimised, for a quicker build) and runs 5 seconds
# from its seeds, so that a target that no longer builds or crashes at once fails the run. (Not
# from fuzz/found/: unoptimised, reading those takes half a minute for some targets.)
fuzz-smoke: | deps-fuzz
	for target in $(FUZZ_TARGETS); do \
		scratch=$$(mktemp -d); \
		(cd fuzz && cargo +nightly fuzz run --dev $$target "$$scratch" corpus/$$target -- \
			-max_total_time=5) || { rm -rf "$$scratch"; exit 1; }; \
		rm -rf "$$scratch"; \
	done

# A release build with the UI embedded, bundled as .deb and .rpm under target/release/bundle/, with
# the hearth CLI, its man page and shell completions (tauri.conf.json's bundle.linux files, which
# must exist before the bundler runs). The Tauri CLI comes from ui/'s packages but must run from
# the root to find src-tauri/.
package: deps-app ui
	cargo build --release -p hearth-cli
	target/release/hearth write-docs target/package-docs
	ui/node_modules/.bin/tauri build --bundles deb,rpm

# Installs the .deb and runs the end-to-end tests against the installed binary. Not part of
# `make test`: the release build alone takes about ten minutes on two cores.
package-test: package app | deps-e2e
	scripts/package-test.sh
