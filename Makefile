# govqa: `make run` sets everything up and serves the chat; `make test` runs the tests.
VENV   ?= .venv
PY     := $(VENV)/bin/python
GOVQA  := $(VENV)/bin/govqa
HOST   ?= 127.0.0.1
PORT   ?= 7860

.PHONY: setup system-deps run test test-fast eval bench clean

# torch is installed first and pinned: the machine's CPU wheel, not a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian packages the browser tests and the eval plots need: chromium (driven by Playwright,
# never a downloaded browser) and a CJK font. Installed once, as root, when missing.
system-deps:
	@command -v chromium >/dev/null && [ -n "$$(fc-list :lang=zh 2>/dev/null)" ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

run: setup
	$(GOVQA) ingest --if-empty
	$(GOVQA) serve --host $(HOST) --port $(PORT)

test: setup system-deps
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

eval: setup
	$(GOVQA) eval ../shared/eval/dev.jsonl --corpus data/reports --compare bm25,dense,hybrid,langchain-default --out out/eval
	$(GOVQA) eval eval/sets/probe.jsonl --corpus data/reports --compare bm25,dense,hybrid,langchain-default --out out/eval-probe
	$(GOVQA) eval eval/sets/probe2.jsonl --corpus data/reports --compare bm25,dense,hybrid,langchain-default --out out/eval-probe2
	$(GOVQA) eval eval/sets/probe3.jsonl --corpus data/reports --compare bm25,dense,hybrid,langchain-default --out out/eval-probe3
	$(GOVQA) eval eval/sets/probe4.jsonl --corpus data/reports --compare bm25,dense,hybrid,langchain-default --out out/eval-probe4
	$(GOVQA) eval eval/sets/heldout/figures.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-figures
	$(GOVQA) eval eval/sets/heldout/national.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-national
	$(GOVQA) eval eval/sets/heldout/answers.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-answers
	$(GOVQA) eval eval/sets/heldout/mixed.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-mixed
	$(GOVQA) eval eval/sets/heldout/figures3.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-figures3
	$(GOVQA) eval eval/sets/heldout/national3.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-national3
	$(GOVQA) eval eval/sets/heldout/figures4.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-figures4
	$(GOVQA) eval eval/sets/heldout/national4.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-national4
	$(GOVQA) eval eval/sets/heldout/figures5.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-figures5
	$(GOVQA) eval eval/sets/heldout/national5.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-national5
	$(GOVQA) eval eval/sets/heldout/figures6.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-figures6
	$(GOVQA) eval eval/sets/heldout/national6.jsonl --corpus data/reports --corpus ../shared/corpus-national --compare bm25-plain,hybrid --out out/eval-national6
	$(GOVQA) eval eval/sets/heldout/notices.jsonl --corpus eval/corpus/notices --compare bm25-plain,hybrid --out out/eval-notices
	$(GOVQA) eval eval/sets/heldout/notices2.jsonl --corpus eval/corpus/notices2 --compare bm25-plain,hybrid --out out/eval-notices2
	$(GOVQA) eval eval/sets/extraction/figures.jsonl --corpus data/reports --corpus ../shared/corpus-national --out out/eval-extraction
	$(GOVQA) eval eval/sets/extraction/figures2.jsonl --corpus data/reports --corpus ../shared/corpus-national --out out/eval-extraction2

bench: setup
	$(GOVQA) bench --out out/bench

clean:
	rm -rf $(VENV) out .pytest_cache
