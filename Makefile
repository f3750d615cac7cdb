# The two commands a new user needs (see README.md):
#   make demo   runs the main job on the bundled fixtures
#   make test   runs every test
# Each does all of its own set-up on a fresh machine.

CARGO ?= cargo
OUT ?= out/demo

.PHONY: demo test setup system models build bench fmt lint clean-out

demo: setup
	$(CARGO) build --release --bin rapporteur
	./scripts/demo.sh "$(OUT)"

test: setup
	$(CARGO) build --bin rapporteur
	$(CARGO) test --workspace --no-fail-fast

setup: system models

system:
	./scripts/setup-system.sh

models:
	@if [ -x scripts/install-models.sh ]; then ./scripts/install-models.sh; fi

bench: setup
	$(CARGO) bench --bench captions

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean-out:
	rm -rf out
