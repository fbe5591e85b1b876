#!/usr/bin/env python
import os
import sys


def main():
    # Production unless told otherwise: a forgotten variable never runs with DEBUG and a
    # development key. Development sets DJANGO_SETTINGS_MODULE=saas.settings.local (make run).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
