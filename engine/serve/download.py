""""Download as case file": one case file, with the explorer's changes, as YAML of the contract.

The file is the evidence of the year the view asks about, the changes written in: a state file
saved as ``DIR/states/ID.yaml`` and asked with ``--cases DIR`` gives the view's answer from the
file itself (its confidence a step higher than the view's: CF-04 marks values set by hand, and
in the file they are evidence). Values the loader filled in by default are left out again, so
they stay assumed, not given; the file's other years (``history:``) are not carried over, since
the changes were made to this year's evidence only (a comment at the top says so).
"""

from __future__ import annotations

import yaml

from digital_coalitions.casefiles.overrides import overrides_of


def _drop(data: dict, dotted: str) -> None:
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _prune(value):
    """Sections left empty once the defaults are taken out go too."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v != {}}
    return value


def case_yaml(case, command: str = "") -> str:
    """The YAML text of ``case`` (a loaded, perhaps changed, case file)."""
    data = _plain(case.data)
    for dotted in case.defaults:
        _drop(data, dotted)
    data = _prune(data)
    changes = overrides_of(case)
    year = case.dating.year if case.dating is not None else None
    head = [f"# {case.data['name']}: {case.kind} case file written by `coalition serve` from "
            f"{case.path.name}" + (f", evidence of {year}" if year else "")]
    if changes:
        head.append("# changed in the explorer (not the original file's evidence):")
        head += [f"#   {change}" for change in changes]
        if case.data.get("sources"):  # a source may name the value a change replaced
            head.append("# its sources are the original's: they support the original values, "
                        "not these changes")
    if command:
        head.append(f"# the view it was saved from: {command}")
    if case.years and len(case.years) > 1:
        head.append("# the original's other years (history:) are not carried over")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(line.replace("\n", " ") for line in head) + "\n" + body
