"""Renderers over the one result model: text, through a Jinja template in templates/."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment

from digital_coalitions.rules.concepts import CONCEPT, HORIZON_YEARS

from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.question import cases_flag
from digital_coalitions.casefiles.schema import shown
from digital_coalitions.casefiles.schema import display_name, possessive


def shipped_templates() -> Path:
    """The shipped templates' folder, found from the package itself (importlib.resources would
    cost a text answer its imports, zipfile among them)."""
    import digital_coalitions.templates as shipped

    return Path(shipped.__file__).parent


def environment(templates: Path | None = None) -> jinja2.Environment:
    """Templates from ``templates`` first (a house style), then the shipped ones.

    Sandboxed: a house style is someone else's file, and an ordinary Environment lets a template
    reach Python (``cycler.__init__.__globals__.os``) and run commands. The shipped templates
    render in the same sandbox; it costs them nothing measurable (bench/run.py, README)."""
    loaders = [jinja2.FileSystemLoader(str(shipped_templates()))]
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(templates)))
    env = SandboxedEnvironment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["rules"] = RULES
    env.globals["shown"] = shown  # one way to print a value, in every template
    env.globals["concepts"] = CONCEPT  # answer key -> its name, chain row and memo line
    env.globals["horizon_years"] = HORIZON_YEARS  # what "structural" is measured against
    env.filters["called"] = display_name  # a file's name as a sentence says it: "the United States"
    env.filters["possessive"] = possessive  # "the Netherlands'", not "the Netherlands's"
    env.globals["cases_flag"] = cases_flag  # printed commands replay the same case directory
    return env


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, which never fails a command: a cache that
    cannot be written is only a slower start."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):  # unreadable or cut short: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(env: jinja2.Environment) -> FileSystemBytecodeCache | None:
    """The compiled shipped templates, kept between processes in the user's cache directory
    ($XDG_CACHE_HOME or ~/.cache, then digital-coalitions/templates; safe to delete). Jinja
    keys each by the template's file and checks it against its source (an edited template is
    compiled again) and against Jinja's and Python's versions; the options below, which change
    the compiled code, name the cache's files. None where no such directory can be made."""
    options = repr((type(env).__name__, env.trim_blocks, env.lstrip_blocks,
                    env.keep_trailing_newline, env.autoescape, sorted(env.extensions)))
    tag = hashlib.sha256(options.encode()).hexdigest()[:12]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "digital-coalitions", "templates")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(directory, f"{tag}-%s.cache")


@functools.lru_cache(maxsize=1)
def shared_environment() -> jinja2.Environment:
    """The shipped templates' environment, made once per process and never changed (callers
    that add filters or escaping make their own with :func:`environment`): each template is
    compiled once, and its compiled code is kept for the next process."""
    env = environment()
    env.bytecode_cache = _bytecode_cache(env)
    return env


def render_text(answer, templates: Path | None = None) -> str:
    env = shared_environment() if templates is None else environment(templates)
    return env.get_template("answer.txt.j2").render(a=answer)


def render_role(role) -> str:
    """The answer to a question about a state that is not a candidate (leader, target, not open)."""
    return shared_environment().get_template("role.txt.j2").render(r=role)
