"""Which `raise` lines of the services the test suite never reaches.

    make coverage        # runs the suite under coverage, then this report

Reads the coverage data file (.coverage) and prints, for every services module (services.py, or
a module inside a services/ package), the raise statements no test executed, and the total.
Exits 1 when any is left, so a guard nobody tests does not go unnoticed.
"""

import ast
import sys
from pathlib import Path

from coverage import Coverage

ROOT = Path(__file__).resolve().parents[2]


def service_modules() -> list[Path]:
    """Every app's services module (services.py, or the modules of a services/ package), found
    in the tree rather than listed, so a new app's services are counted without anyone asking."""
    found = [*ROOT.glob("*/services.py"), *ROOT.glob("*/services/*.py")]
    return sorted(path for path in found if path.relative_to(ROOT).parts[0] != "tests")


def raise_lines(path: Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Raise)]


def main() -> int:
    data = Coverage(data_file=str(ROOT / ".coverage")).get_data()
    data.read()
    total = missed = 0
    for path in service_modules():
        executed = set(data.lines(str(path)) or [])
        lines = raise_lines(path)
        unreached = [line for line in lines if line not in executed]
        total += len(lines)
        missed += len(unreached)
        for line in unreached:
            print(f"{path.relative_to(ROOT)}:{line}: {path.read_text().splitlines()[line - 1].strip()}")
    print(f"{total - missed} of {total} raise statements in the services are reached by the tests.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
