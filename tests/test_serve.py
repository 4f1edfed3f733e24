"""`coalition serve`: every route of the explorer through Starlette's test client, compared with
what the library and the command line say for the same question."""

import hashlib
import html
import json
import re
from urllib.parse import parse_qsl
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from digital_coalitions import Cases, api
from digital_coalitions.audit.trace import render_diff_text
from digital_coalitions.audit.why import render_why_text
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.report.svgmap import VERDICT_COLOURS
from digital_coalitions.rules.concepts import ICD203
from digital_coalitions.serve import allowed_hosts, create_app, is_loopback

COALITION = str(Path(sys.executable).with_name("coalition"))
LEVEL = "state.industries.semiconductors.reliance.united-states.level"
ARMS = "state.ties.united-states.arms_import_share"
SK = {"state": "south-korea", "coalition": "chip4"}
URL = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def cases():
    return Cases()


@pytest.fixture(scope="module")
def client(cases):
    return TestClient(create_app(cases), base_url=URL)


def cli(*args):
    return subprocess.run([COALITION, *args], capture_output=True, text=True)


def cli_verdict(command: str) -> str:
    """Run a `coalition ask …` line as shown by the explorer; its verdict."""
    words = shlex.split(command)
    assert words[:2] == ["coalition", "ask"]
    result = cli(*words[1:], "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["verdict"]


def shown_verdict(page: str) -> str:
    return re.search(r'id="verdict">([^<]+)<', page).group(1)


def pre_text(page: str) -> str:
    """The text of the page's one <pre> block, as a reader sees it."""
    return html.unescape(page.split("<pre", 1)[1].split(">", 1)[1].split("</pre>")[0])


def tree_bytes(*folders) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(Path(folder).rglob("*")) if p.is_file()}


# ---- the question page and the update ----------------------------------------------------------
def test_the_page_shows_the_answer_the_library_gives(client, cases):
    page = client.get("/", params=SK)
    assert page.status_code == 200
    answer = api.ask("south-korea", "chip4", cases=cases)
    assert shown_verdict(page.text) == answer.verdict
    assert f"{answer.likelihood['figure']}%" in page.text
    assert answer.confidence["level"] in page.text
    for step in answer.chain:  # the chain with its rule IDs, each with a why
        assert step.rule in page.text and f'data-why="{step.concept}"' in page.text
    assert 'data-state="south-korea"' in page.text  # the map, its points selectable
    assert "coalition ask south-korea chip4</pre>" in page.text


def test_the_chain_rows_are_the_concepts_labels_and_mark_the_projects_readings(client, cases):
    from digital_coalitions.inference.engine import RULES
    from digital_coalitions.rules.concepts import CONCEPT

    page = client.get("/", params={"state": "japan", "coalition": "clean-network"}).text
    answer = api.ask("japan", "clean-network", cases=cases)
    rows = page.split('<table class="chain">', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    assert len(rows) == len(answer.chain)
    ours = [s.rule for s in answer.chain if RULES[s.rule].reading == "project"]
    assert ours  # else the question tests nothing
    for step, row in zip(answer.chain, rows):
        label = CONCEPT[step.concept].chain_label.format(leader="the United States", domain="telecom")
        assert f"<td>{label}</td>" in html.unescape(row)  # every row named, none by its key
        assert ("(our reading)" in row) is (step.rule in ours), row
        if step.value is True:  # as `coalition ask` says it
            assert '<td class="value">yes</td>' in row


def test_names_resolve_as_ask_resolves_them(client):
    by_name = client.get("/", params={"state": "Republic of Korea", "coalition": "Fab 4"})
    by_sentence = client.get("/", params={"q": "Will South Korea join the Chip 4 alliance?"})
    for page in (by_name, by_sentence):
        assert page.status_code == 200
        assert '<option value="south-korea" selected>' in page.text
        assert '<option value="chip4" selected>' in page.text
    # the question as a sentence says it, article and dash included, as `coalition ask` does
    page = client.get("/", params={"state": "eu", "coalition": "ttc"}).text
    heading = "Will the European Union join the EU–US Trade and Technology Council?"
    assert f'<h2 class="question">{heading}</h2>' in page
    assert "Will European Union" not in page
    assert heading in cli("ask", "eu", "ttc").stdout


def test_every_value_that_bears_on_the_question_has_a_control(client, cases):
    from digital_coalitions.casefiles.bearing import bearing

    page = client.get("/", params=SK).text
    slots = bearing(*cases.question("south-korea", "chip4"))
    for slot in slots:
        kind = {"scale": "select", "flag": 'input type="checkbox"', "share": 'input type="number"'}
        assert re.search(rf'<{kind[slot.form]}[^>]*name="{re.escape(slot.field)}"', page), slot


def test_one_change_updates_the_answer_and_the_set_line_reproduces_it(client, cases):
    reply = client.post("/answer", data={**SK, LEVEL: "moderate"})
    assert reply.status_code == 200
    got = reply.json()
    expected = api.ask("south-korea", "chip4", cases=cases, set=[f"{LEVEL}=moderate"])
    assert got["verdict"] == expected.verdict != api.ask("south-korea", "chip4").verdict
    assert got["command"] == f"coalition ask south-korea chip4 --set {LEVEL}=moderate"
    assert cli_verdict(got["command"]) == got["verdict"]
    assert f'id="verdict">{expected.verdict}<' in got["answer"]
    assert got["changed"] == [LEVEL]


def test_without_script_the_form_submits_and_the_page_answers(client, cases):
    """The evidence form is a GET form: its fields alone give the same view as an update."""
    flag = "state.industries.semiconductors.catch_up"  # a checkbox: hidden false, then true
    page = client.get("/", params=[("state", "south-korea"), ("coalition", "chip4"),
                                   (LEVEL, "moderate"), (flag, "false")]).text
    sets = [f"{LEVEL}=moderate", f"{flag}=false"]
    assert shown_verdict(page) == api.ask("south-korea", "chip4", cases=cases, set=sets).verdict
    # in the order of the controls (bearing's), whatever the order of the fields
    assert f"coalition ask south-korea chip4 --set {flag}=false --set {LEVEL}=moderate</pre>" in page
    kept = client.get("/", params=[("state", "south-korea"), ("coalition", "chip4"),
                                   (flag, "false"), (flag, "true")]).text  # checked: unchanged
    assert "coalition ask south-korea chip4</pre>" in kept


def test_the_year_and_a_flag_reach_the_command_line(client, cases):
    field = "coalition.per_member.south-korea.offers.subsidies"
    got = client.post("/answer", data={**SK, "year": "2019", field: "false"}).json()
    assert got["command"] == f"coalition ask south-korea chip4 --as-of 2019 --set {field}=false"
    assert got["verdict"] == api.ask("south-korea", "chip4", cases=cases, as_of=2019,
                                     set=[f"{field}=false"]).verdict
    assert cli_verdict(got["command"]) == got["verdict"]


def test_an_added_case_directory_reaches_the_command_line(tmp_path):
    (tmp_path / "states").mkdir()
    text = (shipped_cases() / "states" / "south-korea.yaml").read_text()
    (tmp_path / "states" / "south-korea.yaml").write_text(
        text.replace("government_alignment: pro-leader", "government_alignment: autonomist", 1))
    mine = TestClient(create_app(Cases(tmp_path)), base_url=URL)
    got = mine.post("/answer", data={**SK, LEVEL: "high"}).json()
    assert got["command"] == (f"coalition ask south-korea chip4 --cases {shlex.quote(str(tmp_path))}"
                              f" --set {LEVEL}=high")
    assert cli_verdict(got["command"]) == got["verdict"] == api.ask(
        "south-korea", "chip4", cases=Cases(tmp_path), set=[f"{LEVEL}=high"]).verdict


def test_a_value_equal_to_the_files_is_no_change(client):
    got = client.post("/answer", data={**SK, LEVEL: "critical", ARMS: "0.72"}).json()
    assert got["command"] == "coalition ask south-korea chip4" and got["changed"] == []


def _set_error(assignment: str) -> list[str]:
    result = cli("ask", "south-korea", "chip4", "--set", assignment)
    assert result.returncode == 2
    return [line.removeprefix("error: ") for line in result.stderr.splitlines()]


@pytest.mark.parametrize("field,value", [(ARMS, "1.7"), (ARMS, "lots"), (LEVEL, "total")])
def test_a_bad_value_gets_the_set_error_beside_its_control(client, field, value):
    expected = _set_error(f"{field}={value}")
    assert len(expected) == 1
    reply = client.post("/answer", data={**SK, field: value, LEVEL if field != LEVEL else ARMS:
                                         "moderate" if field != LEVEL else "0.72"})
    assert reply.status_code == 422
    got = reply.json()
    assert got["errors"] == {field: expected}
    assert "Traceback" not in reply.text
    # the good change is still applied, and only it is in the command line
    if field != LEVEL:
        assert got["command"].endswith(f"--set {LEVEL}=moderate")
    # without script, the page shows the same line in the control's own error slot
    page = client.get("/", params={**SK, "set": f"{field}={value}"}).text
    block = page.split(f'data-field="{field}"', 1)[1].split("</div>", 1)[0]
    assert expected[0] in html.unescape(block)


def test_a_bad_question_is_one_line_not_a_traceback(client):
    page = client.get("/", params={"state": "atlantis", "coalition": "chip4"})
    assert page.status_code == 400
    expected = cli("ask", "atlantis", "chip4").stderr.splitlines()[0].removeprefix("error: ")
    assert html.escape(expected, quote=True) in page.text or expected in html.unescape(page.text)
    for bad in ({"state": "/etc/passwd", "coalition": "chip4"}, {**SK, "year": "soon"},
                {"q": "Will ../../etc/x.yaml join chip4?"}):
        reply = client.get("/", params=bad)
        assert reply.status_code == 400 and "Traceback" not in reply.text
        assert len(re.findall(r'class="problem"', reply.text)) == 1


def test_a_state_with_no_choice_is_answered_as_ask_answers_it(client):
    page = client.get("/", params={"state": "china", "coalition": "chip4"})
    assert page.status_code == 200
    role = cli("ask", "china", "chip4", "--format", "json")
    assert html.escape(json.loads(role.stdout)["reason"]) in page.text


def test_an_unexpected_failure_is_one_line_without_a_traceback(cases, monkeypatch):
    quiet = TestClient(create_app(cases), base_url=URL, raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(api, "ask", broken)
    reply = quiet.get("/", params=SK)
    assert reply.status_code == 500
    assert "secret internals" not in reply.text and "Traceback" not in reply.text


# ---- the panels --------------------------------------------------------------------------------
def test_the_trace_diff_is_whatifs(client, cases):
    reply = client.get("/diff", params={**SK, "set": f"{LEVEL}=moderate"},
                       headers={"X-Explorer": "fragment"})
    assert reply.status_code == 200
    result = api.whatif("south-korea", "chip4", cases=cases, set=[f"{LEVEL}=moderate"])
    assert pre_text(reply.text) == render_diff_text(result.trace_changes)
    assert "<html" not in reply.text  # a fragment; asked for directly it is a page
    assert "<html" in client.get("/diff", params={**SK, "set": f"{LEVEL}=moderate"}).text


def test_why_is_the_why_commands_text(client, cases):
    reply = client.get("/why", params={**SK, "set": f"{LEVEL}=moderate", "concept": "stranglehold"})
    assert reply.status_code == 200
    expected = render_why_text(api.explain("south-korea", "chip4", concept="stranglehold",
                                           cases=cases, set=[f"{LEVEL}=moderate"]))
    assert pre_text(reply.text) == expected
    bad = client.get("/why", params={**SK, "concept": "luck"})
    assert bad.status_code == 400 and "unknown concept 'luck'" in html.unescape(bad.text)


def test_the_page_says_what_ask_says_of_the_years_and_the_members_list(client):
    # a proposal asked about before its founding, and a listed member left out by a change:
    # `ask` printed both, the page printed neither
    for params, args in [({**SK, "year": "2020"}, ["--as-of", "2020"]),
                         ({**SK, "set": "industries.semiconductors.reliance.united-states."
                                        "level=moderate"},
                          ["--set", "industries.semiconductors.reliance.united-states."
                                    "level=moderate"])]:
        page = html.unescape(client.get("/", params=params).text)
        shown = re.findall(r'<p class="caveat">([^<]+)</p>', page)
        said = subprocess.run([str(Path(sys.executable).with_name("coalition")), "ask",
                               "south-korea", "chip4", *args], capture_output=True,
                              text=True).stdout
        wanted = [line for line in said.splitlines() if line.startswith(("Note:", "Caveat:"))]
        assert wanted and shown == [line.replace("changed by --set", "changed here")
                                    for line in wanted], (shown, wanted)
    assert '<p class="caveat">' not in client.get("/", params=SK).text


def test_the_likelihood_strip_marks_the_answers_band_at_its_figure(client, cases):
    # HTML cells, not a scaled SVG whose words shrank to a few pixels in a narrow pane
    answer = api.ask("south-korea", "chip4", cases=cases)
    page = client.get("/", params=SK).text
    strip = page.split('<ol class="strip"', 1)[1].split("</ol>", 1)[0]
    bands = re.findall(r'<li class="band( here)?"><span class="band-term">([^<]+)</span> '
                       r'<span class="band-range">(\d+)–(\d+)%</span>', strip)
    assert [term for _, term, _, _ in bands] == [term for term, _, _ in ICD203]
    (here,) = [(term, int(low), int(high)) for mark, term, low, high in bands if mark]
    term, low, high = here
    assert term == answer.likelihood["term"]
    (left,) = re.findall(r'class="marker" aria-hidden="true" style="left: ([\d.]+)%"', strip)
    assert float(left) == round(100 * (answer.likelihood["figure"] - low) / (high - low), 1)


def test_flips_are_the_librarys_and_a_click_applies_one(client, cases):
    reply = client.get("/flips", params=SK, headers={"X-Explorer": "fragment"})
    assert reply.status_code == 200
    found = api.flips("south-korea", "chip4", cases=cases, workers=1).flips
    links = re.findall(r'<a class="flip" href="([^"]+)"', reply.text)
    assert len(links) == len(found) > 0
    # each change in the memo's words, its field path beneath it for those who edit files
    shown = html.unescape(reply.text)
    assert "technology it could replace within a few years instead of technology it cannot " \
           "replace within a few years" in shown
    assert '<code class="path">state.industries.semiconductors.reliance.united-states.' \
           'substitutable: false -> true</code>' in shown
    first = client.get(html.unescape(links[0]))
    assert shown_verdict(first.text) == found[0].verdict
    for change in found[0].changes:
        assert html.escape(change.assignment) in first.text  # in the --set line


def test_a_flip_link_keeps_the_pages_own_change_once(client, cases):
    # the page's change, typed without its file's prefix, and each flip's, as flips' try: lines
    own = "autonomy.government_alignment=autonomist"
    reply = client.get("/flips", params={**SK, "set": own}, headers={"X-Explorer": "fragment"})
    assert reply.status_code == 200
    found = api.flips("south-korea", "chip4", cases=cases, set=["state." + own], workers=1)
    links = [html.unescape(link) for link in re.findall(r'<a class="flip" href="([^"]+)"',
                                                         reply.text)]
    assert len(links) == len(found.flips) > 0
    for link, flip in zip(links, found.flips):
        sets = [value for key, value in parse_qsl(link.split("?", 1)[1]) if key == "set"]
        assert sets == found.replay(flip)
        assert sum(a.endswith(own) for a in sets) == 1, sets  # the page's change, once
    first = client.get(links[0])
    assert first.status_code == 200 and shown_verdict(first.text) == found.flips[0].verdict


def test_the_map_is_the_map_commands_with_the_state_highlighted(client, cases):
    reply = client.get("/map.svg", params=SK)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg")
    cli_map = cli("map", "chip4", "--highlight", "south-korea")
    assert cli_map.returncode == 0, cli_map.stderr
    assert reply.text.strip() == cli_map.stdout.strip()
    moved = client.get("/map", params={**SK, "set": f"{LEVEL}=moderate"}).text
    assert "South Korea: declines" in moved.split('data-state="south-korea"')[1][:300]
    assert "South Korea: declines" not in reply.text
    # the files' answers are kept between maps (api.coalition_map's reuse=), never the changed one
    assert client.get("/map.svg", params=SK).text == reply.text


def test_the_matrix_colours_each_cell_by_the_librarys_verdict_and_links_it(client, cases):
    reply = client.get("/matrix")
    assert reply.status_code == 200
    grid = api.matrix(cases=cases)
    cells = re.findall(r'<td data-verdict="([^"]+)"><a href="/\?state=([^&]+)&amp;coalition=([^"&]+)"',
                       reply.text)
    answered = {(c.state, c.coalition): c.answer.verdict for c in grid.cells.values() if c.answer}
    assert {(s, c): v for v, s, c in cells} == answered


def test_the_verdict_colours_are_the_maps_and_defined_once(client):
    css = client.get("/verdicts.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for verdict, colour in VERDICT_COLOURS.items():
        assert re.search(rf'\[data-verdict="{verdict}"\] {{ background: {colour}; color: '
                         r'#(000000|ffffff); }', css.text)
    root = Path(__file__).resolve().parents[1]
    copies = [f"{path.name}: {h}" for path in [*root.glob("engine/serve/**/*.*"),
                                               *root.glob("templates/serve/*.j2")]
              if path.suffix in (".py", ".css", ".js", ".j2")
              for h in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text())
              if h.upper() in {c.upper() for c in VERDICT_COLOURS.values()}]
    assert copies == []


# ---- downloads ---------------------------------------------------------------------------------
def test_the_downloaded_case_file_loads_and_gives_the_views_answer(client, cases, tmp_path):
    sets = [f"{LEVEL}=moderate", "coalition.per_member.south-korea.offers.subsidies=false"]
    view = client.post("/answer", data={**SK, LEVEL: "moderate",
                                        "coalition.per_member.south-korea.offers.subsidies": "false"}
                       ).json()
    for kind, folder, name in (("state", "states", "south-korea"), ("coalition", "coalitions",
                                                                     "chip4")):
        reply = client.get(f"/download/{kind}.yaml", params={**SK, "set": sets})
        assert reply.status_code == 200
        assert f'filename="{name}.yaml"' in reply.headers["content-disposition"]
        # its sources were cited for the original values (a trial's reader took them for the new)
        assert ("# its sources are the original's: they support the original values, not these "
                "changes\n") in reply.text
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{name}.yaml").write_text(reply.text)
    from digital_coalitions.casefiles.loader import load_file

    assert load_file(tmp_path / "states" / "south-korea.yaml", "state").id == "south-korea"
    mine = api.ask("south-korea", "chip4", cases=Cases(tmp_path))  # the project's loader
    assert mine.verdict == view["verdict"]
    assert mine.state.path == tmp_path / "states" / "south-korea.yaml"
    assert cli("ask", "south-korea", "chip4", "--cases", str(tmp_path)).returncode == 0


@pytest.mark.parametrize("fmt,marker", [("md", "# "), ("html", "<html")])
def test_the_memo_of_the_view_downloads(client, cases, fmt, marker):
    reply = client.get(f"/download/memo.{fmt}", params={**SK, "set": f"{LEVEL}=moderate"})
    assert reply.status_code == 200 and "attachment" in reply.headers["content-disposition"]
    assert marker in reply.text
    memo = api.memo("south-korea", "chip4", cases=cases, set=[f"{LEVEL}=moderate"],
                    fmt="html" if fmt == "html" else "markdown")
    assert memo.memo.answer.verdict == "declines" and "declines" in reply.text
    assert reply.text.count("--set") >= 1
    assert client.get("/download/memo.pdf", params=SK).status_code == 400


# ---- security ----------------------------------------------------------------------------------
@pytest.mark.parametrize("host,status", [("127.0.0.1:8765", 200), ("localhost:8765", 200),
                                         ("[::1]:8765", 200), ("evil.example", 400),
                                         ("127.0.0.1.evil.example:8765", 400), ("", 400)])
def test_the_host_header_is_checked(client, host, status):
    reply = client.get("/static/explorer.css", headers={"Host": host})
    assert reply.status_code == status
    if status == 400:
        assert reply.text.count("\n") == 1 and reply.text.startswith("error: Host header")


def test_remote_hosts_need_an_explicit_name():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    assert "192.0.2.7" in allowed_hosts("192.0.2.7") and "evil.example" not in allowed_hosts("::")


def test_request_bodies_are_bounded(client):
    big = "x=" + "a" * (70 * 1024)
    reply = client.post("/answer", content=big,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 413 and reply.text.startswith("error: the request body is over")

    def chunks():  # no Content-Length: the bound is counted as the body arrives
        for _ in range(80):
            yield b"a" * 1024
    reply = client.post("/answer", content=chunks(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 413
    assert client.get("/", params={"q": "x" * 20000}).status_code == 414


def test_a_case_file_value_and_a_request_value_are_escaped(tmp_path):
    (tmp_path / "states").mkdir()
    text = (shipped_cases() / "states" / "south-korea.yaml").read_text()
    text = text.replace("name: South Korea", "name: South <script>alert(1)</script> Korea", 1)
    (tmp_path / "states" / "south-korea.yaml").write_text(text)
    client = TestClient(create_app(Cases(tmp_path)), base_url=URL)
    page = client.get("/", params=SK)
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "South &lt;script&gt;alert(1)&lt;/script&gt; Korea" in page.text
    assert "<script>alert" not in client.post("/answer", data={**SK, LEVEL: "moderate"}).text
    assert "<script>alert" not in client.get("/matrix").text
    hostile = client.get("/", params={"state": "<script>alert(2)</script>", "coalition": "chip4"})
    assert hostile.status_code == 400 and "<script>alert(2)" not in hostile.text
    hostile = client.post("/answer", data={**SK, LEVEL: "<script>alert(3)</script>"})
    assert hostile.status_code == 422  # its error is JSON, which the page sets as text
    assert "<script>" not in hostile.json()["answer"] and hostile.json()["errors"][LEVEL]
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_no_case_file_is_ever_written(tmp_path):
    (tmp_path / "states").mkdir()
    original = (shipped_cases() / "states" / "south-korea.yaml")
    (tmp_path / "states" / "south-korea.yaml").write_bytes(original.read_bytes())
    before = tree_bytes(shipped_cases(), tmp_path)
    client = TestClient(create_app(Cases(tmp_path)), base_url=URL)
    query = {**SK, "set": [f"{LEVEL}=moderate", "autonomy.government_alignment=autonomist"]}
    assert client.post("/answer", data={**SK, LEVEL: "low"}).status_code == 200
    for route in ("/", "/diff", "/why?concept=verdict", "/map", "/map.svg", "/download/state.yaml",
                  "/download/coalition.yaml"):
        path, _, extra = route.partition("?")
        params = {**query, **dict([extra.split("=")])} if extra else query
        assert client.get(path, params=params).status_code == 200, route
    assert tree_bytes(shipped_cases(), tmp_path) == before


# ---- the command ------------------------------------------------------------------------------
def test_serve_without_the_extra_says_how_to_install_it():
    blocker = ("import sys, importlib.abc\n"
               "class Block(importlib.abc.MetaPathFinder):\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in ('starlette', 'uvicorn'):\n"
               "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
               "sys.meta_path.insert(0, Block())\n"
               "from digital_coalitions import main\n"
               "sys.argv = ['coalition', 'serve']\n"
               "main()\n")
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: coalition serve needs the serve extra (starlette is not installed); install it "
        "with: pip install 'digital-coalitions[serve]'"]


def test_serve_refuses_a_remote_host_without_the_flag():
    result = cli("serve", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: --host 0.0.0.0: not a loopback address; "
                                          "expected 127.0.0.1, or --allow-remote to listen on "
                                          "the network on purpose"]
