"""What a cold `coalition ask` imports and reads (issue 12: start-up close to the import floor).

The timings themselves are measured by bench/cold.py, never here; these tests pin the behaviour
that makes start-up cheap: JSON output imports no Jinja, `ask` imports no other command's
module, compiled templates are kept between processes (and a cache that cannot be written
costs nothing but time)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COALITION = str(Path(sys.executable).with_name("coalition"))
# runs the installed command's entry point in this interpreter, then lists what it imported
WRAPPER = """
import json, sys
sys.argv = ["coalition", *json.loads(sys.argv[1])]
from digital_coalitions import main
try:
    main()
except SystemExit as end:
    status = end.code
with open(OUT, "w") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""


def imported(tmp_path, *args, env=None):
    """(stdout, the modules loaded by the end of the command, its exit status)."""
    out = tmp_path / "modules.json"
    code = WRAPPER.replace("OUT", repr(str(out)))
    result = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(out.read_text())
    return result.stdout, set(seen["modules"]), seen["status"]


def tops(modules):
    return {name.split(".")[0] for name in modules}


def test_json_answers_import_no_jinja_and_text_answers_do(tmp_path):
    stdout, modules, status = imported(tmp_path, "ask", "south-korea", "chip4", "--format", "json")
    assert status in (0, None)
    assert json.loads(stdout)["verdict"] == "joins-reluctantly"
    assert "jinja2" not in tops(modules)
    assert "experta" in tops(modules)  # the answer was a full inference, not a shortcut
    # the check can fail: the text answer renders through a template
    stdout, modules, _ = imported(tmp_path, "ask", "south-korea", "chip4")
    assert stdout.startswith("Will South Korea join Chip 4?\n") and "jinja2" in tops(modules)


def test_an_answer_imports_what_only_errors_completion_and_resources_need_when_they_do(tmp_path):
    """difflib (a misspelt name's "did you mean"), shlex (a printed command line), click's
    shell completion, importlib.resources and dataclasses (a frozen record's refusal) cost every
    cold start their imports: an answer loads none of them; the commands that need them still
    do."""
    late = {"difflib", "shlex", "click.shell_completion", "importlib.resources", "zipfile",
            "dataclasses"}
    for args in (("ask", "south-korea", "chip4", "--format", "json"),
                 ("ask", "south-korea", "chip4"), ("ask", "Will South Korea join Chip 4?")):
        stdout, modules, status = imported(tmp_path, *args)
        assert status in (0, None) and "joins-reluctantly" in stdout
        assert not late & modules, (args, late & modules)
    _, modules, status = imported(tmp_path, "ask", "Will Sout Korea join Chip 4?")
    assert status == 2 and "difflib" in modules


def test_a_leaders_question_in_json_imports_no_jinja(tmp_path):
    stdout, modules, _ = imported(tmp_path, "ask", "united-states", "chip4", "--format", "json")
    assert json.loads(stdout)["verdict"] is None and "jinja2" not in tops(modules)


def test_ask_imports_no_other_commands_module(tmp_path):
    _, modules, _ = imported(tmp_path, "ask", "south-korea", "chip4", "--format", "json")
    ours = {m for m in modules if m.startswith("digital_coalitions.")}
    for other in ("cli.analysis", "cli.audit", "cli.cases", "analysis", "report", "audit",
                  "text"):
        assert not any(m == f"digital_coalitions.{other}" or
                       m.startswith(f"digital_coalitions.{other}.") for m in ours), other
    # and every command is still there, listed and run from its own module
    helped = subprocess.run([COALITION, "--help"], capture_output=True, text=True).stdout
    for command in ("ask", "backtest", "cases", "flips", "list", "map", "matrix", "memo",
                    "outlook", "rules", "timeline", "trace", "whatif", "why"):
        assert f"\n  {command} " in helped, command
    shown = subprocess.run([COALITION, "rules", "--help"], capture_output=True, text=True).stdout
    assert all(f"\n  {sub} " in shown for sub in ("coverage", "show", "verdicts"))
    _, modules, status = imported(tmp_path, "rules", "verdicts", "--format", "json")
    assert status in (0, None) and "digital_coalitions.cli.audit" in modules


def _cache_env(cache: Path) -> dict:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def test_compiled_templates_are_kept_between_processes(tmp_path):
    cache = tmp_path / "cache"
    first = subprocess.run([COALITION, "ask", "south-korea", "chip4"], capture_output=True,
                           text=True, env=_cache_env(cache))
    assert first.returncode == 0, first.stderr
    kept = sorted((cache / "digital-coalitions" / "templates").iterdir())
    assert len(kept) >= 2  # answer.txt.j2 and the macros it imports
    again = subprocess.run([COALITION, "ask", "south-korea", "chip4"], capture_output=True,
                           text=True, env=_cache_env(cache))
    assert again.stdout == first.stdout and again.stderr == ""
    for path in kept:  # a cache file cut short is compiled again, never an error
        path.write_bytes(path.read_bytes()[:10])
    cut = subprocess.run([COALITION, "ask", "south-korea", "chip4"], capture_output=True,
                         text=True, env=_cache_env(cache))
    assert cut.returncode == 0 and cut.stdout == first.stdout and cut.stderr == ""


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes through a read-only directory's permissions")
def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        result = subprocess.run([COALITION, "ask", "south-korea", "chip4"], capture_output=True,
                                text=True, env=_cache_env(cache))
    finally:
        cache.chmod(0o700)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Will South Korea join Chip 4?\n")


def test_a_cache_path_that_is_a_file_only_costs_time(tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("not a directory")
    result = subprocess.run([COALITION, "ask", "south-korea", "chip4"], capture_output=True,
                            text=True, env=_cache_env(cache))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Will South Korea join Chip 4?\n")


def test_an_answer_makes_the_rule_info_of_only_the_rules_it_cites():
    """The catalogue's RuleInfo (the doc and conditions in words) is made when a rule is first
    looked up: a cold answer cites a handful of rules, and describing all of them cost it some
    11 M instructions. Every one is still made, and the same, when asked for."""
    code = """
import io, json, sys, contextlib
sys.argv = ["coalition", "ask", "south-korea", "chip4", "--format", "json"]
from digital_coalitions import main
with contextlib.redirect_stdout(io.StringIO()) as answer:
    try:
        main()
    except SystemExit:
        pass
from digital_coalitions.inference.engine import RULE_MIXINS, RULES
from digital_coalitions.compat import experta
rules = [r for m in RULE_MIXINS for r in vars(m).values() if isinstance(r, experta.Rule)]
made = sum("rule_info" in r._wrapped.__dict__ for r in rules)
print(json.dumps({"made": made, "rules": len(rules), "verdict": json.loads(answer.getvalue())["verdict"],
                  "all": len([RULES[r._wrapped.rule_id] for r in rules]),
                  "described": all(RULES[r._wrapped.rule_id].conditions for r in rules)}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["verdict"] == "joins-reluctantly"
    assert 0 < seen["made"] < seen["rules"] / 2  # the chain's and the verdict's rules, no more
    assert seen["all"] == seen["rules"] and seen["described"]


def test_a_question_too_short_for_a_sentence_is_read_without_the_sentence_pattern():
    """The case-insensitive sentence pattern is compiled only for a question of four words or
    more (two ids cost no start its compiling), and every question is read as the pattern reads
    it: the same form, the same two names."""
    import random
    import re

    from digital_coalitions.casefiles import question as Q

    pattern = re.compile(Q.SENTENCE, re.I | re.S)
    words = ["Will", "WİLL", "ſouth", "South", "Korea", "join", "JOIN", "sign", "endorse", "be",
             "likely", "to", "Chip", "4?", "?", "do", "is", "going", "expected", "K"]
    spaces = ["", " ", "  ", "\t", "\u00a0"]
    chooser = random.Random(12)
    for count in range(1, 7):
        for _ in range(2000):
            asked = tuple(chooser.choice(words) + chooser.choice(spaces) for _ in range(count))
            match = pattern.fullmatch(" ".join(" ".join(asked).split()))
            form, readings = Q.split_question(asked)
            assert (form == "sentence") == bool(match), asked
            if match:
                assert readings == [(match["state"], match["coalition"])]
    Q._sentence.cache_clear()
    assert Q.split_question(("south-korea", "chip4"))[0] == "pair"
    assert Q._sentence.cache_info().currsize == 0
