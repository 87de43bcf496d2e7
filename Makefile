# claimledger: `make run` installs into .venv and analyses the bundled examples; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test install install-test train eval-dev clean screenshots chromium fuzz

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --no-deps --require-hashes -r requirements.lock
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(VENV)/bin/claimledger demo examples

# Starts a throwaway PostgreSQL on 127.0.0.1 when the server binaries are installed and no
# CLAIMLEDGER_TEST_PG_URL is set, so the storage tests run on both backends.
test: install-test
	@if [ -z "$$CLAIMLEDGER_TEST_PG_URL" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		eval "$$(scripts/pg_local.sh)"; fi; \
	$(PY) -m pytest

# Coverage-guided fuzzing (atheris) of the analysis and of HTML extraction, FUZZ_SECONDS each (see
# docs/reliability.md); a crash leaves its input in .cache/fuzz/crashes/ and fails the target.
FUZZ_SECONDS ?= 60
$(VENV)/.installed-fuzz: $(VENV)/.installed-test
	$(PIP) install --quiet -e '.[fuzz]'
	touch $@

fuzz: $(VENV)/.installed-fuzz
	$(PY) scripts/fuzz_analysis.py $(FUZZ_SECONDS)
	$(PY) scripts/fuzz_html.py $(FUZZ_SECONDS)

# Load and soak, about 13 minutes (tests/web/test_load.py with CLAIMLEDGER_STRESS=1): 50 clients read for a
# minute while an ingest writes, on SQLite and on PostgreSQL, then ten minutes on a 500-document SQLite ledger in
# which the server's memory must stay flat. Figures land in .cache/stress/*.json (docs/reliability.md quotes them).
.PHONY: stress
stress: install-test
	@if [ -z "$$CLAIMLEDGER_TEST_PG_URL" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		eval "$$(scripts/pg_local.sh)"; fi; \
	CLAIMLEDGER_STRESS=1 $(PY) -m pytest tests/web/test_load.py -v -s -rs

# pip-audit (PyPI's advisory data, so it needs the network) over the hash-locked requirements.lock and
# every package `make install-test` put in .venv, at the version installed: the pins of pyproject.toml and
# what they pulled in. pip-audit lives in a venv of its own so it adds nothing to the project's. CI runs it;
# scripts/audit_summary.py fails it when packages could not be looked up (pip-audit alone would pass).
.PHONY: audit
audit: install-test
	test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.10.1)
	.venv-audit/bin/pip-audit --disable-pip --no-deps --progress-spinner off -f json -o .venv-audit/locked.json -r requirements.lock
	$(PIP) freeze --exclude-editable > .venv-audit/installed.txt
	.venv-audit/bin/pip-audit --disable-pip --no-deps --progress-spinner off -f json -o .venv-audit/installed.json -r .venv-audit/installed.txt
	$(PY) scripts/audit_summary.py .venv-audit/locked.json .venv-audit/installed.json

# Refresh docs/screenshots/ from the browser tests (needs chromium: make chromium).
screenshots: install-test
	CLAIMLEDGER_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/web/test_pages.py -q

# Debian's chromium, which the browser tests drive through Playwright (no browser download).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)

# Rebuild the shipped attribution models from ../shared/data/polnear/train.
train: install
	$(PY) scripts/train_attribution.py
	$(PY) scripts/train_boundaries.py

# Rebuild the shipped hedge/weasel lexicon from ../shared/data/wiki-weasel/train.csv (prints its 5-fold CV).
.PHONY: train-hedges
train-hedges: install
	$(PY) scripts/train_hedges.py

# Score the shipped models on PolNeAR dev.
eval-dev: install
	$(VENV)/bin/claimledger eval polnear ../shared/data/polnear/dev

clean:
	rm -rf $(VENV) .pytest_cache .cache
