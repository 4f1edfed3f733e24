"""`coalition schema`: the JSON Schema of case files, generated from engine/casefiles/schema.py.

It is checked by an independent implementation (the ``jsonschema`` package) against the real
loader: every shipped case file validates; the shapes the loader refuses fail; and a sweep of
changes to every field of both kinds of file finds the loader and the schema agreeing on each.
What JSON Schema cannot say is listed in docs/case-files.md, and checked here to be real.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.json_schema import DRAFT, case_schema, dumps
from digital_coalitions.casefiles.loader import CaseError, load_file

import casemaker as cm

COALITION = str(Path(sys.executable).with_name("coalition"))
ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "docs" / "case.schema.json"
CASE_FILES = sorted((ROOT / "cases").glob("states/*.yaml")) + sorted(
    (ROOT / "cases").glob("coalitions/*.yaml"))
DELETE = object()  # a change that removes the key
# the sweep below writes and reads about 6,000 files: libyaml where PyYAML has it
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_READER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.fixture(scope="module")
def validators():
    """Validators of the schema for either kind (None) and for each kind alone, and ("draft-07")
    the schema of either kind read as draft-07, as VS Code's YAML extension reads it."""
    found = {kind: Draft202012Validator(case_schema(kind)) for kind in (None, "state", "coalition")}
    found["draft-07"] = Draft7Validator(case_schema())
    return found


def as_an_editor_reads(text: str):
    """A YAML text as an editor hands it to its JSON Schema validator: JSON values, so every
    key is a string (a history year written 2019 is the key "2019")."""
    return json.loads(json.dumps(yaml.load(text, Loader=_READER)))


def loads(path: Path, kind=None) -> bool:
    try:
        load_file(path, kind)
    except CaseError:
        return False
    return True


def changed(data: dict, path: tuple, value) -> dict:
    """A copy of ``data`` with ``value`` at ``path`` (a tuple of keys; mappings made on the way),
    or the key removed for DELETE."""
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if value is DELETE:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return data


def write(directory: Path, data: dict) -> Path:
    """The file named <id>.yaml where the id can name a file (the loader compares the two)."""
    stem = data.get("id") if S.is_slug(data.get("id")) and "\n" not in data["id"] else "file"
    path = directory / f"{stem}.yaml"
    path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False), encoding="utf-8")
    return path


# ---- the shipped file and the command -------------------------------------------------------------
def test_the_shipped_schema_is_what_the_command_prints_now():
    printed = subprocess.run([COALITION, "schema"], capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert SHIPPED.read_text(encoding="utf-8") == printed.stdout == dumps(case_schema()), \
        "docs/case.schema.json is out of date: run `coalition schema -o docs/case.schema.json`"


def test_the_output_is_deterministic_sorted_json_with_a_final_newline():
    text = dumps(case_schema())
    assert text.endswith("}\n") and text == dumps(case_schema())
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    assert text.isascii()


def test_kind_and_output_options(tmp_path):
    out = tmp_path / "state.schema.json"
    run = subprocess.run([COALITION, "schema", "--kind", "state", "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "" and f"wrote {out}" in run.stderr
    assert json.loads(out.read_text()) == case_schema("state")
    assert "leader" in case_schema("coalition")["required"]
    assert "leader" not in case_schema("state")["properties"]


@pytest.mark.parametrize("argv, message", [
    (["--kind", "decision"], "Invalid value for '--kind'"),
    (["-o", "cases/states/japan.yaml"], "error: cases/states/japan.yaml: refusing to overwrite "
                                        "a case file (YAML)"),
    (["-o", "no-such-dir/x.json"], "error: no-such-dir/x.json: the directory no-such-dir does "
                                   "not exist"),
])
def test_bad_input_gets_one_clear_line_and_status_2(argv, message):
    run = subprocess.run([COALITION, "schema", *argv], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and run.stdout == ""
    assert message in run.stderr and "Traceback" not in run.stderr


def test_the_schema_is_valid_draft_2020_12():
    for kind in (None, "state", "coalition"):
        schema = case_schema(kind)
        assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)  # raises SchemaError if it is not
    with pytest.raises(jsonschema.SchemaError):  # and the check can fail
        Draft202012Validator.check_schema({**case_schema(), "type": "mapping"})


# keywords that draft-07 and 2020-12 read alike ($defs only as the target of a JSON pointer)
SHARED_KEYWORDS = {"$schema", "$comment", "$defs", "$ref", "title", "description", "default",
                   "type", "enum", "pattern", "maxLength", "minimum", "maximum", "items",
                   "uniqueItems", "minItems", "properties", "additionalProperties", "required",
                   "propertyNames", "minProperties", "allOf", "anyOf", "if", "then", "else"}


def _keywords(node, names=False):
    """Every keyword of a schema (the names under properties and $defs are not keywords)."""
    if isinstance(node, list):
        for item in node:
            yield from _keywords(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not names:
                yield key, node
            yield from _keywords(value, names=key in ("properties", "$defs") and not names)


def test_it_reads_the_same_in_draft_07_as_editors_read_it():
    """VS Code's YAML extension validates with draft-07 semantics: the schema uses only keywords
    both drafts read alike, and no $ref has siblings (draft-07 ignores them)."""
    used = {key for key, _ in _keywords(case_schema())}
    assert used <= SHARED_KEYWORDS, used - SHARED_KEYWORDS
    assert {"$ref", "if", "propertyNames", "enum"} <= used  # the walk does see keywords
    refs = [node for key, node in _keywords(case_schema()) if key == "$ref"]
    assert refs and all(set(node) == {"$ref"} for node in refs)
    Draft7Validator.check_schema(case_schema())


def test_it_carries_the_contracts_help_scales_ranges_and_required_fields():
    state = case_schema("state")["properties"]
    tie = state["ties"]["additionalProperties"]
    alliance = tie["properties"]["alliance"]
    assert alliance["enum"] == list(S.scale("alliance"))  # lowest to highest, as the scale
    assert "type of security tie to the leader" in alliance["description"].lower()
    assert "none < partner" in alliance["description"] and "S1" in alliance["description"]
    assert alliance["default"] == "none"
    share = tie["properties"]["arms_import_share"]
    assert (share["minimum"], share["maximum"], share["type"]) == (0, 1, ["number", "null"])
    assert tie["additionalProperties"] is False
    assert set(case_schema("state")["required"]) == {"id", "name", "as_of"}
    year = state["history"]["additionalProperties"]["properties"]
    assert "id" not in year and "ties" in year  # a history year cannot give a fixed field
    assert "default" not in year["ties"]["additionalProperties"]["properties"]["alliance"]


# ---- the shipped case files validate ---------------------------------------------------------------
@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_shipped_case_file_validates(path, validators):
    data = as_an_editor_reads(path.read_text(encoding="utf-8"))
    kind = "state" if path.parent.name == "states" else "coalition"
    for validator in (validators[None], validators[kind], validators["draft-07"]):
        errors = [f"{e.json_path}: {e.message[:160]}" for e in validator.iter_errors(data)]
        assert not errors, errors


def test_there_are_shipped_files_of_both_kinds():
    assert len([p for p in CASE_FILES if p.parent.name == "states"]) >= 30
    assert len([p for p in CASE_FILES if p.parent.name == "coalitions"]) >= 10


# ---- what the loader refuses for its shape, the schema refuses -------------------------------------
REFUSED = [
    # (kind, path, value, what the loader says)
    ("state", ("allies",), {}, "unknown key"),
    ("state", ("ties", "united-states", "alliences"), "none", "unknown key"),
    ("coalition", ("offers", "cash"), True, "unknown key"),
    ("state", ("ties", "united-states", "alliance"), "treaty", "'treaty' is not allowed"),
    ("coalition", ("demand",), "stringent", "is not allowed"),
    ("state", ("autonomy", "objects_to"), ["free-data"], "is not allowed"),
    ("state", ("ties", "united-states", "arms_import_share"), 1.5, "out of range"),
    ("state", ("industries", "semiconductors", "target_exposure", "china", "export_share"), -0.1,
     "out of range"),
    ("coalition", ("restricted_share",), 60, "out of range"),
    ("state", ("name",), DELETE, "missing required field"),
    ("state", ("as_of",), DELETE, "missing required field"),
    ("state", ("indicators", "watch-this"), {"field": "ties.united-states.alliance"},
     "missing required field"),
    ("state", ("as_of",), "2023", "got a string"),
    ("state", ("as_of",), 999, "out of range"),
    ("state", ("ties", "united-states", "extended_deterrence"), "true", "got a string"),
    ("state", ("aliases",), "Testy", "got a string"),
    ("state", ("autonomy",), None, "got null"),
    ("state", ("ties",), ["united-states"], "got a list"),
    ("state", ("name",), 12, "got an integer"),
    ("state", ("name",), "   ", "the text is empty"),
    ("state", ("summary",), "a bell \x07 rings", "control character"),
    ("coalition", ("leader",), None, "got null"),
    ("coalition", ("leader",), "United States", "not a lowercase slug"),
    ("coalition", ("members",), ["japan", "japan"], "listed twice"),
    ("state", ("ties", "United States"), {}, "not a lowercase slug"),
    ("state", ("ties", "japan"), None, "got null"),
    ("state", ("history", "2019", "id"), "testland", "cannot change from year to year"),
    ("state", ("history", "19"), {}, "is not a year"),
    ("state", ("history", "2019"), None, "got null"),
    ("state", ("estimated",), ["ties.united-states.alliences"], "is not a field of a state file"),
    ("coalition", ("indicators", "watch-this"), {"field": "offers", "watch": "an offer"},
     "is not a value of a coalition or state file"),
    ("coalition", ("founded",), DELETE, "needs the year of its main evidence"),
]


def _base(kind: str) -> dict:
    """The tests' base case (tests/casemaker.py), which loads and validates."""
    data = cm.base_state() if kind == "state" else cm.base_coalition()
    if kind == "coalition":  # a history, so that removing founded matters
        data["history"] = {2022: {"status": "proposed"}}
    return data


@pytest.mark.parametrize("kind, path, value, said", REFUSED,
                         ids=[f"{k}:{'.'.join(p)}={v!r}"[:60] for k, p, v, _ in REFUSED])
def test_a_shape_the_loader_refuses_fails_validation(kind, path, value, said, tmp_path, validators):
    base = _base(kind)
    good = write(tmp_path, base)
    assert loads(good) and validators[None].is_valid(as_an_editor_reads(good.read_text()))
    bad = write(tmp_path, changed(base, path, value))
    with pytest.raises(CaseError, match="(?s)" + said.replace("(", r"\(").replace(")", r"\)")):
        load_file(bad)
    data = as_an_editor_reads(bad.read_text())
    assert not validators[None].is_valid(data)
    assert not validators[kind].is_valid(data)
    assert not validators["draft-07"].is_valid(data)


# ---- a sweep over every field: the loader and the schema agree -------------------------------------
GENERIC = [None, True, False, 0, 1, 0.5, -0.1, 1.5, 2019, 999, 10000, "", "  ", "text",
           "south-korea", "South Korea", "bell\x07", "ties.united-states.alliance",
           "offers.subsidies", "targets.china.retaliation_risk", "ties", [], ["x"],
           ["japan", "japan"], ["japan", "china"], ["data-free-flow"], {}, {"unknown": 1}]


def _values(f) -> list:
    values = list(GENERIC)
    if f.type in ("word", "words"):
        words = list(f.words)
        values += words if f.type == "word" else [[w] for w in words] + [words[:2]]
        values += ["hihg", words[0].upper()]
    return values


def _changes(kind: str):
    """(path, value) changes of one value each, over every field of a kind of file: in the main
    evidence and in a history year, with every value of the pool, unknown keys at every level,
    bad and empty map entries, and each field removed."""
    def at(prefix: tuple, pattern: str) -> tuple:
        keys = {"ties": "united-states", "reliance": "united-states", "targets": "china",
                "target_exposure": "china", "industries": "semiconductors",
                "per_member": "japan", "indicators": "watch-this"}
        out, parts = list(prefix), pattern.split(".")
        for i, part in enumerate(parts):
            out.append(keys[parts[i - 1]] if part == "*" else part)
        return tuple(out)

    def walk(prefix: tuple, fs, pattern_prefix=""):
        for f in fs:
            path = at(prefix, pattern_prefix + f.name)
            yield path, DELETE
            for value in _values(f):
                yield path, value
            if f.type == "section":
                yield path + ("unknown_field",), 1
                yield from walk(prefix, f.fields, pattern_prefix + f.name + ".")
            elif f.type == "map":
                yield path + ("Bad Key",), {}
                yield path + ("good-key",), None
                yield path + ("good-key",), {}
                entry = at(prefix, pattern_prefix + f.name + ".*")
                yield entry + ("unknown_field",), 1
                yield from walk(prefix, f.fields, pattern_prefix + f.name + ".*.")

    yield ("unknown_field",), 1
    yield from walk((), S.fields(kind))
    year = ("history", "2019")
    for key in ("19", "0999", "02019", "2019"):
        yield ("history", key), {}
    for fixed in sorted(S.FIXED_IN_HISTORY):
        yield year + (fixed,), "x"
    yield year + ("unknown_field",), 1
    yield from walk(year, S.history_fields(kind))


@pytest.mark.parametrize("kind", ["state", "coalition"])
def test_loader_and_schema_agree_on_every_field_changed(kind, tmp_path, validators):
    base = _base(kind)
    disagree, tried = [], 0
    for path, value in _changes(kind):
        data = changed(base, path, value)
        file = write(tmp_path, data)
        loaded = loads(file)
        valid = validators[None].is_valid(as_an_editor_reads(file.read_text()))
        file.unlink()
        tried += 1
        if loaded != valid:
            disagree.append(f"{'.'.join(path)} = {value!r}: loader "
                            f"{'accepts' if loaded else 'refuses'}, schema "
                            f"{'accepts' if valid else 'refuses'}")
    assert tried > 1000
    assert not disagree, "\n".join(disagree)


# ---- what the schema cannot say (docs/case-files.md lists it), still checked by the loader --------
def test_the_documented_gaps_are_real(tmp_path, validators):
    """Each of these loads as the loader says and validates: JSON Schema cannot tell them."""
    state = cm.base_state()
    gaps = {
        "a year written as a float (JSON has one kind of number)": changed(state, ("as_of",),
                                                                           2023.0),
        "the id differs from the file's name": changed(state, ("id",), "otherland"),
        "a history year that is the main evidence's": changed(state, ("history", 2023),
                                                               {"autonomy": {}}),
        "a share written .nan (JSON has no NaN; it compares as in range)": changed(
            state, ("targets", "china", "trade_share"), float("nan")),
    }
    for what, data in gaps.items():
        path = tmp_path / f"{cm.STATE_ID}.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        assert not loads(path), what
        assert validators[None].is_valid(as_an_editor_reads(path.read_text())), what


# ---- the patterns as an editor reads them (ECMA-262) -----------------------------------------------
def _patterns(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            found |= _patterns(value)
    elif isinstance(node, list):
        for value in node:
            found |= _patterns(value)
    return found


SLUGGISH = ["japan", "south-korea", "chip4", "japan\n", "japan\n\n", "\njapan", "Japan",
            "south--korea", "-japan", "japan-", "south_korea", "", "a" * 64, "a" * 65, "ja pan"]


@pytest.mark.skipif(not shutil.which("node"), reason="needs node, to read patterns as ECMA-262")
def test_every_pattern_is_an_ecma_regex_reading_as_the_loader_does():
    """Editors (VS Code's YAML extension, ajv) read patterns as ECMA-262 regular expressions,
    with the u flag: each one must compile there, and the slug pattern, where ECMA's '$' and
    Python's differ, must accept exactly what the loader's is_slug accepts."""
    from digital_coalitions.casefiles.json_schema import _slug

    patterns = sorted(_patterns(case_schema()))
    slug = _slug()
    script = """
const {patterns, slug, words} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const bad = [];
for (const p of patterns) { try { new RegExp(p, 'u'); } catch (e) { bad.push(p + ': ' + e); } }
const re = new RegExp(slug.pattern, 'u');
const slugs = words.map(w => re.test(w) && w.length <= slug.maxLength);
console.log(JSON.stringify({bad, slugs}));
"""
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True,
                         input=json.dumps({"patterns": patterns, "slug": slug,
                                           "words": SLUGGISH}))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["bad"] == []
    assert len(patterns) >= 6
    assert dict(zip(SLUGGISH, result["slugs"])) == {w: S.is_slug(w) for w in SLUGGISH}
