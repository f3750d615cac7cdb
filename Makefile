# The two commands a new user needs (see README.md):
#   make demo   runs the main job on the bundled fixtures
#   make test   runs every test
# Each does all of its own set-up on a fresh machine: system packages
# (scripts/setup-system.sh), the Whisper model (scripts/install-models.sh)
# and the sentence-embedding model (scripts/install-embeddings.sh).

CARGO ?= cargo
OUT ?= out/demo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: demo test system models-debug models-release embeddings bench fmt lint clean-out

demo: system
	$(CARGO) build --release --bin rapporteur
	RAPPORTEUR_BIN=$(TARGET_DIR)/release/rapporteur ./scripts/install-models.sh
	./scripts/install-embeddings.sh
	RAPPORTEUR_BIN=$(TARGET_DIR)/release/rapporteur ./scripts/demo.sh "$(OUT)"

# Tests use the debug build; the model converter runs from it too. Building
# the tests first (which builds the binary with the workspace's features)
# means CI compiles every dependency once. RAPPORTEUR_REQUIRE_ALL makes tests
# that need a model, a browser or a tool fail rather than skip when it is
# missing: `make test` installs all of them.
# CARGO_INCREMENTAL=0: a one-off build gains nothing from the incremental
# cache, which takes gigabytes of disk.
test: system
	CARGO_INCREMENTAL=0 $(CARGO) test --workspace --no-run
	RAPPORTEUR_BIN=$(TARGET_DIR)/debug/rapporteur ./scripts/install-models.sh
	./scripts/install-embeddings.sh
	CARGO_INCREMENTAL=0 RAPPORTEUR_REQUIRE_ALL=1 $(CARGO) test --workspace --no-fail-fast

system:
	./scripts/setup-system.sh

bench: system
	$(CARGO) bench --bench captions --bench extract --bench pipeline

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean-out:
	rm -rf out
