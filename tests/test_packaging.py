"""A wheel built from the repository works outside the checkout: templates and cases included."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(work / "dist"), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next((work / "dist").glob("digital_coalitions-*.whl"))
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return work, wheel


def test_wheel_carries_templates_and_cases(installed_wheel):
    import zipfile

    names = zipfile.ZipFile(installed_wheel[1]).namelist()
    assert "digital_coalitions/templates/answer.txt.j2" in names
    assert "digital_coalitions/cases/states/south-korea.yaml" in names
    assert "digital_coalitions/cases/coalitions/chip4.yaml" in names
    # every rule fixture, and the base case they change, for `rules show`
    fixtures = ROOT / "rules" / "fixtures"
    shipped = {n.removeprefix("digital_coalitions/rules/fixtures/") for n in names
               if n.startswith("digital_coalitions/rules/fixtures/")}
    assert {p.relative_to(fixtures).as_posix() for p in fixtures.rglob("*.yaml")} <= shipped
    assert "outlook/OL-01.yaml" in shipped and "outlook/base.yaml" in shipped
    assert "base.yaml" in shipped and "V-08.yaml" in shipped
    assert not any(n.startswith(("rules/", "engine/", "tests/")) for n in names)


def test_installed_command_answers_outside_the_checkout(installed_wheel):
    work, _ = installed_wheel
    outside = work / "elsewhere"
    outside.mkdir()
    result = subprocess.run([str(work / "venv" / "bin" / "coalition"), "ask",
                             "Will South Korea join Chip 4?"], capture_output=True, text=True,
                            cwd=outside)
    assert result.returncode == 0, result.stderr
    assert "Verdict:" in result.stdout and "joins" in result.stdout
    assert str(ROOT) not in result.stdout  # the shipped cases come from the installed package


def test_the_guard_finds_an_edit_the_imported_package_lacks(tmp_path):
    """conftest stops the run when the imported package is not the checkout; here the checkout
    is a copy with one rule file edited and one module added, which the imported package lacks."""
    import shutil

    from checkout_guard import stale_files

    assert stale_files() == []  # this run imports the checkout's own files
    for name in ("pyproject.toml", "engine", "rules", "templates", "cases"):
        source = ROOT / name
        copy = shutil.copy if source.is_file() else shutil.copytree
        copy(source, tmp_path / name)
    security = tmp_path / "rules" / "security.py"
    security.write_text(security.read_text() + "\n# an edit\n")
    (tmp_path / "engine" / "casefiles" / "added.py").write_text('"""new"""\n')
    stale = stale_files(tmp_path)
    assert any(line.startswith("rules/security.py: differs from") for line in stale), stale
    assert any(line.startswith("engine/casefiles/added.py: not in the imported package")
               for line in stale), stale
    assert len(stale) == 2, stale


def test_installed_rules_show_prints_the_rules_fixtures(installed_wheel):
    work, _ = installed_wheel
    result = subprocess.run([str(work / "venv" / "bin" / "coalition"), "rules", "show", "V-01",
                             "--quiet"], capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stderr
    assert "Fixtures (rules/fixtures/V-01.yaml)" in result.stdout
    assert "  Fires with no tie to the leader" in result.stdout and "  Stays quiet" in result.stdout
    assert "    coalition.pressure.technology_sanctions = true" in result.stdout
    result = subprocess.run([str(work / "venv" / "bin" / "coalition"), "rules", "show", "OL-01",
                             "--quiet"], capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stderr
    assert "Fixtures (rules/fixtures/outlook/OL-01.yaml)" in result.stdout
    assert "    member.interest_sacrifice = heavy" in result.stdout
