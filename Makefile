# Seller Suite — `make run` starts everything, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export OTP_FIXED_CODE ?= 123456

.PHONY: install services migrate demo run test bench lint format

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# The widget is built with esbuild (npm); the test suite checks the committed build is fresh.
node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

services: install
	bash scripts/services.sh

migrate: services
	$(MANAGE) migrate_schemas --shared -v 0
	$(MANAGE) ensure_platform
	$(MANAGE) migrate_schemas --tenant --executor=multiprocessing -v 0

demo: migrate
	$(MANAGE) demo_setup

run: demo
	bash scripts/run_all.sh

test: services node_modules/.installed
	bash scripts/ensure_chromium.sh
	DJANGO_SETTINGS_MODULE=saas.settings.test OTP_FIXED_CODE= $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: services
	DJANGO_SETTINGS_MODULE=saas.settings.test OTP_FIXED_CODE= $(PY) -m tests.benchmarks

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
