# Two entry points (README quickstart):  make run   and   make test
# Both create .venv on first use. TORCH selects the torch build; the default is the CPU build that
# lies on local disk on the project's machines (see README "GPU").
PYTHON ?= python3
VENV ?= .venv
TORCH ?= torch==2.13.0
BIN := $(VENV)/bin
CONFIG ?=

.PHONY: setup run test test-fast lint clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e ".[dev,triage]"
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/python -m netralitas_nlp.train $(if $(CONFIG),--config $(CONFIG),) > .last_model
	@echo "model directory: $$(cat .last_model)"
	$(BIN)/python -m netralitas_nlp.evaluate --model "$$(cat .last_model)" --data data/seed/test.jsonl \
		--json "$$(cat .last_model)/eval-test.json" --report "$$(cat .last_model)/eval-test.html"

test: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

test-fast: setup   # without the slow test that rebuilds the real backbone
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) .last_model
