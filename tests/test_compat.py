"""The experta/frozendict fix: one module, needed and sufficient on this Python."""

import subprocess
import sys


def run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_experta_alone_fails_on_python_310_and_later():
    result = run("import experta")
    if sys.version_info >= (3, 10):
        assert result.returncode != 0
        assert "collections" in result.stderr and "Mapping" in result.stderr
    else:  # pragma: no cover - older Pythons need no fix
        assert result.returncode == 0


def test_compat_module_makes_experta_run_an_inference():
    result = run(
        "from digital_coalitions.compat import experta as e\n"
        "class E(e.KnowledgeEngine):\n"
        "    @e.Rule(e.Fact(a=1))\n"
        "    def r(self): self.declare(e.Fact(b=2))\n"
        "x = E(); x.reset(); x.declare(e.Fact(a=1)); x.run()\n"
        "print(sorted(f.get('b') for f in x.facts.values() if 'b' in f))\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2]"


def test_the_fix_is_made_in_one_place_only():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    hits = [p for d in ("engine", "rules") for p in (root / d).rglob("*.py")
            if "collections.Mapping =" in p.read_text()]
    assert [p.name for p in hits] == ["compat.py"]
