#!/usr/bin/env bash
# Web, Celery worker and beat in the foreground until Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Development settings, said explicitly: manage.py and celery default to production.
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-saas.settings.local}
pids=()
stop() { kill "${pids[@]}" 2>/dev/null; wait; exit 0; }
trap stop INT TERM
"$PY" manage.py runserver 0.0.0.0:${PORT:-8000} & pids+=($!)
.venv/bin/celery -A saas worker --loglevel=INFO --concurrency=2 & pids+=($!)
.venv/bin/celery -A saas beat --loglevel=INFO & pids+=($!)
wait -n
stop
