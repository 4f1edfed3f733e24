"""The guard against testing stale code: the package the tests import must be this checkout's.

With a non-editable install (the README's first lines, and CI), an edit to ``rules/security.py``
reaches the tests only after a reinstall; without this guard they would pass against the copy in
site-packages. The guard compares every file the package ships with the checkout's file it was
built from (pyproject's ``package-dir`` says which), both ways.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("*.py", "*.j2", "*.yaml", "*.md")


def package_dirs(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """pyproject's ``[tool.setuptools.package-dir]``: package -> folder of the checkout."""
    table = pyproject.read_text().split("[tool.setuptools.package-dir]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^"([\w.]+)"\s*=\s*"([\w/.-]+)"', table, flags=re.M))


def _files(folder: Path, nested: set[str]) -> dict[str, bytes]:
    """The shipped files of one package folder, by relative path, leaving out the folders that
    are packages of their own (``rules`` inside ``digital_coalitions``, for an installed copy)."""
    out = {}
    for pattern in SHIPPED:
        for path in folder.rglob(pattern):
            relative = path.relative_to(folder)
            if relative.parts[0] in nested or "__pycache__" in relative.parts:
                continue
            out[relative.as_posix()] = path.read_bytes()
    return out


def stale_files(root: Path = ROOT) -> list[str]:
    """Files where the imported package and the checkout differ (empty when they agree)."""
    mapping = package_dirs(root / "pyproject.toml")
    problems = []
    for package, folder in mapping.items():
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            problems.append(f"{package}: not importable")
            continue
        installed = Path(list(spec.submodule_search_locations)[0])
        nested = {p.split(".")[-1] for p in mapping if p.startswith(package + ".")
                  and p.count(".") == package.count(".") + 1}
        here = _files(root / folder, nested)
        there = _files(installed, nested)
        for name in sorted(set(here) | set(there)):
            if name not in there and (root / folder / name).suffix == ".py":
                problems.append(f"{folder}/{name}: not in the imported package ({installed})")
            elif name in there and name in here and here[name] != there[name]:
                problems.append(f"{folder}/{name}: differs from {installed / name}")
            elif name not in here and name.endswith(".py"):
                problems.append(f"{installed / name}: not in the checkout")
    return problems
