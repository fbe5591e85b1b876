"""Helpers and factories that test modules import directly.

Fixtures live in the `conftest.py` files and use these helpers; no test module imports from a
`conftest.py` (pytest loads those itself, and importing one twice makes two copies of it).
"""
