# Two set-up commands: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `$(call timed,<stage>,<command>)`: run a stage and print how long it took (also when it fails).
timed = @start=$$(date +%s); $(2); status=$$?; echo "== stage $(1): $$(( $$(date +%s) - start )) s"; exit $$status

.PHONY: install demo test lint test-py test-ui chromium bench clean

$(STAMP): pyproject.toml labextension/package.json labextension/yarn.lock
	$(call timed,install,$(PYTHON) -m venv $(VENV) && $(PY) -m pip install -q --upgrade pip && \
		$(PY) -m pip install -q -e ".[test]" && touch $(STAMP))

install: $(STAMP)

# Browser tests use Debian's Chromium: Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

demo: install
	$(VENV)/bin/jupyter-devenv demo

# The labextension's node_modules as package.json and yarn.lock ask: `pip install -e .` runs `jlpm install`
# only when it rebuilds the labextension (skipped while jupyter_devenv/labextension is newer than
# labextension/src), so a devDependency added since would be missing.
LABEXT_DEPS := labextension/node_modules/.yarn-state.yml
JLPM := PATH="$(abspath $(VENV))/bin:$$PATH" jlpm

$(LABEXT_DEPS): labextension/package.json labextension/yarn.lock | $(STAMP)
	cd labextension && $(JLPM) install && touch node_modules/.yarn-state.yml

# ruff for Python; prettier --check and eslint for the labextension (its package.json's lint:check).
lint: install $(LABEXT_DEPS)
	$(call timed,lint,$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && \
		(cd labextension && $(JLPM) lint:check))

test-py: install
	$(call timed,test-py,$(PY) -m pytest -q)

# A separate pytest run: pytest-jupyter's loop fixtures and Playwright's sync API clash. Two
# workers, a module each at a time (its tests share their stacks): the tests mostly wait on pages.
test-ui: install chromium
	$(call timed,test-ui,$(PY) -m pytest -q -o addopts="-p no:cacheprovider" -n 2 --dist loadfile tests/ui)

test: lint test-py test-ui

bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist jupyter_devenv/labextension labextension/lib labextension/node_modules
