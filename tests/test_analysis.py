"""whatif, flips and matrix: the same rules as `ask`, checked by asking again."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.casefiles.bearing import SHARE_THRESHOLDS
from digital_coalitions.analysis.explore import (
    VERDICT_ORDER,
    candidate_changes,
    flips,
    matrix,
    roles,
    whatif,
)
from digital_coalitions.inference.answer import ask
from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import CoalitionEngine, RepeatableStrategy
from digital_coalitions.casefiles.overrides import apply_overrides
from digital_coalitions.rules.base import rule_info

COALITION = str(Path(sys.executable).with_name("coalition"))


def reask(state, coalition, flip, engine):
    new_state, new_coalition = apply_overrides(state, coalition, flip.assignments)
    return ask(new_state, new_coalition, engine)


@pytest.mark.parametrize("pair", [("south-korea", "chip4"), ("india", "chip4"),
                                  ("china", "ttc"), ("germany", "huawei-5g-exclusion")])
def test_every_flip_really_changes_the_verdict_when_asked_again(base, engine, pair):
    state, coalition = base.states[pair[0]], base.coalitions[pair[1]]
    result = flips(state, coalition, engine, workers=1)
    original = ask(state, coalition, engine)
    assert result.answer.verdict == original.verdict
    assert result.flips, "every shipped question here has some change that moves it"
    for flip in result.flips:
        again = reask(state, coalition, flip, engine)
        assert again.verdict == flip.verdict != original.verdict, flip.assignments
        assert again.likelihood == flip.likelihood
        # the direction is the likelihood of joining's, whatever the verdicts' order
        moved = flip.likelihood["figure"] - original.likelihood["figure"]
        assert moved and flip.direction == ("towards joining" if moved > 0
                                            else "away from joining")


def test_the_direction_of_a_move_agrees_with_its_figure_and_then_its_verdict(base, engine):
    # declines -> resists is a step up VERDICT_ORDER; when resistance sat in a lower band, the
    # figure fell with it and "(towards joining)" told a reader the opposite of the figures beside
    # it. The two ways of staying out now share a band and a base (S1, tests/test_properties.py),
    # so only the evidence's own shifts move the figure (more autonomy lowers it), and where the
    # figure stays put the verdict decides
    level = "industries.semiconductors.reliance.united-states.level=moderate"
    state, coalition = apply_overrides(base.states["south-korea"], base.coalitions["chip4"],
                                       [level])
    result = flips(state, coalition, engine, workers=1)
    assert result.answer.verdict == "declines"
    resisting = [f for f in result.flips if f.verdict == "resists"]
    assert resisting and VERDICT_ORDER.index("resists") > VERDICT_ORDER.index("declines")
    directions = set()
    for flip in resisting:
        moved = flip.likelihood["figure"] - result.answer.likelihood["figure"]
        directions.add(flip.direction)
        assert flip.direction == ("towards joining" if moved >= 0 else "away from joining"), \
            flip.assignments
    assert directions == {"towards joining", "away from joining"}  # both kinds are seen here


def test_flips_are_minimal_and_ranked_by_plausibility(base, engine):
    # the EU and the TTC: some outcomes only a pair of one-step changes reaches
    state, coalition = base.states["eu"], base.coalitions["ttc"]
    result = flips(state, coalition, engine)
    keys = [(not f.within_horizon, f.plausibility) for f in result.flips]
    assert keys == sorted(keys), "within the horizon before structural; then one step before " \
        "several, single changes before pairs (as the memo's alternatives)"
    assert len({k[0] for k in keys}) == 2  # both kinds, so the order between them is tested
    singles = {(f.changes[0].field, f.changes[0].up): f for f in result.flips if len(f.changes) == 1}
    for flip in result.flips:
        if len(flip.changes) == 1 and flip.changes[0].steps > 1:
            # nothing smaller along the same field and direction gives this verdict
            change = flip.changes[0]
            for smaller in candidate_changes(state, coalition):
                if (smaller.field, smaller.up) == (change.field, change.up) and \
                        smaller.steps < change.steps:
                    smaller_answer = ask(*apply_overrides(state, coalition,
                                                          [smaller.assignment]), engine)
                    assert smaller_answer.verdict != flip.verdict
        if len(flip.changes) == 2:
            for change in flip.changes:
                alone = apply_overrides(state, coalition, [change.assignment])
                assert ask(*alone, engine).verdict != flip.verdict, "a pair must need both"
    assert any(len(f.changes) == 2 for f in result.flips), "pairs are searched, and found"
    assert singles


def test_flips_vary_only_what_bears_on_the_question(base):
    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    allowed = ("state.ties.united-states.", "state.autonomy.",
               "state.industries.semiconductors.", "state.targets.china.",
               "coalition.demand", "coalition.framing",
               "coalition.per_member.south-korea.offers.",
               "coalition.per_member.south-korea.pressure.")
    changes = candidate_changes(state, coalition)
    assert changes and all(c.field.startswith(allowed) for c in changes)
    assert not any(".japan." in c.field or "telecom" in c.field for c in changes)
    # one step up and one step down of an ordinal field, booleans flipped
    level = [c for c in changes if c.path.endswith("reliance.united-states.level") and c.steps == 1]
    assert {c.after for c in level} == {"high"}  # critical is the top of its scale
    flags = [c for c in changes if c.path.endswith("substitutable")]
    assert [(c.before, c.after) for c in flags] == [(False, True)]


def test_share_thresholds_are_the_ones_the_rules_use(base, engine):
    """Crossing each export-share threshold changes what SC-01 weighs; nothing between them does."""
    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    path = "industries.semiconductors.target_exposure.china.export_share"

    def points(share):
        answer = ask(*apply_overrides(state, coalition, [f"{path}={share}"]), engine)
        return sorted(f["points"] for f in answer.facts.values()
                      if type(f).__name__ == "Factor" and "to the target are restricted" in f["reason"])

    thresholds = SHARE_THRESHOLDS["export_share"]
    for low, high in zip((0.0,) + thresholds, thresholds + (1.0,)):
        assert points(low) == points(round(high - 0.01, 4)), (low, high)
    for t in thresholds:
        assert points(t) != points(round(t - 0.01, 4)), t


def test_a_pool_of_workers_finds_the_same_flips(base, engine):
    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    alone = flips(state, coalition, engine, workers=1)
    pooled = flips(state, coalition, engine, workers=2)
    assert [f.to_dict() for f in alone.flips] == [f.to_dict() for f in pooled.flips]


def test_whatif_shows_before_and_after(base):
    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    level = "industries.semiconductors.reliance.united-states.level"
    result = whatif(state, coalition, [f"{level}=moderate"])
    assert result.before.verdict == ask(state, coalition).verdict
    assert result.changed["stranglehold"] == ("decisive", "limited")
    assert result.direction == "away from joining"
    assert "OC-01" in result.vanished
    (change,) = result.overrides
    assert change.path == level


def test_matrix_marks_leaders_and_targets_and_asks_everyone_else(base, engine):
    heard = []
    result = matrix(base, engine, progress=lambda *a: heard.append(a))
    assert heard == [(n, len(base.coalitions), "coalitions") for n in range(1, len(base.coalitions) + 1)]
    assert len(result.cells) == len(base.states) * len(base.coalitions)
    for (sid, cid), cell in result.cells.items():
        coalition = base.coalitions[cid]
        if sid in (coalition.data["leader"], coalition.data.get("target")):
            assert cell.answer is None and cell.role in ("leader", "target")
        elif coalition.data.get("open_to") and sid not in coalition.data["open_to"] and \
                base.states[sid].data["kind"] not in coalition.data["open_to"]:
            assert cell.answer is None and cell.role == "not-eligible"
        else:
            assert cell.answer is not None
            assert cell.role == roles(coalition, base.states)[sid]
    korea = result.cells[("south-korea", "chip4")]
    assert korea.role == "member" and korea.answer.verdict == ask(base.states["south-korea"],
                                                                  base.coalitions["chip4"]).verdict


def run(*args):
    return subprocess.run([COALITION, *args], capture_output=True, text=True)


def test_matrix_formats(base, engine):
    from digital_coalitions.cli.analysis import matrix_csv
    from digital_coalitions.text.render import environment

    states, coalitions = len(base.states), len(base.coalitions)
    as_csv = run("matrix", "--format", "csv")  # the command, once; the renderers in-process
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == states * coalitions
    assert {r["role"] for r in rows} == {"leader", "target", "not-eligible", "member", "candidate"}
    assert all(r["verdict"] == "" for r in rows if r["role"] in ("leader", "target",
                                                                 "not-eligible"))
    # written as case files write values, not as Python prints them
    assert {r["contradicts_members"] for r in rows} == {"true", "false", ""}
    assert not {"True", "False", "None"} & {v for r in rows for v in r.values()}
    result = matrix(base, engine)
    assert matrix_csv(result) == as_csv.stdout
    as_json = json.loads(json.dumps(result.to_dict()))
    assert len(as_json["cells"]) == states * coalitions
    as_markdown = environment().get_template("matrix.md.j2").render(x=result)
    assert as_markdown.count("\n| ") == states + 1  # the header row and one row per state
    text = environment().get_template("matrix.txt.j2").render(x=result)
    assert "LEADER" in text and "TARGET" in text
    assert len([line for line in text.splitlines() if line.startswith("south-korea ")]) == 1


def test_flips_and_whatif_commands():
    result = run("flips", "south-korea", "chip4", "--format", "json", "--no-pairs")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "joins-reluctantly" and data["flips"]
    text = run("flips", "south-korea", "chip4", "--no-pairs").stdout
    assert "coalition ask south-korea chip4 --set" in text
    what = run("whatif", "south-korea", "chip4", "--set",
               "industries.semiconductors.reliance.united-states.level=moderate")
    assert what.returncode == 0, what.stderr
    # without a decisive hold nothing compels the heavy sacrifice: T1, not a looser accession
    assert "joins-reluctantly" in what.stdout and "declines" in what.stdout
    assert "Evidence that changed" in what.stdout  # the trace diff
    # values as the case files write them (true, null, a list as words), never as Python prints them
    assert "compulsion: stranglehold → none" in what.stdout
    assert "stranglehold outweighs market: true → false" in what.stdout
    assert not re.search(r"\bNone\b|\bTrue\b|\bFalse\b|\['", what.stdout), what.stdout
    null = run("whatif", "south-korea", "chip4", "--set", "ties.united-states.arms_import_share=null",
               "--set", "ties.united-states.extended_deterrence=false").stdout
    assert "ties.united-states.arms_import_share: 0.72 → null" in null
    assert "ties.united-states.extended_deterrence: true → false" in null
    assert run("whatif", "south-korea", "chip4").returncode == 2


def _activation_seen(activation, seen: list) -> None:
    """Which rule, over which facts, with which bound values: what the agenda was handed."""
    def plain(value):
        return ("fact", value["__factid__"]) if isinstance(value, experta.Fact) else repr(value)

    seen.append((rule_info(activation.rule).id,
                 tuple(sorted(f["__factid__"] for f in activation.facts)),
                 tuple(sorted((k, plain(v)) for k, v in activation.context.items()
                              if not k.startswith("__")))))  # __pattern_<id>__: per engine


class _ReferenceStrategy(experta.strategies.DepthStrategy):
    def get_key(self, activation):
        _activation_seen(activation, self.seen)
        salience, facts = super().get_key(activation)
        return (salience, facts, _Descending(rule_info(activation.rule).id))


class _Watched(RepeatableStrategy):
    def get_key(self, activation):
        _activation_seen(activation, self.seen)
        return super().get_key(activation)


class _Descending(str):
    def __lt__(self, other):
        return str.__gt__(self, other)


def test_the_faster_matcher_keeps_experta_s_order_for_activations_that_tie():
    """Two activations of one OR rule over the same fact tie on the agenda; experta fires them in
    the order it collects them, network order, whichever conflict set changed first."""
    from digital_coalitions.inference.rete import TypedReteMatcher

    E = experta

    class A(E.Fact):
        pass

    class X(E.Fact):
        pass

    class Y(E.Fact):
        pass

    class ByName(E.strategies.DepthStrategy):
        def get_key(self, activation):
            return (activation.rule.salience,
                    sorted((f["__factid__"] for f in activation.facts), reverse=True),
                    activation.rule.__name__)

    class Go(E.Fact):
        pass

    class Base(E.KnowledgeEngine):
        __strategy__ = ByName

        @E.DefFacts()
        def start(self):
            yield A(v=1, w=2)
            yield X()
            yield Y()
            yield Go()

        @E.Rule(Go(), salience=10)
        def retract_both(self):  # in one step, so that both activations arrive together
            facts = {type(f): f for f in self.facts.values()}
            for kind in self.order:
                self.retract(facts[kind])

        @E.Rule(E.OR(E.AND(A(v=E.MATCH.v), E.NOT(X())), E.AND(A(w=E.MATCH.v), E.NOT(Y()))))
        def seen(self, v):
            self.fired.append(v)

    def fired(matcher, order):
        engine = type("Engine", (Base,), {"__matcher__": matcher})()
        engine.fired, engine.order = [], order
        engine.reset()
        engine.run()
        return engine.fired

    for order in ((X, Y), (Y, X)):
        assert fired(TypedReteMatcher, order) == fired(E.matchers.rete.ReteMatcher, order)


def test_tokens_without_their_checks_are_still_experta_s_tokens():
    """engine.py drops the Token's argument checks: the tokens themselves must not change."""
    import digital_coalitions.inference.engine  # noqa: F401 - the module that lightens the tokens

    Token = experta.matchers.rete.token.Token
    one, two = experta.Fact(a=1), experta.Fact(b=2)
    token = Token.valid(one)
    assert token == (Token.TagType.VALID, {one}, {}) and token.is_valid()
    assert isinstance(token.data, set) and type(token) is Token
    pair = Token.invalid([one, two], {"x": 1})
    assert pair.data == {one, two} and pair.context == {"x": 1} and not pair.is_valid()
    copied = pair.copy()
    assert copied == pair and type(copied) is Token
    assert copied.data is not pair.data and copied.context is not pair.context
    assert pair.to_info() == copied.to_info()


def test_the_network_is_built_from_the_rules_experta_would_prepare():
    """rete.prepare rewrites each rule as experta's prepare_rule does (normal form, InitialFact),
    making the rule once instead of at every step: every rule comes out equal, conditions, order,
    salience and function (rules with OR and NOT among them)."""
    import experta.matchers.rete.utils as utils

    from digital_coalitions.inference import rete

    engine = CoalitionEngine()
    rules = engine.get_rules()
    kinds = set()
    for rule in rules:
        theirs, ours = utils.prepare_rule(rule), rete.prepare(rule)
        assert ours == theirs and tuple(ours) == tuple(theirs), rule_info(rule).id
        assert (ours.salience, ours._wrapped) == (theirs.salience, theirs._wrapped)
        kinds |= {type(c).__name__ for c in rule}
    assert {"OR", "NOT"} <= kinds
    assert rete.TypedReteMatcher.prepare_ruleset(engine) == \
        experta.matchers.rete.ReteMatcher.prepare_ruleset(engine)
    # and for rules written the other ways experta allows (a NOT first, no fact, nested forms)
    F = experta.Fact
    for conditions in [(), (experta.NOT(F(a=1)),), (experta.TEST(lambda: True),),
                       (experta.OR(F(a=1), experta.AND(F(b=2), experta.NOT(F(c=3)))),),
                       (F(a=1) | F(b=2), experta.NOT(experta.NOT(F(c=experta.L(1) | experta.L(2))))),
                       (experta.AND(experta.OR(F(a=1), F(b=1)), experta.OR(F(c=1), F(d=1))),)]:
        rule = experta.Rule(*conditions, salience=3)(lambda self: None)
        assert rete.prepare(rule) == utils.prepare_rule(rule), conditions


def test_the_faster_matcher_fires_exactly_what_experta_fires(base):
    """engine/inference/rete.py is an optimisation only: same firings, same facts, same order, on shipped
    pairings and on changed evidence (one search change each, as flips asks)."""

    class Reference(CoalitionEngine):
        __matcher__ = experta.matchers.rete.ReteMatcher
        __strategy__ = _ReferenceStrategy

    class Fast(CoalitionEngine):
        __strategy__ = _Watched

    fast = Fast()
    states, coalitions = sorted(base.states), sorted(base.coalitions)
    questions = []
    for i, s in enumerate(states):
        for j, c in enumerate(coalitions):
            if (i + j) % 4 == 0:
                state, coalition = base.states[s], base.coalitions[c]
                changes = candidate_changes(state, coalition)
                questions.append((state, coalition))
                if changes:
                    questions.append(apply_overrides(state, coalition,
                                                     [changes[(i * j) % len(changes)].assignment]))
    fast.strategy.seen = []
    fast_runs = [ask(state, coalition, fast) for state, coalition in questions]
    reference = Reference()
    reference.strategy.seen = []
    for (state, coalition), quick in zip(questions, fast_runs):
        slow = ask(state, coalition, reference)
        assert [(f.rule, f.matched, f.consulted, f.asserted) for f in quick.firings] == \
            [(f.rule, f.matched, f.consulted, f.asserted) for f in slow.firings], \
            (state.id, coalition.id)
        assert quick.unfired == slow.unfired
    # every activation, with its bindings (experta hands them over in set order: compared sorted)
    assert sorted(fast.strategy.seen) == sorted(reference.strategy.seen)


# ---- Ctrl-C during a search: "Aborted!", never a worker's traceback ------------------------------
def test_the_search_workers_leave_ctrl_c_to_the_parent(base, engine):
    import signal

    from digital_coalitions.analysis.explore import POOL_THRESHOLD, _Asker, _Runner

    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    # a suite started in the background (`pytest &`) inherits SIGINT ignored: give this process
    # Python's own handler, so that the workers' SIG_IGN is theirs and not inherited
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with _Runner(_Asker(state, coalition, engine), workers=2) as runner:
            if runner.workers < 2:
                pytest.skip("one core: the search runs in this process")
            runner.map([()] * POOL_THRESHOLD, verdicts=True)  # forks the workers
            assert runner.pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN
        # this process: untouched
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    finally:
        signal.signal(signal.SIGINT, inherited)


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def assert_ctrl_c_mid_search_aborts(argv, tries: int) -> None:
    """Ctrl-C as a terminal sends it (SIGINT to the whole process group) once ``argv``'s workers
    are forked: the command ends with click's "Aborted!" and status 1, no traceback. A run that
    finishes before the signal arrives proves nothing and is tried again."""
    import os
    import signal
    import time

    for _ in range(tries):
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        while process.poll() is None and not _children(process.pid):
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            continue  # the search ended before the signal: nothing to check
        assert process.returncode == 1 and err.decode().strip() == "Aborted!", err.decode()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to find the workers")
def test_ctrl_c_during_flips_aborts_without_a_traceback():
    assert_ctrl_c_mid_search_aborts([COALITION, "flips", "south-korea", "chip4"], tries=3)


# ---- progress on a terminal (issue 11, item 21) ------------------------------------------------
def test_flips_reports_each_question_to_its_progress_callback(base, engine):
    heard = []
    state, coalition = base.states["south-korea"], base.coalitions["chip4"]
    result = flips(state, coalition, engine, workers=1, progress=lambda *a: heard.append(a))
    stages = {}
    for done, total, what in heard:
        stages.setdefault(what, []).append((done, total))
    assert list(stages) == ["one-step changes", "pairs"]
    for calls in stages.values():  # one call per answer, counting up to the stage's total
        total = calls[0][1]
        assert calls == [(n, total) for n in range(1, total + 1)]
    assert stages["one-step changes"][-1][0] == len(candidate_changes(state, coalition))
    assert result.flips
    pooled = []
    flips(state, coalition, engine, workers=2, progress=lambda *a: pooled.append(a))
    assert pooled == heard  # the forked workers' answers are counted as they arrive, in order


def on_a_terminal(*args) -> tuple[str, str]:
    """Run `coalition ARGS` with stderr on a pseudo-terminal: (stdout, what the terminal got)."""
    import os
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen([COALITION, *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    stdout = process.communicate()[0].decode()
    assert process.returncode == 0
    return stdout, seen.decode()


def test_flips_shows_progress_on_a_terminal_and_nowhere_else():
    stdout, terminal = on_a_terminal("flips", "south-korea", "chip4", "--no-pairs", "--format",
                                     "json")
    assert "\rflips: one-step changes 1/" in terminal and terminal.endswith("\r\x1b[K")
    json.loads(stdout)  # the JSON is untouched
    assert on_a_terminal("flips", "south-korea", "chip4", "--no-pairs", "--quiet")[1] == ""
    piped = run("flips", "south-korea", "chip4", "--no-pairs")
    assert piped.returncode == 0 and piped.stderr == ""  # not a terminal: silent


def test_the_flips_heading_agrees_in_number(base, engine):
    """"1 smallest change that change the verdict": the verb did not follow the count."""
    import dataclasses

    from digital_coalitions.text.render import environment

    result = flips(base.states["japan"], base.coalitions["chip4"], engine, pairs=False, workers=1)
    assert len(result.flips) > 1
    template = environment().get_template("flips.txt.j2")
    order = " (what can change within two years before what is structural, then the fewest " \
        "and smallest changes):"
    for count, heading in ((len(result.flips), f"{len(result.flips)} smallest changes that "
                            "change the verdict, most plausible first" + order),
                           (1, "1 smallest change that changes the verdict, most plausible "
                            "first" + order)):
        text = template.render(f=dataclasses.replace(result, flips=result.flips[:count]))
        assert heading in text.splitlines()


def test_flips_print_an_unknown_value_as_the_file_writes_it(base, engine):
    # Sweden's arms-import share is null (unknown); the search steps it from 0, and flips
    # printed "0 -> 0.5" where the memo says "an unknown share" (a diff review)
    from digital_coalitions.casefiles.question import dated
    from digital_coalitions.text.render import environment

    result = flips(*dated(base.states["sweden"], base.coalitions["huawei-5g-exclusion"]), engine,
                   pairs=False, workers=1)
    path = "ties.united-states.arms_import_share"
    (change,) = {c for f in result.flips for c in f.changes if c.path == path and c.after == 0.5}
    assert change.before == 0 and result.unknown(change)
    assert not any(result.unknown(c) for f in result.flips for c in f.changes if c.path != path)
    text = environment().get_template("flips.txt.j2").render(f=result)
    assert f"state.{path}: null (unknown) -> 0.5" in text and f"state.{path}: 0 ->" not in text


def test_a_flips_try_line_asks_the_flips_question_again_with_the_questions_own_set():
    # asked with a --set of its own, each "try:" line must carry it, or it asks another question
    args = ["south-korea", "chip4", "--set", "autonomy.government_alignment=autonomist"]
    found = json.loads(run("flips", *args, "--no-pairs", "--format", "json").stdout)
    assert found["flips"]
    for flip in found["flips"][:3]:
        assert flip["replay"][0] == "autonomy.government_alignment=autonomist"
        again = ["ask", "south-korea", "chip4"] + [x for a in flip["replay"] for x in ("--set", a)]
        assert json.loads(run(*again, "--format", "json").stdout)["verdict"] == flip["verdict"]
    text = run("flips", *args, "--no-pairs").stdout
    assert "try: coalition ask south-korea chip4 --set 'autonomy.government_alignment=autonomist'" \
           " --set '" in text
