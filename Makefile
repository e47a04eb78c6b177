# Two commands do all the set-up: `make serve` and `make test`.
# Everything else is a step they use, or a tool for contributors.

export NO_MKDOCS_2_WARNING := 1

# uv from PATH, else a private copy in .uv/ (pip into a venv: works where the system
# Python refuses pip installs)
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
RUN := $(UV) run --locked --quiet

.PHONY: help install browser serve build test test-page lint format outputs snippets bench bench-site screenshots test-latest test-oldest clean stress stats

help:  ## this list
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  make %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

install: .venv/.installed node_modules/.installed browser  ## everything the site and the tests need

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

browser: .venv/.installed  ## Debian's chromium, installed if missing (root) or CHROMIUM_PATH
	@$(RUN) python -m tools.services.chromium --ensure

.uv/bin/uv:
	python3 -m venv .uv && .uv/bin/pip install --quiet uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	@# bytecode compiled once here (about 4 s on two cores), not by the first test processes
	@# that import each module, side by side
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

serve: install  ## preview with live reload on http://127.0.0.1:8000
	$(RUN) mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: install  ## the site, strictly: any warning fails
	$(RUN) mkdocs build --strict

test: install lint  ## everything: lint, every block run and compared, notebook, strict build
	@# one worker per core; a file's tests stay together (one page, one browser survey)
	$(RUN) pytest -n auto --dist loadfile --durations=15

test-page: install  ## one page: PAGE=docs/reducers.md (its blocks, layout, snippets/, browser and WCAG checks)
	@test -f "$(PAGE)" || { echo "usage: make test-page PAGE=docs/<page>.md (no such file: '$(PAGE)')"; exit 2; }
	@# two workers, one per core, on one shared build: the WCAG checks on one, the blocks
	@# then the browser checks on the other (a third worker costs more than it saves); no
	@# test of a page uses hypothesis, whose plugin would cost each worker a second to load
	$(RUN) pytest -n 2 --dist loadfile -p no:hypothesispytest $(PAGE) tests/test_pages.py tests/test_browser.py tests/test_accessibility.py -k "$(basename $(notdir $(PAGE))) or snippets_in_sync"

lint: .venv/.installed  ## ruff, codespell, whitespace, snippets in sync, workflows (pre-commit's hooks)
	@# every file git would commit, new ones included, so a page is linted before `git add`
	$(RUN) pre-commit run --show-diff-on-failure --files $$(git ls-files --cached --others --exclude-standard)

format: .venv/.installed  ## format the code blocks in the pages (the source), then snippets/
	$(RUN) python -m tools.commands.format_blocks
	$(RUN) ruff format tools tests
	$(RUN) python -m tools.commands.snippets

outputs: .venv/.installed  ## rewrite documented outputs from real runs, then the snippets
	$(RUN) pytest --update-outputs docs; status=$$?; \
	$(RUN) python -m tools.harness.notebook --update || status=1; \
	$(RUN) python -m tools.commands.snippets; exit $$status

snippets: .venv/.installed  ## write snippets/ from the pages
	$(RUN) python -m tools.commands.snippets

stats: .venv/.installed  ## reading minutes, tables, code, diagrams, prose stretches; helpers shown twice (ARGS=--long/--json)
	@$(RUN) python -m tools.commands.stats $(ARGS)

bench: install  ## where make test's time goes, phase by phase (outside checks included), and one block's cost
	$(RUN) python -m tools.commands.bench

stress: install  ## every read-modify-write pattern under load, 8 processes: lost updates, ops/s
	$(RUN) python -m tools.commands.stress

bench-site: install  ## Lighthouse on every page: bytes, requests, four scores (median of RUNS=3)
	$(RUN) python -m tools.commands.bench_site

screenshots: install  ## a PNG of every page, light and dark, in screenshots/
	$(RUN) python -m tools.commands.screenshots

test-latest: install  ## the whole suite against the newest langgraph release
	$(RUN) python -m tools.commands.other_versions latest

test-oldest: install  ## the whole suite against the oldest langgraph pyproject.toml allows
	$(RUN) python -m tools.commands.other_versions oldest

clean:
	rm -rf site .pytest_cache .cache .venv-latest .venv-oldest screenshots
