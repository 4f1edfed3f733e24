"""The package's layers (README, "How the code is laid out"): each imports only from the layers
below it, so a folder's job can be read from its name and its place in the list."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bottom first; a module may import its own layer and any layer before it
LAYERS = ("errors", "record", "compat", "rules", "casefiles", "inference", "text", "audit", "analysis",
          "report", "api", "serve", "cli")


def layer_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "rules":
        return "rules"
    inner = relative.parts[1:]
    return inner[0] if len(inner) > 1 else Path(inner[0]).stem


def imported_layers(path: Path):
    """(layer, line) of every import of the package in ``path``, at any depth (late imports too)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "digital_coalitions" and len(parts) > 1:
                yield parts[1], node.lineno


def test_every_module_imports_only_from_its_own_layer_and_those_below():
    modules = [p for p in (ROOT / "engine").rglob("*.py") if p.name != "__init__.py" or
               p.parent != ROOT / "engine"] + list((ROOT / "rules").glob("*.py"))
    assert len(modules) > 40
    wrong = []
    for path in modules:
        own = layer_of(path)
        assert own in LAYERS, f"{path}: a module outside the layers"
        for layer, line in imported_layers(path):
            if layer in LAYERS and LAYERS.index(layer) > LAYERS.index(own):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {layer}")
    assert wrong == []


def test_the_check_sees_an_import_from_above(tmp_path):
    """A casefiles module importing the CLI is caught (the checker above can fail)."""
    fake = ROOT / "engine" / "casefiles" / "schema.py"
    tree = list(imported_layers(fake))
    assert all(LAYERS.index(layer) <= LAYERS.index("casefiles") for layer, _ in tree)
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from digital_coalitions.cli.main import main\n")
    assert list(imported_layers(bad)) == [("cli", 2)]
