# Two commands do all the set-up: `make serve` and `make test`.
# Everything else is a step they use, or a tool for contributors.

export NO_MKDOCS_2_WARNING := 1

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --locked --quiet

.PHONY: install serve build test outputs snippets bench clean

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked --quiet
	@touch $@

serve: install  ## preview with live reload on http://127.0.0.1:8000
	$(RUN) mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: install  ## the site, strictly: any warning fails
	$(RUN) mkdocs build --strict

test: install  ## everything: snippets in sync, every block run and compared, strict build
	$(RUN) pytest

outputs: install  ## rewrite documented outputs from real runs, then the snippets
	$(RUN) pytest --update-outputs docs; status=$$?; \
	$(RUN) python -m tools.notebook --update || status=1; \
	$(RUN) python -m tools.snippets; exit $$status

snippets: install  ## write snippets/ from the pages
	$(RUN) python -m tools.snippets

bench: install  ## suite wall time and the marginal cost of one more block
	$(RUN) python -m tools.bench

clean:
	rm -rf site .pytest_cache
