"""What every house-style template receives: the variables, filters and globals, documented.

``docs/templates.md`` is this module's output (``python -m digital_coalitions.report.template_docs``);
tests/test_memo.py checks that the file is current and that the variables listed here are
exactly those the code passes (``Memo.context``, ``svgmap.map_context``), so that a variable
added without a line here fails a test.
"""

from __future__ import annotations

# memo.md.j2, memo.html.j2 and memo-words.j2 (imported by both "with context")
MEMO = {
    "m": "the Memo (engine/report/memo.py): its fields (answer, date, time, basis, links, judgments, "
         "notes, signposts and brief_signposts, alternatives and near_alternatives, sensitive, "
         "assumed, mechanisms, sources, outlook, "
         "decisions, annex, overrides, map_svg) and methods name(id), short(id), note(key), "
         "concept(name), value(case, path), assumed_at(case, path), verdict_if(case, path, value), "
         "tie/industry/reliance/exposure/relation/autonomy(field), weak_links",
    "a": "the Answer (engine/inference/answer.py): verdict, likelihood {term, range, figure}, confidence "
         "{level, basis}, mechanisms, chain, rules_fired, defaults, dating, state, coalition",
    "state": "the state file's data (its fields as loaded, defaults filled in)",
    "coalition": "the coalition file's data",
    "layers": "\"full\" (brief, assessment, annex; the default) or \"brief\" (--brief)",
    "t": "the TimeFrame (engine/report/timeframe.py): asked, evidence, horizon, until, age, stale, "
         "stale_after, ahead (the evidence is later than the year asked), supposed (--set), mode "
         "(forecast, retrospective, staying, supposed), record {status, year, accept, why, "
         "source}, then, joined_later (the year the record shows it joined after the year asked, within "
         "the horizon and by the memo's date), lapses (the first year, by the end of the horizon, "
         "the coalition's file marks it defunct; at or before the year asked: it already is), agrees(verdict)",
    "words": "wording.Words: value(case, path, value) says a value in words, change(change, "
             "answer) a change (what is seen instead of what is there), commitment(word) a "
             "commitment, derived(type, fields) a concept cited as evidence; domain, goods, "
             "industry, leader, target",
    "leader": "the leader's name as a sentence writes it (\"the United States\")",
    "leader_attributive": "the leader's name before a noun (\"US\" compensation)",
    "target": "the target's name as a sentence writes it, or \"none\"",
    "state_name": "the state's name with its article",
    "coalition_name": "the coalition's name with its article (\"the EU–US Trade and Technology "
                      "Council\")",
    "coalition_short": "the coalition's short name (\"the TTC\"), else its name",
    "claims": "claim ID -> (the claim in theory.md's words, where in the paper)",
    "rules": "rule ID -> RuleInfo (id, title, claims, stage, doc)",
    "verdict_words": "verdict -> short words (\"joins reluctantly\")",
    "verdict_phrases": "verdict -> what the state does, after \"it would\"",
    "colours": "verdict -> the map's colour",
    "show": "a value as a case file writes it (true, null): for the annex only",
    "plain": "a value as a reader says it (yes, no, not given)",
    "percent": "a share as a percentage (0.6 -> 60%)",
    "listed": "a list in words (a, b and c)",
    "capfirst": "a text with its first letter in upper case",
    "field_doc": "what a case-file field means, from the contract (schema)",
    "name": "state id -> its name as a sentence writes it",
    "phrase": "a trace fact in the paper's words (the annex's evidence lines)",
    "where": "where a trace fact came from (file:line)",
    "annex": "the readable trace (trace.view): steps, unfired, likelihood",
    "icd203": "the ICD 203 terms of likelihood: (term, low %, high %), lowest first",
}
MEMO_FILTERS = {
    "md": "case-file text made inert in Markdown (HTML characters and table pipes escaped)",
    "escaped": "a memo-words.j2 sentence escaped once for HTML",
    "emphasised": "*asterisks* as HTML emphasis, everything else escaped",
    "name": "state id -> its name (ids | map(\"name\"))",
    "commitment": "a commitment word in the memo's words (vendor-exclusion -> excluding "
                  "China's vendors)",
    "called": "a case file's data -> its name as a sentence writes it, with its article (every "
              "template)",
    "possessive": "a name as an owner: South Korea's, the Netherlands' (every template)",
}
# every template, the memo's and the others
GLOBALS = {
    "rules": "rule ID -> RuleInfo",
    "concepts": "answer key (security_dependency, …) -> its entry in rules/concepts.py CONCEPTS: "
                "fact, field, place, chain_label, heading, memo_label",
    "cases_flag": "' --cases DIR' for a printed command line, where the case files are not the "
                  "shipped ones",
}
EXTENSIONS = {"jinja2.ext.do": "memo templates only: {% do list.append(x) %}"}
# map.svg.j2 (coalition map, and the memo's figure)
MAP = {
    "standalone": "true for a .svg file (with the XML declaration), false inside the memo",
    "coalition": "the coalition's name",
    "leader": "the leader's id",
    "leader_name": "the leader's name",
    "target": "the target's id, or none",
    "domain": "the coalition's domain, or none",
    "width": "the drawing's width (px)",
    "height": "the drawing's height (px)",
    "left": "the plot's left edge",
    "top": "the plot's top edge",
    "cell_w": "one column's width",
    "plot_w": "the plot's width",
    "plot_h": "the plot's height",
    "legend_x": "the legend's left edge",
    "columns": "the security-dependency levels, one column each",
    "rows": "the stranglehold levels, one row each: {level, y, h}",
    "regions": "the paper's outcome regions: {name, claims, fill, x, y, w, h}",
    "points": "the states placed: each with its position, verdict, label and ring",
    "colours": "verdict -> colour",
    "verdict_words": "verdict -> short words",
    "not_asked": "the leader, the target and the states it is not open to, as lines",
    "legend": "the legend's entries, each {y, lines, …}: every mark drawn, explained",
    "demanding_hold": "the stranglehold level the paper says demanding coalitions need "
                      "(T1, T2): below it, a joiner is marked † or ‡",
}
TEMPLATES = (
    ("memo.md.j2, memo.html.j2, memo-words.j2", "`coalition memo` (Markdown, HTML; the shared "
     "sentences)", MEMO, MEMO_FILTERS),
    ("map.svg.j2", "`coalition map` and the memo's figure", MAP, {}),
)


def _table(rows: dict, what: str) -> list[str]:
    out = [f"| {what} | what it is |", "|---|---|"]
    pipe = "\\|"  # a table cell's pipe, escaped
    out += [f"| `{key}` | {text.replace('|', pipe)} |" for key, text in rows.items()]
    return out


def document() -> str:
    """docs/templates.md, from the tables above."""
    lines = [
        "# House-style templates: what each receives",
        "",
        "`--templates DIR` puts a directory of Jinja templates before the shipped ones: a file",
        "there with a shipped template's name replaces it. Templates render in Jinja's sandbox",
        "(a template cannot reach Python), with undefined variables as errors; an error in a",
        "house template is one line naming the file and line (`error: memo.md.j2:12 in DIR: …`).",
        "Autoescaping is on for `.html.j2` and `.svg.j2` files. This page is generated from",
        "`engine/report/template_docs.py` (`python -m digital_coalitions.report.template_docs`); a test keeps",
        "it equal to the code and to the variables the code passes.",
        "",
        "In every template: " + "; ".join(f"`{k}`: {v}" for k, v in GLOBALS.items()) + ".",
    ]
    for names, used, variables, filters in TEMPLATES:
        lines += ["", f"## {names}", "", f"Used by {used}.", ""]
        lines += _table(variables, "variable")
        if filters:
            lines += ["", "Filters:", ""] + _table(filters, "filter")
    lines += ["", "Extensions: " + "; ".join(f"`{k}` ({v})" for k, v in EXTENSIONS.items())
              + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(document(), end="")
