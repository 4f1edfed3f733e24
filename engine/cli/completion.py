"""Shell completion (click's ``shell_complete``): state and coalition IDs from the case directory
(``--cases`` if it is typed before the word, else as the commands choose it), concepts for
``why``, rule IDs for ``rules show``. Enabled with ``_COALITION_COMPLETE=bash_source coalition``.
"""

from __future__ import annotations

from digital_coalitions.casefiles.loader import CaseError


def _cases(ctx, kind: str) -> dict:
    """id -> name of the states or coalitions; nothing where the directory cannot be read (a
    completion must never print an error into the shell)."""
    from digital_coalitions.casefiles.question import CaseChoice, Resolver, case_directories

    choice = CaseChoice(ctx.params.get("cases"), bool(ctx.params.get("only_cases")))
    try:
        base = Resolver(case_directories(choice)).base
    except (CaseError, OSError):
        return {}
    pool = base.states if kind == "state" else base.coalitions
    return {case_id: case.data["name"] for case_id, case in pool.items()}


def _matching(names: dict, incomplete: str) -> list:
    from click.shell_completion import CompletionItem  # completing only, not at every start

    wanted = incomplete.lower()
    return [CompletionItem(key, help=help_text) for key, help_text in sorted(names.items())
            if key.lower().startswith(wanted)]


def states(ctx, param, incomplete):
    return _matching(_cases(ctx, "state"), incomplete)


def coalitions(ctx, param, incomplete):
    return _matching(_cases(ctx, "coalition"), incomplete)


def question(ctx, param, incomplete):
    """STATE COALITION: a state first, then a coalition."""
    typed = ctx.params.get(param.name) or ()
    if len(typed) > 1:
        return []
    return (coalitions if typed else states)(ctx, param, incomplete)


def why_words(ctx, param, incomplete):
    """STATE COALITION CONCEPT: then a concept or a verdict."""
    if len(ctx.params.get(param.name) or ()) < 2:
        return question(ctx, param, incomplete)
    from digital_coalitions.rules.concepts import VERDICTS
    from digital_coalitions.audit.why import CONCEPTS

    return _matching({**{name: "" for name in CONCEPTS}, **{v: "verdict" for v in VERDICTS}},
                     incomplete)


def rule_ids(ctx, param, incomplete):
    from digital_coalitions.inference.engine import RULES

    return _matching({rule_id: rule.title for rule_id, rule in RULES.items()}, incomplete)
