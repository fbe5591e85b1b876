"""`make bench`: run every tests/benchmarks/bench_*.py and print one table.

Each module exposes `run() -> list[Row]`; a module may take a while (they use real servers).
"""

import importlib
import pkgutil
import sys
from pathlib import Path

from tests.benchmarks.common import django_setup, print_table


def main(selected: list[str]) -> None:
    django_setup()
    folder = Path(__file__).parent
    modules = pkgutil.iter_modules([str(folder)])
    names = sorted(m.name for m in modules if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    rows = []
    for name in names:
        module = importlib.import_module(f"tests.benchmarks.{name}")
        module_rows = module.run()
        print_table(name, module_rows)
        rows.extend((name, row) for row in module_rows)
    print("\nAll benchmarks")
    print(f"{'benchmark':28} {'figure':58} {'ours':>12} {'baseline':>12} {'ratio':>8}")
    for name, row in rows:
        unit = f" {row.unit}" if row.unit else ""
        figures = f"{row.ours:12.3f} {row.baseline:12.3f} {row.ratio:8.2f}"
        print(f"{name:28} {row.figure + unit:58} {figures}")


if __name__ == "__main__":
    main(sys.argv[1:])
