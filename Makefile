# hegui — two entry points: `make demo` and `make test`. Both create .venv on first use.
# Development: `make check` (lint and the fast tier, seconds), `make mutation` (mutation trial).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# mypy reads the hegui.* namespace from the strict editable install's link tree.
MYPY := MYPYPATH=$$(ls -d build/__editable__.hegui-*) $(BIN)/mypy -p hegui

.PHONY: install demo test check lint mutation bench fuzz clean

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (log: $(VENV)/setup.log) ..."
	@$(PY) -m venv $(VENV)
	@{ $(BIN)/pip install --upgrade pip && \
	   $(BIN)/pip install 'setuptools>=77' wheel && \
	   $(BIN)/pip install -e '.[dev]' --config-settings editable_mode=strict; \
	 } >$(VENV)/setup.log 2>&1 || { tail -n 40 $(VENV)/setup.log; exit 1; }
	@touch $(STAMP)

# The strict editable install is a link tree: re-link so files added since are importable.
install: $(STAMP)
	@$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . \
		--config-settings editable_mode=strict >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }

demo: install
	@bash scripts/demo.sh $(BIN)

test: install
	$(BIN)/ruff check .
	$(MYPY)
	$(BIN)/pytest -q
	bash scripts/wheel-check.sh $(BIN)

# The fast loop: lint, then every test not marked slow (tests/conftest.py names the slow tier).
# Bytecode is cached here even where the environment says not to: it saves seconds per run.
check: install
	$(BIN)/ruff check .
	$(MYPY)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(MYPY)

# Mutation trial (scripts/mutation_trial.py): mutants of tests/mutation/mutants.yaml applied one
# at a time to a copy of the repository; fails below MUTATION_MIN percent killed or on a stale
# mutant. MUTATION_ARGS=--rev HEAD tries the committed code while the working tree is in flux.
MUTATION_MIN ?= 90
mutation: install
	$(BIN)/python scripts/mutation_trial.py --min-rate $(MUTATION_MIN) $(MUTATION_ARGS)

# Fuzz tier (tests/fuzz/README.md): FUZZ_EXAMPLES inputs (100,000: about 25 minutes here), the
# count, the time and every violation printed at the end; first cases of violations in out/fuzz.
# `make test` runs the same tier with a few hundred inputs.
FUZZ_EXAMPLES ?= 100000
FUZZ_SEED ?= $(shell date +%s)
# An input that runs away with memory fails its own process (8 GiB of address space), not the machine.
fuzz: install
	ulimit -v 8388608 && HEGUI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HEGUI_FUZZ_SEED=$(FUZZ_SEED) \
		HEGUI_FUZZ_OUT=out/fuzz $(BIN)/pytest -q -p no:cacheprovider -m fuzz tests/fuzz

# The benchmarks of docs/architecture.md and issue 13, in one run (about an hour on 2 cores).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python -P benchmarks/bench_scaling.py
	$(BIN)/python -P benchmarks/bench_platform.py
	$(BIN)/python -P benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) build dist *.egg-info out
