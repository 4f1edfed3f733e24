"""Read a question as a person types it and find the two case files it is about.

"Will South Korea join Chip 4?", "Is India likely to sign IPEF?", "south-korea chip4", the
unquoted words ``south korea chip4``, "ROK 'Fab 4'", or two paths to YAML files. Names resolve
case-insensitively through ``id``, ``name`` and ``aliases``; each unknown name gets a line with a
"did you mean" and the known ids (up to LISTED_IDS of them, else their number), words naming one
name only are told so, a coalition named before the state gets "the other order", and a year
in a sentence ("… in 2025?") points to --as-of.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from digital_coalitions.casefiles.loader import CaseBase, CaseError, load_dir, load_file, normalise
from digital_coalitions.record import FrozenRecord
from digital_coalitions.casefiles.schema import display_name
from digital_coalitions.errors import BadInput

CASES_ENV = "COALITION_CASES"
# "Will X join Y?", "Would X sign Y", "Is X likely to endorse Y?", "Does X join Y?" (any case)
QUESTION_WORD = r"(?:will|would|does|do|is|can|could|should|might|may|shall)"
SENTENCE = (
    rf"\s*{QUESTION_WORD}\s+(?P<state>.+?)\s+(?:(?:be\s+)?(?:likely|going|expected)\s+to\s+)?"
    r"(?:join|sign|endorse)\s+(?P<coalition>.+?)\s*(?P<end>[?.!]+)?\s*")  # re.I | re.S: see _sentence
# a year the question gives ("Will Japan join Chip 4 in 2025?"), which it does not read: the
# evidence's year is --as-of's, and "in 2025" may as well mean "by 2025" (a memo's --horizon)
YEAR_IN_QUESTION = r"(?P<name>.+?)\s+(?:in|by|as of)\s+(?P<year>[0-9]{4})"  # re.I: _year_in


@functools.cache
def _sentence() -> re.Pattern:
    """SENTENCE compiled, when a question of four words or more first needs it (case-insensitive,
    it cost every start 2.7 M instructions to compile, a question by two ids too)."""
    return re.compile(SENTENCE, re.I | re.S)


@functools.cache
def _year_in() -> re.Pattern:
    """YEAR_IN_QUESTION compiled, when a name is not found and may carry a year."""
    return re.compile(YEAR_IN_QUESTION, re.I)


# words a speaker adds to a coalition's name ("the Clean Network initiative"): dropped only
# where the name without them is known
GENERIC_SUFFIX = re.compile(r"\s+(?:alliance|coalition|initiative|partnership)$")
MAX_WORDS = 24  # unquoted words tried as every split into two names; no two names are longer

# an unknown id's error lists the known ones up to this many; beyond, it counts them (one line)
LISTED_IDS = 20


class QuestionError(BadInput):
    """A question that names no known state or coalition, or is not a question."""


def shipped_cases() -> Path:
    """The shipped case directory: the ``digital_coalitions.cases`` package's folder (found from
    the package itself: importlib.resources costs a start-up its imports, tempfile among them)."""
    import digital_coalitions.cases as shipped

    return Path(shipped.__file__).parent


class CaseChoice(FrozenRecord):
    """The case directory as the command line chose it: ``--cases DIR`` (else $COALITION_CASES)
    adds its files to the shipped cases, replacing those of the same id; ``--only-cases`` reads
    that directory alone."""

    FIELDS = ("option", "only")
    option: str | None
    only: bool

    def __init__(self, option: str | None = None, only: bool = False):
        self._set(option, only)

    def flags(self) -> list[str]:
        """The options as given, for a command line that is recorded."""
        return (["--cases", self.option] if self.option else []) + (["--only-cases"] * self.only)


def case_directories(choice: CaseChoice | str | None = None) -> tuple[Path, ...]:
    """The directories to load, lowest first (see CaseChoice; a string is ``--cases``)."""
    if not isinstance(choice, CaseChoice):
        choice = CaseChoice(choice)
    chosen = choice.option or os.environ.get(CASES_ENV)
    if not chosen:
        return (shipped_cases(),)
    return (Path(chosen),) if choice.only else (shipped_cases(), Path(chosen))


def quoted(text: str, limit: int = 80) -> str:
    """``text`` quoted for a one-line message, cut to ``limit`` characters with its length: a
    100 KB argument must not become a 100 KB error."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text)} characters)"


def split_question(words: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """(the form: sentence, pair or words; the readings as (state, coalition) references).

    A sentence or two arguments have one reading; other words ("south korea chip4") have one
    per place the state's name could end."""
    text = " ".join(words)
    spaced = " ".join(text.split())  # one space each: no backtracking on runs
    # a sentence has a space after its question word, after the state and after the verb: fewer
    # spaces than that (two ids, two names of one word each) cannot be one
    match = _sentence().fullmatch(spaced) if spaced.count(" ") >= 3 else None
    if match:
        return "sentence", [(match["state"], match["coalition"])]
    if len(words) == 2:
        return "pair", [(words[0], words[1])]
    tokens = text.rstrip("? ").split()
    if len(tokens) > MAX_WORDS:
        tokens = []
    return "words", [(" ".join(tokens[:i]), " ".join(tokens[i:])) for i in range(1, len(tokens))]


def unreadable(words) -> QuestionError:
    return QuestionError(
        f"could not read the question {quoted(' '.join(words))}; expected \"Will STATE join "
        "COALITION?\" or two names, IDs or case-file paths (a state, then a coalition)")


def looks_like_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or os.sep in ref


class Resolver:
    """Finds case files by name in case directories (one, or several, lowest first), loading
    them only if a name needs it."""

    def __init__(self, directory: Path | tuple[Path, ...]):
        self.directories = (directory,) if isinstance(directory, (str, os.PathLike)) \
            else tuple(directory)
        self.directory = self.directories[-1]
        self._base: CaseBase | None = None

    @property
    def base(self) -> CaseBase:
        if self._base is None:
            self._base = load_dir(self.directories)
        return self._base

    @functools.cached_property
    def _names(self) -> dict:
        """kind -> {normalised id, name or alias: case file}."""
        found = {}
        for kind, pool in (("state", self.base.states), ("coalition", self.base.coalitions)):
            names = found[kind] = {}
            for case in pool.values():
                for name in [case.id, case.data["name"], *case.data.get("aliases", [])]:
                    names.setdefault(normalise(name), case)
        return found

    def find(self, ref: str, kind: str):
        if looks_like_path(ref):
            return self._load(ref, kind)
        names = self._names[kind]
        wanted = normalise(ref)
        if wanted not in names and kind == "coalition":
            bare = GENERIC_SUFFIX.sub("", wanted)
            wanted = bare if bare in names else wanted
        if wanted in names:
            return names[wanted]
        other = "coalition" if kind == "state" else "state"
        if wanted in self._names[other]:  # `outlook japan`: a state where a coalition is asked
            case = self._names[other][wanted]
            raise QuestionError(f"{quoted(ref)} names a {other} ({case.data['name']}), not a "
                                f"{kind}; expected a {kind} here (`coalition list` names them)")
        near = self.near(ref, (kind,))
        hint = f"did you mean {near.data['name']!r}? " if near else ""
        pool = self.base.states if kind == "state" else self.base.coalitions
        where = " + ".join(str(d) for d in self.directories)  # the shipped cases and any added
        known = (f"known {kind}s: {', '.join(sorted(pool))}" if len(pool) <= LISTED_IDS
                 else f"{len(pool)} {kind}s known (`coalition list` names them)")
        if not near and tuple(self.directories) == (shipped_cases(),):
            known += "; a file of your own? add its directory with --cases DIR (or $COALITION_CASES)"
        raise QuestionError(f"unknown {kind} {quoted(ref)} in {where}; {hint}{known}")

    def near(self, ref: str, kinds=("state", "coalition")):
        """The case file of ``kinds`` whose id, name or alias is nearest ``ref`` (a "did you
        mean"), or None where none is near."""
        import difflib  # an unknown name only: a cold start imports no difflib

        names = {}
        for kind in kinds:
            names = {**self._names[kind], **names}  # the first kind's name wins a clash
        near = difflib.get_close_matches(normalise(ref), list(names), n=1, cutoff=0.6)
        return names[near[0]] if near else None

    @staticmethod
    def _load(ref: str, kind: str):
        """A case file by path; one of the other kind is named as such, not read field by field
        against the wrong schema (a coalition read as a state broke on every key)."""
        try:
            return load_file(Path(ref), kind=kind)
        except CaseError:
            try:
                other = load_file(Path(ref))
            except CaseError:
                other = None
            if other is None or other.kind == kind:
                raise
        place = "first" if kind == "state" else "second"
        raise QuestionError(f"{ref}: is a {other.kind} file; expected a {kind} file {place} "
                            "(the state, then the coalition)") from None

    def _resolves(self, ref: str, kind: str):
        """The case ``ref`` names as ``kind``, or None."""
        try:
            return self.find(ref, kind)
        except (QuestionError, CaseError):
            return None

    def _other_order(self, form: str, state_ref: str, coalition_ref: str) -> None:
        """Raise "did you mean … (the other order)?" if the two names resolve the other way round."""
        state = self._resolves(coalition_ref, "state")
        coalition = state and self._resolves(state_ref, "coalition")
        if not coalition:
            return
        import shlex

        meant = (f"\"Will {state.data['name']} join {coalition.data['name']}?\"" if form == "sentence"
                 else " ".join(shlex.quote(ref) for ref in (coalition_ref, state_ref)))
        raise QuestionError(f"{quoted(state_ref)} is a coalition and {quoted(coalition_ref)} a "
                            f"state; expected the state first: did you mean {meant} "
                            "(the other order)?")

    def _both(self, form: str, words: tuple[str, ...], state_ref: str, coalition_ref: str):
        """(state, coalition) the two references name; else every problem, one line each."""
        found, problems = [], []
        for ref, kind in ((state_ref, "state"), (coalition_ref, "coalition")):
            try:
                found.append(self.find(ref, kind))
            except (QuestionError, CaseError) as error:
                if kind == "coalition" and form == "sentence":
                    # "Foo Inc." is a name, asked "Foo Inc.?" too (the end takes ".?" whole)
                    ended = " ".join(words).rstrip().rstrip("?!").endswith(".")
                    coalition = ended and self._resolves(ref + ".", kind)
                    if coalition:
                        found.append(coalition)
                        continue
                    error = self._year_given(ref, found[0] if found else None) or error
                problems.append(error)
        lines = list(dict.fromkeys(line for p in problems for line in str(p).splitlines()))
        if problems and lines == str(problems[0]).splitlines():  # one, or a broken directory twice
            raise problems[0]
        if problems:
            raise QuestionError("\n".join(lines))
        return found[0], found[1]

    def _year_given(self, ref: str, state) -> QuestionError | None:
        """The error for a coalition named with a year ("Chip 4 in 2025"), or None."""
        given = _year_in().fullmatch(ref)
        coalition = given and self._resolves(given["name"], "coalition")
        if not coalition:
            return None
        who = state.data["name"] if state is not None else "STATE"
        return QuestionError(
            f"{quoted(ref)}: a year in the question is not read; expected the question without "
            f"it and the year as --as-of {given['year']} (the evidence dated {given['year']} or "
            f"before), e.g. \"Will {who} join {coalition.data['name']}?\" --as-of {given['year']}")

    def _one_name(self, words: tuple[str, ...]) -> None:
        """Raise "names only the state …" where all the words are one name, of either kind."""
        text = " ".join(" ".join(words).split()).rstrip("?. ")
        if not text or len(text.split()) > MAX_WORDS:
            return
        for kind, other, example in (("state", "coalition", "{} COALITION"),
                                     ("coalition", "state", "STATE {}")):
            case = self._resolves(text, kind)
            if case is None:
                continue
            name = case.data["name"]
            named = f'"{name}"' if len(name.split()) > 1 else name
            raise QuestionError(
                f"{quoted(text)} names the {kind} {name} but no {other}; expected a state and "
                f"then a coalition, each name of several words in quotes, e.g. "
                f"{example.format(named)}, or a sentence: \"Will STATE join COALITION?\"")

    def pair(self, words: tuple[str, ...]):
        form, readings = split_question(words)
        if form != "words":
            state_ref, coalition_ref = readings[0]
            if self._base is None:  # two ids or names: their two files, not the others
                from digital_coalitions.casefiles.direct import load_named, resolve_named

                named = (load_named(self.directories, state_ref, coalition_ref)
                         or resolve_named(self.directories, state_ref, coalition_ref))
                if named is not None:
                    return named
            try:
                return self._both(form, words, state_ref, coalition_ref)
            except (QuestionError, CaseError):
                self._other_order(form, state_ref, coalition_ref)
                if form == "pair":
                    self._one_name(words)
                raise
        self.base  # a broken case directory is its own error, not "could not read"
        found = {(state.id, coalition.id): (state, coalition) for state_ref, coalition_ref in readings
                 if (state := self._resolves(state_ref, "state"))
                 and (coalition := self._resolves(coalition_ref, "coalition"))}
        found = list(found.values())  # two splits naming the same pair are one reading
        if len(found) == 1:
            return found[0]
        if found:
            ways = "; ".join(f"{s.data['name']} and {c.data['name']}" for s, c in found)
            raise QuestionError(
                f"the words {quoted(' '.join(words))} name a state and a coalition in "
                f"{len(found)} ways ({ways}); expected one reading: quote each name, as in "
                f"\"{found[0][0].data['name']}\" \"{found[0][1].data['name']}\"")
        for state_ref, coalition_ref in readings:
            self._other_order(form, state_ref, coalition_ref)
        self._one_name(words)
        raise unreadable(words)


def cases_flag(case) -> str:
    """' --cases DIR' (and ' --only-cases') where a case file was not loaded from the shipped
    cases alone, so that a command line printed for a reader to replay reads the same files."""
    try:
        shipped = shipped_cases().resolve()
    except OSError:
        shipped = shipped_cases()
    loaded_with = case.case_set.directories if getattr(case, "case_set", None) else None
    if loaded_with is None:  # a file loaded alone, by its path: the directory it sits in
        loaded_with = (shipped, Path(case.path).parent.parent)
    only = loaded_with[0] != shipped
    added = [d for d in loaded_with if d != shipped]
    import shlex

    return "".join(f" --cases {shlex.quote(str(d))}" for d in added) + " --only-cases" * only


# ---- when: the year of the evidence ------------------------------------------------------------
def dated(state, coalition, as_of: int | None = None):
    """The two files' evidence for a question about ``as_of`` (None: the state's latest year).

    Each file gives its evidence dated at or before the year asked, the latest such (its earliest
    where none is that early). Without a year, the state's latest evidence answers, and the
    coalition's evidence for that same year."""
    state = state.at(as_of)
    year = as_of if as_of is not None else state.dating.year
    return state, coalition.at(year)


# ---- who: leaders, targets and states a coalition is not open to ---------------------------------
ASKED = ("member", "candidate")  # the roles a question is asked of; the others have no choice


class NotACandidate(Exception):
    """A question about a state that has a role in the coalition, or no place in it: no forecast."""

    def __init__(self, role: str, reason: str, state, coalition):
        super().__init__(reason)
        self.role, self.reason, self.state, self.coalition = role, reason, state, coalition

    def to_dict(self) -> dict:
        return {"state": self.state.id, "coalition": self.coalition.id,
                "question": f"Will {display_name(self.state.data)} join "
                            f"{display_name(self.coalition.data)}?",
                "role": self.role, "verdict": None, "reason": self.reason}


def role_of(state, coalition) -> tuple[str, str]:
    """(role, reason): leader, target or not-eligible, each with why; else member or candidate.

    A coalition's leader and target are states with a role in it, not a choice about it (D2); a
    coalition ``open_to`` a list of states or kinds of state has no place for the others."""
    data, name = coalition.data, display_name(coalition.data)
    who = display_name(state.data)
    Who = who[:1].upper() + who[1:]  # it starts the sentence: "The United States leads …"
    if state.id == data["leader"]:
        return "leader", f"{Who} leads {name}: it is the coalition's leader, not a candidate"
    if state.id == data.get("target"):
        return "target", f"{Who} is the target {name} is aimed at, not a candidate"
    open_to = data.get("open_to") or ()
    if open_to and state.id not in open_to and state.data.get("kind", "state") not in open_to:
        return "not-eligible", (f"{Who} is not eligible: {name} is open only to the states its "
                                f"file lists ({coalition.path.name}, open_to: "
                                f"{', '.join(open_to)})")
    if state.id in (data.get("members") or ()):
        return "member", f"{Who} is a listed member of {name}"
    return "candidate", f"{Who} is a candidate for {name}"


def candidate(state, coalition) -> str:
    """The role of a state that can be asked about (member or candidate), else NotACandidate."""
    role, reason = role_of(state, coalition)
    if role not in ASKED:
        raise NotACandidate(role, reason, state, coalition)
    return role
