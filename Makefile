# Seller Suite — `make run` starts everything, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The exact versions `make install` puts in .venv: pyproject.toml's ranges (with the test extra)
# resolved by uv. `make lock` refreshes it, keeping every pin that still fits the ranges;
# `make lock LOCK_ARGS=--upgrade` moves every package to its newest allowed release.
LOCK := requirements.lock
PIP_VERSION := 26.3
UV_VERSION := 0.13.8
PYPI := https://pypi.org/simple
export OTP_FIXED_CODE ?= 123456
export DJANGO_SETTINGS_MODULE ?= saas.settings.local

.PHONY: install lock services services-stop migrate demo run test test-fast bench lint format

install: $(VENV)/.installed

# The project runs from the checkout (no package of its own to install), so the lock is all;
# tests/ci/test_lock.py fails when the lock no longer fits pyproject.toml or .venv.
$(VENV)/.installed: $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)
	$(PY) -m pip install -q -r $(LOCK)
	touch $@

lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--default-index $(PYPI) --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)

# The widget is built with esbuild (npm); the test suite checks the committed build is fresh.
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

services: install
	bash scripts/services.sh

services-stop:
	bash scripts/services.sh stop

migrate: services
	$(MANAGE) migrate_schemas --shared -v 0
	$(MANAGE) ensure_platform
	$(MANAGE) migrate_schemas --tenant --executor=catalog -v 0

demo: migrate
	$(MANAGE) demo_setup

run: demo
	bash scripts/run_all.sh

test: services node_modules/.installed
	bash scripts/ensure_chromium.sh
	DJANGO_SETTINGS_MODULE=saas.settings.test OTP_FIXED_CODE= $(VENV)/bin/pytest $(PYTEST_ARGS)

# Everything but the tests marked slow (those that start servers, workers or a browser, and the schema fuzzing).
test-fast: services
	DJANGO_SETTINGS_MODULE=saas.settings.test OTP_FIXED_CODE= $(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

bench: services
	DJANGO_SETTINGS_MODULE=saas.settings.test OTP_FIXED_CODE= $(PY) -m tests.benchmarks

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
