"""The briefing memo: its sections, ICD 203 language, escaping, templates and output files."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.memo import build_memo, icd203_problems, render_memo, sentences
from digital_coalitions.question import shipped_cases
from digital_coalitions.rules.concepts import ICD203

COALITION = str(Path(sys.executable).with_name("coalition"))
SECTIONS = ["Bottom line up front", "Key judgments", "Assessment by mechanism", "Alternatives",
            "Key assumptions", "Indicators to watch", "Outlook for", "Sources",
            "Annex: the rule trace"]
TERMS = [t for t, _, _ in ICD203]


def memo_of(base, state, coalition, fmt="markdown", **kwargs):
    built = build_memo(base.states[state], base.coalitions[coalition], dict(base.states),
                       date="2024-06-01", workers=1, **kwargs)
    return built, render_memo(built, fmt)


# one of each verdict the shipped cases give, so every BLUF wording is exercised
QUESTIONS = [("south-korea", "chip4"), ("eu", "ttc"), ("eu", "afi"), ("japan", "chip4"),
             ("china", "ttc"), ("south-korea", "japan-2019-curbs")]


@pytest.fixture(scope="module")
def memos(base):
    return {q: memo_of(base, *q) for q in QUESTIONS}


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_memo_has_the_nine_sections_in_order(memos, question):
    built, text = memos[question]
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    found = [next((i for i, h in enumerate(headings) if h.startswith(s)), None) for s in SECTIONS]
    assert None not in found, headings
    assert found == sorted(found)
    assert text.startswith(f"# Will {built.answer.state.data['name']} join")
    assert "2024-06-01" in text and f"evidence as of {built.answer.state.data['as_of']}" in text


@pytest.mark.parametrize("question", QUESTIONS)
def test_icd203_one_row_and_no_confidence_beside_a_likelihood(memos, base, question):
    built, text = memos[question]
    assert icd203_problems(text) == []
    html = render_memo(built, "html")
    assert icd203_problems(html, html_text=True) == []
    # the bottom line: one sentence, the verdict's likelihood term and range
    bluf = text.split("## Bottom line up front", 1)[1].split("##", 1)[0]
    (line,) = [s for s in sentences(bluf) if s.startswith("**")]
    term = built.answer.likelihood["term"]
    assert re.search(rf"(?<![\w-]){term}(?![\w-])", line)
    low, high = built.answer.likelihood["range"]
    assert f"({low}–{high}%)" in line
    found = {t for t in TERMS if re.search(rf"(?<![\w-]){t}(?![\w-])", line.lower())}
    assert {t for t in found if t not in term} == set(), "one likelihood term in the bottom line"


def test_the_language_check_can_fail():
    assert icd203_problems("It will probably join. We judge it likely to join.")  # two rows
    assert icd203_problems("It is likely to join, and we hold this with high confidence.")
    assert icd203_problems("<p>It is very likely to join; confidence is high.</p>", html_text=True)
    assert not icd203_problems("It is likely to join.\nConfidence: high.")


def test_key_judgments_cite_rules_that_fired(memos):
    built, text = memos[("south-korea", "chip4")]
    block = text.split("## Key judgments", 1)[1].split("##", 1)[0]
    judgments = [line for line in block.splitlines() if re.match(r"\d+\. ", line)]
    assert 3 <= len(judgments) <= 5
    fired = set(built.answer.rules_fired)
    for line in judgments:
        cited = re.findall(r"\b([A-Z]{1,2}-\d{2})\b", line)
        assert cited and set(cited) <= fired, line


def test_the_assessment_cites_evidence_lines_sources_and_claims(memos):
    built, text = memos[("south-korea", "chip4")]
    block = text.split("## Assessment by mechanism", 1)[1].split("## Alternatives", 1)[0]
    for heading in ("Security dependency", "Technological stranglehold",
                    "Interest sacrifice and compensation", "Autonomy"):
        assert f"### {heading}" in block
    assert re.search(r"`south-korea\.yaml:\d+`", block) and re.search(r"`chip4\.yaml:\d+`", block)
    assert "> S1:" in block and "> T2:" in block and "Sources: [" in block


def test_alternatives_and_indicators_come_from_flips(memos, base):
    built, text = memos[("south-korea", "chip4")]
    alternatives = text.split("## Alternatives", 1)[1].split("## Key assumptions", 1)[0]
    for flip in built.flips.flips[:3]:
        change = flip.changes[0]
        assert change.path in alternatives
    indicators = text.split("## Indicators to watch", 1)[1].split("##", 1)[0]
    assert "industries.semiconductors.position" in indicators


def test_the_outlook_section_carries_the_outlook_rules(memos):
    _, text = memos[("south-korea", "chip4")]
    section = text.split("## Outlook for", 1)[1].split("## Sources", 1)[0]
    for rule_id in ("OL-72", "OL-10", "OL-21"):
        assert rule_id in section


def test_html_is_self_contained_and_printable(memos):
    built, _ = memos[("south-korea", "chip4")]
    html = render_memo(built, "html")
    assert html.lstrip().startswith("<!DOCTYPE html>") and "<svg" in html
    assert "@media print" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert "url(" not in html


@pytest.fixture()
def hostile_cases(tmp_path):
    """The shipped cases with markup in South Korea's summary and name."""
    root = tmp_path / "cases"
    shutil.copytree(shipped_cases() / "states", root / "states")
    shutil.copytree(shipped_cases() / "coalitions", root / "coalitions")
    path = root / "states" / "south-korea.yaml"
    text = path.read_text()
    text = text.replace("name: South Korea", 'name: "Korea <b>bold</b> & co"', 1)
    text = re.sub(r"summary: >\n(  .*\n)+", 'summary: "<script>alert(1)</script> and <img src=x onerror=alert(2)>"\n', text, count=1)
    path.write_text(text)
    return root


def test_a_script_in_a_case_summary_comes_out_inert(hostile_cases):
    html = subprocess.run([COALITION, "memo", "south-korea", "chip4", "--cases", str(hostile_cases),
                           "--format", "html"], capture_output=True, text=True)
    assert html.returncode == 0, html.stderr
    assert "<script" not in html.stdout and "<img" not in html.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.stdout
    assert "Korea &lt;b&gt;bold&lt;/b&gt; &amp; co" in html.stdout  # the name, in the map too
    assert "<b>bold" not in html.stdout
    markdown = subprocess.run([COALITION, "memo", "south-korea", "chip4", "--cases",
                               str(hostile_cases)], capture_output=True, text=True)
    assert "<script" not in markdown.stdout and "&lt;script&gt;" in markdown.stdout


def test_map_labels_are_escaped(hostile_cases, tmp_path):
    # a coalition open to every state, so that the hostile name is on the map with the others
    out = tmp_path / "huawei.svg"
    result = subprocess.run([COALITION, "map", "huawei-5g-exclusion", "--cases", str(hostile_cases),
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import xml.etree.ElementTree as ET

    svg = out.read_text()
    root = ET.fromstring(svg.split("?>", 1)[1])
    labels = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Korea <b>bold</b> & co" in labels  # parsed back: escaped in the file
    assert {"Japan", "Taiwan", "European Union"} <= labels
    states = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "state" in g.get("class", "")]
    assert len(states) >= 15


def test_own_templates_and_output_files(tmp_path, base):
    house = tmp_path / "house"
    house.mkdir()
    (house / "memo.md.j2").write_text("HOUSE STYLE: {{ state.name }} / {{ a.verdict }}\n")
    out = tmp_path / "memo.md"
    result = subprocess.run([COALITION, "memo", "eu", "ttc", "--templates", str(house), "-o",
                             str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_text() == "HOUSE STYLE: European Union / joins-loosely\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left"


def test_memo_refuses_to_overwrite_a_case_file(tmp_path):
    root = tmp_path / "cases"
    shutil.copytree(shipped_cases() / "states", root / "states")
    shutil.copytree(shipped_cases() / "coalitions", root / "coalitions")
    target = root / "states" / "japan.yaml"
    before = target.read_bytes()
    for output in (target, root / "states" / "new.yml"):
        result = subprocess.run([COALITION, "memo", "japan", "chip4", "--cases", str(root),
                                 "-o", str(output)], capture_output=True, text=True)
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and "case file" in result.stderr
        assert "Traceback" not in result.stderr
    assert target.read_bytes() == before
    assert not (root / "states" / "new.yml").exists()
    missing = subprocess.run([COALITION, "memo", "japan", "chip4", "--templates",
                              str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such directory" in missing.stderr


def test_a_broken_house_template_is_one_error_line(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "memo.md.j2").write_text("{{ state.name }\n")
    result = subprocess.run([COALITION, "memo", "eu", "ttc", "--templates", str(house)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: memo.md.j2:1") and "expected a valid Jinja template" in line


# ---- a house style is someone else's file: sandboxed, and its errors are one line ---------------
ESCAPES = [  # the known ways out of an ordinary Jinja environment, each trying to run a command
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('touch MARKER').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ state.__class__.__init__.__globals__ }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_house_template_cannot_reach_python(tmp_path, template):
    house = tmp_path / "house"
    house.mkdir()
    (house / "memo.md.j2").write_text("# {{ state.name }}\n" + template + "\n")
    result = subprocess.run([COALITION, "memo", "eu", "ttc", "--templates", str(house)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert not (tmp_path / "MARKER").exists(), "the template ran a command"
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: memo.md.j2:2 in ") and "unsafe" in line, line


@pytest.mark.parametrize("command,name,template,what", [
    ("memo", "memo.md.j2", "{{ 1/0 }}", "(ZeroDivisionError: division by zero); expected a "
                                         "template that renders"),
    ("memo", "memo.md.j2", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
     "(RecursionError: maximum recursion depth exceeded"),
    ("memo", "memo.md.j2", "{% include 'nowhere.j2' %}", "the template 'nowhere.j2' is not found"),
    ("map", "map.svg.j2", "{{ 1/0 }}", "(ZeroDivisionError: division by zero)"),
])
def test_a_house_template_that_fails_while_rendering_is_one_line(tmp_path, command, name,
                                                                   template, what):
    house = tmp_path / "house"
    house.mkdir()
    (house / name).write_text("first line\n" + template + "\n")
    question = ["eu", "ttc"] if command == "memo" else ["chip4"]
    output = tmp_path / "out.txt"
    result = subprocess.run([COALITION, command, *question, "--templates", str(house),
                             "-o", str(output)], capture_output=True, text=True)
    assert result.returncode == 2 and not output.exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {name}:2 in {house}: ") and what in line, line


@pytest.mark.parametrize("date", ["2024-02-30", "2024-01-01\n# Injected heading", "01/06/2024",
                                  "2024-1-1", "\uff12\uff10\uff12\uff14-01-01", "9" * 100_000])
def test_a_date_that_is_not_yyyy_mm_dd_is_a_one_line_error(date, tmp_path):
    out = tmp_path / "memo.md"
    result = subprocess.run([COALITION, "memo", "japan", "chip4", "--date", date, "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.startswith("error: --date: ") and result.stderr.count("\n") == 1
    assert result.stderr.rstrip().endswith("is not a date; expected a date written YYYY-MM-DD, "
                                           "e.g. 2024-01-01")
    assert len(result.stderr) < 300  # a long value is cut, with its length


def test_a_valid_date_heads_the_memo():
    result = subprocess.run([COALITION, "memo", "japan", "chip4", "--date", "2024-02-29"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "*Briefing memo, 2024-02-29." in result.stdout
