# Line of Sight. Two commands on a fresh machine:
#   make run    set everything up and start the system with a demonstration council (SQLite)
#   make test   set everything up and run every test, on SQLite and on PostgreSQL
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run setup assets test lint bench

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv/bin
export PYTHON

help:
	@echo "make run     set up and start Line of Sight with a demonstration council on http://$(HOST):$(PORT)/"
	@echo "make test    set up and run every test on SQLite and PostgreSQL (installs PostgreSQL and Chromium if missing)"
	@echo "make setup   create .venv, install pinned Python packages and GOV.UK Frontend assets"
	@echo "make lint    ruff and mypy"
	@echo "make bench   run the benchmarks"

setup:
	@scripts/setup.sh

assets:
	@scripts/assets.sh

# Local demonstration only: LOS_INSECURE_LOCAL=1 allows plain http and a built-in secret key.
run: export LOS_INSECURE_LOCAL = 1
run: setup
	@mkdir -p var
	$(VENV)/python manage.py migrate --noinput
	$(VENV)/python manage.py collectstatic --noinput --verbosity 0
	$(VENV)/python manage.py generate_demo --size standard --seed 2015 --end-date $$(date +%F) --if-empty
	$(VENV)/python manage.py create_demo_users
	$(VENV)/python manage.py generate_demo_exploitation --seed 2015
	$(VENV)/python manage.py load_indicator_data --demo standard
	$(VENV)/python manage.py load_demo_plans
	$(VENV)/python manage.py load_demo_audits
	$(VENV)/python manage.py load_demo_partnership
	$(VENV)/python manage.py recompute_timescales
	$(VENV)/python manage.py reconstruct_line_of_sight
	@echo
	@echo "Line of Sight is starting on http://$(HOST):$(PORT)/  (sign in with a demonstration user above; Ctrl-C stops it)"
	@# The background worker (imports, recompute, plan digest: docs/decisions/0033-task-queue.md) runs beside
	@# the web server, as in production; it is stopped (it finishes its task in hand) when gunicorn exits.
	@$(VENV)/python manage.py run_worker --interval 2 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(VENV)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --timeout 120

test:
	@scripts/test.sh $(ARGS)

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	LOS_INSECURE_LOCAL=1 $(VENV)/mypy

bench: setup
	@if [ -x bench/run.sh ]; then bench/run.sh $(ARGS); \
	else echo "bench/run.sh is not there yet: the benchmarks have not been written" >&2; exit 1; fi
