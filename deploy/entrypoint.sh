#!/bin/sh
# One image, one role per container: web | worker | beat | migrate | any other command.
set -eu
cd "$(dirname "$0")/.."  # the project root: /app in the image

case "${1:-web}" in
  web)
    exec gunicorn --config deploy/gunicorn.conf.py saas.wsgi:application
    ;;
  worker)
    # Acks late + prefetch 1 (settings): a killed worker's task goes back to the queue.
    exec celery -A saas worker --loglevel=INFO \
      --concurrency="${CELERY_WORKER_CONCURRENCY:-4}" --hostname="worker@%h"
    ;;
  beat)
    # Schedules live in the database (DatabaseScheduler); run exactly one beat, or every
    # periodic job runs once per beat. The schedule file goes to /tmp: /app is read-only.
    exec celery -A saas beat --loglevel=INFO --schedule=/tmp/celerybeat-schedule
    ;;
  migrate)
    # Public schema first (stores, accounts, beat tables), then the platform tenant and the
    # store template, then the spare schemas and every store that is behind (the catalog
    # executor finds them with one query). The template (the TENANT_BASE_SCHEMA setting) goes
    # before the stores: a store signed up meanwhile is cloned from it, so it must already have
    # the new tables.
    python manage.py migrate_schemas --shared --noinput
    python manage.py ensure_platform
    python manage.py migrate_schemas --tenant --schema=store_template --noinput
    exec python manage.py migrate_schemas --tenant --executor=catalog --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
