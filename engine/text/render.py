"""Renderers over the one result model: text, through a Jinja template in templates/."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from digital_coalitions.rules.concepts import CONCEPT

from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.question import cases_flag
from digital_coalitions.casefiles.schema import shown
from digital_coalitions.casefiles.schema import display_name


def environment(templates: Path | None = None) -> jinja2.Environment:
    """Templates from ``templates`` first (a house style), then the shipped ones.

    Sandboxed: a house style is someone else's file, and an ordinary Environment lets a template
    reach Python (``cycler.__init__.__globals__.os``) and run commands. The shipped templates
    render in the same sandbox; it costs them nothing measurable (bench/run.py, README)."""
    loaders = [jinja2.FileSystemLoader(str(files("digital_coalitions.templates")))]
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(templates)))
    env = SandboxedEnvironment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["rules"] = RULES
    env.globals["shown"] = shown  # one way to print a value, in every template
    env.globals["concepts"] = CONCEPT  # answer key -> its name, chain row and memo line
    env.filters["called"] = display_name  # a file's name as a sentence says it: "the United States"
    env.globals["cases_flag"] = cases_flag  # printed commands replay the same case directory
    return env


def render_text(answer, templates: Path | None = None) -> str:
    return environment(templates).get_template("answer.txt.j2").render(a=answer)


def render_role(role) -> str:
    """The answer to a question about a state that is not a candidate (leader, target, not open)."""
    return environment().get_template("role.txt.j2").render(r=role)
