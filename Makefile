# Dailies: two commands do all the set-up on a fresh machine.
#   make run   creates .venv, builds the demo store on first use, opens the desk
#   make test  ruff, the import contract, engine tests, desktop tests (offscreen)
#   make package-check  install with `pip install .` into a new venv and run demo, prompt build, desk

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench package-check clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dailies demo --if-missing
	$(BIN)/dailies desk

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q tests/engine
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/desktop

package-check:
	PYTHON=$(PYTHON) .ci/package-check

bench: $(STAMP)
	@for b in $$(grep -l '__main__' bench/*.py); do \
	  echo "== $$b"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

clean-venv:
	rm -rf $(VENV)
