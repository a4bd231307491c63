# govqa: `make run` sets everything up and serves the chat; `make test` runs the tests.
VENV   ?= .venv
PY     := $(VENV)/bin/python
GOVQA  := $(VENV)/bin/govqa
HOST   ?= 127.0.0.1
PORT   ?= 7860

.PHONY: setup run test test-fast eval bench clean

# torch is installed first and pinned: the machine's CPU wheel, not a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(GOVQA) ingest --if-empty
	$(GOVQA) serve --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

eval: setup
	$(GOVQA) eval ../shared/eval/dev.jsonl --corpus data/reports --out out/eval

bench: setup
	$(GOVQA) bench --out out/bench

clean:
	rm -rf $(VENV) out .pytest_cache
