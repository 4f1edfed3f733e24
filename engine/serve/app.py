"""The explorer's web application (Starlette): routes over the library API, one warm engine.

Every route is a plain function run in Starlette's thread pool; each holds ``ENGINE_LOCK`` while
it asks, because experta engines are not re-entrant and ``Cases`` loads files lazily. Pages and
fragments are rendered from ``templates/serve/`` in the project's one sandboxed environment,
autoescaped: every value from a case file or a request is escaped.
"""

from __future__ import annotations

import logging
import threading
from importlib.resources import files
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from digital_coalitions import api
from digital_coalitions.audit.trace import render_diff_text
from digital_coalitions.audit.why import render_why_text
from digital_coalitions.casefiles.schema import display_name
from digital_coalitions.errors import BadInput
from digital_coalitions.report.svgmap import VERDICT_COLOURS, VERDICT_WORDS
from digital_coalitions.rules.concepts import CONCEPTS, ICD203
from digital_coalitions.serve import view as V
from digital_coalitions.serve.download import case_yaml
from digital_coalitions.serve.guard import BodyLimit, HostCheck, SecurityHeaders
from digital_coalitions.text.render import environment
from digital_coalitions.text.wording import Words, short_names

ENGINE_LOCK = threading.Lock()
log = logging.getLogger("digital_coalitions.serve")

def _ink(colour: str) -> str:
    """Black or white text, whichever reads on ``colour`` (WCAG relative luminance)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lum = sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
              for w, c in zip((0.2126, 0.7152, 0.0722), channels))
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def _environment():
    env = environment()
    env.autoescape = True  # every value is escaped unless a template says it is markup
    env.globals.update(icd203=ICD203, colours=VERDICT_COLOURS, verdict_words=VERDICT_WORDS,
                       ink=_ink, urlencode=urlencode)
    return env


class Explorer:
    """The application's state: one ``Cases`` for its life, the templates, the matrix cache."""

    def __init__(self, cases: api.Cases):
        self.cases = cases
        self.env = _environment()
        self.matrices: dict = {}  # year -> api.matrix, computed once
        self.map_answers: dict = {}  # (coalition, year) -> the files' answers (coalition_map)

    # ---- helpers ------------------------------------------------------------------------------
    def render(self, name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(f"serve/{name}").render(**context),
                            status_code=status)

    def fragment(self, request: Request, title: str, name: str, **context) -> HTMLResponse:
        """A panel the page loads into itself, or (asked for directly) a page of its own."""
        body = self.env.get_template(f"serve/{name}").render(**context)
        if request.headers.get("x-explorer") == "fragment":
            return HTMLResponse(body)
        return self.render("fragment.html.j2", title=title, body=body,
                           back=context.get("back", "/"))

    def choices(self) -> dict:
        states = sorted(((s.id, s.data["name"]) for s in self.cases.states.values()),
                        key=lambda pair: pair[1].lower())
        coalitions = sorted(((c.id, c.data["name"]) for c in self.cases.coalitions.values()),
                            key=lambda pair: pair[1].lower())
        return {"states": states, "coalitions": coalitions}

    def verdicts_css(self, request: Request) -> Response:
        """The verdicts' colours, the map's own (one definition: report/svgmap.py)."""
        rules = [f'[data-verdict="{verdict}"] {{ background: {colour}; color: {_ink(colour)}; }}'
                 for verdict, colour in VERDICT_COLOURS.items()]
        return Response("\n".join(rules) + "\n", media_type="text/css")

    def first_question(self) -> dict:
        """The question the page opens on: the README's, else the first the cases can ask."""
        states, coalitions = self.cases.states, self.cases.coalitions
        if "south-korea" in states and "chip4" in coalitions:
            return {"state": ["south-korea"], "coalition": ["chip4"]}
        from digital_coalitions.casefiles.question import role_of

        for cid in sorted(coalitions):
            for sid in sorted(states):
                if role_of(states[sid], coalitions[cid])[0] in ("member", "candidate"):
                    return {"state": [sid], "coalition": [cid]}
        return {"state": [min(states, default="")], "coalition": [min(coalitions, default="")]}

    def labels(self, v) -> dict:
        data = v.coalition.data
        leader = self.cases.states.get(data["leader"])
        words = {"leader": display_name(leader.data) if leader else data["leader"],
                 "domain": data.get("domain") or "industry"}
        return {c.key: c.chain_label.format(**words) for c in CONCEPTS if c.chain_label}

    def map_svg(self, v, standalone: bool = False) -> str:
        return api.coalition_map(v.coalition.id, cases=self.cases, as_of=v.year,
                                 highlight=v.state.id, set=v.assignments, standalone=standalone,
                                 reuse=self.map_answers)

    def context(self, v) -> dict:
        query = v.query()
        return {"v": v, "q": urlencode(query), "labels": self.labels(v) if v.coalition else {}}

    # ---- routes -------------------------------------------------------------------------------
    def page(self, request: Request) -> Response:
        params = request.query_params
        if not (params.get("state") or params.get("coalition") or params.get("q")):
            params = self.first_question()
        problems, v = [], None
        with ENGINE_LOCK:
            try:
                v = V.build(self.cases, params)
                svg = self.map_svg(v) if v.answer is not None else ""
            except BadInput as error:
                problems, svg = str(error).splitlines(), ""
            choices = self.choices()
        wanted = {k: request.query_params.get(k, "") for k in ("state", "coalition", "q", "year")}
        context = self.context(v) if v is not None else {"v": None, "q": "", "labels": {}}
        return self.render("page.html.j2", status=400 if problems else 200, problems=problems,
                           svg=svg, wanted=wanted, **choices, **context)

    async def update(self, request: Request) -> Response:
        """One changed value -> the new answer (HTML), the --set line, the errors by control."""
        from starlette.concurrency import run_in_threadpool

        raw = await request.body()  # bounded by BodyLimit
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True,
                              max_num_fields=V.MAX_SETS + 100)
        except (UnicodeDecodeError, ValueError) as error:
            raise V.Refused(f"the request body: {error}; expected a form of at most "
                            f"{V.MAX_SETS + 100} UTF-8 fields") from None
        return await run_in_threadpool(self._update, ImmutableMultiDict(pairs))

    def _update(self, form) -> Response:
        with ENGINE_LOCK:
            try:
                v = V.build(self.cases, form)
            except BadInput as error:
                return JSONResponse({"problems": str(error).splitlines()}, status_code=400)
            context = self.context(v)
            answer = (self.env.get_template("serve/answer.html.j2").render(**context)
                      if v.answer is not None else "")
        return JSONResponse({"answer": answer, "command": v.command, "errors": v.errors,
                             "problems": v.problems, "query": context["q"],
                             "changed": [c.field for c in v.controls if c.changed and not c.error],
                             "verdict": v.answer.verdict if v.answer is not None else None},
                            status_code=422 if (v.errors or v.problems) else 200)

    def _view(self, request: Request, with_answer=True):
        with ENGINE_LOCK:
            return V.build(self.cases, request.query_params, with_answer=with_answer)

    def map(self, request: Request) -> Response:
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            if v.role is not None:
                raise V.Refused(f"state: {v.role.reason}; expected a state the coalition asks")
            standalone = request.url.path.endswith(".svg")
            svg = self.map_svg(v, standalone=standalone)
        if standalone:
            return Response(svg, media_type="image/svg+xml")
        return HTMLResponse(svg)

    def diff(self, request: Request) -> Response:
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            result = None
            if v.assignments:
                result = api.whatif(v.state.id, v.coalition.id, cases=self.cases, as_of=v.year,
                                    set=v.assignments)
        text = render_diff_text(result.trace_changes) if result is not None else ""
        return self.fragment(request, "What changed in the trace", "diff.html.j2", v=v,
                             result=result, text=text, back="/?" + urlencode(v.query()))

    def flips(self, request: Request) -> Response:
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            found = api.flips(v.state.id, v.coalition.id, cases=self.cases, as_of=v.year,
                              set=v.assignments, workers=1)  # no forked workers from threads
        links = []
        for flip in found.flips:  # the page's own changes with the flip's, as flips' try: lines
            query = [("state", v.state.id), ("coalition", v.coalition.id)]
            if v.year is not None:
                query.append(("year", str(v.year)))
            query += [("set", assignment) for assignment in found.replay(flip)]
            links.append((flip, "/?" + urlencode(query)))
        # each change in words, as the memo says it
        words = Words(v.coalition.data, short_names(self.cases.states))
        return self.fragment(request, "Flips", "flips.html.j2", v=v, found=found, links=links,
                             said=lambda change: words.change(change, found.answer),
                             back="/?" + urlencode(v.query()))

    def why(self, request: Request) -> Response:
        concept = request.query_params.get("concept", "").strip()
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            if not concept:
                raise V.Refused("concept: not given; expected a concept of the chain "
                                "(stranglehold, security_dependency…) or a verdict")
            result = api.explain(v.state.id, v.coalition.id, concept=concept, cases=self.cases,
                                 as_of=v.year, set=v.assignments)
        return self.fragment(request, f"Why: {concept}", "why.html.j2", v=v, result=result,
                             text=render_why_text(result), back="/?" + urlencode(v.query()))

    def matrix(self, request: Request) -> Response:
        year = V.year_of(request.query_params.get("year", "").strip())
        with ENGINE_LOCK:
            if year not in self.matrices:
                self.matrices[year] = api.matrix(cases=self.cases, as_of=year)
            grid = self.matrices[year]
            years = sorted({y for s in self.cases.states.values() for y in s.evidence_years})
        return self.render("matrix.html.j2", m=grid, year=year, years=years)

    def download_case(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in ("state", "coalition"):
            raise V.Refused(f"download: no {V.quoted(kind)} file; expected state.yaml or "
                            "coalition.yaml")
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            if v.role is not None:
                raise V.Refused(f"state: {v.role.reason}; expected a state the coalition asks")
            state, coalition = self.cases.question(v.state.id, v.coalition.id, as_of=v.year,
                                                   set=v.assignments)
        case = state if kind == "state" else coalition
        text = case_yaml(case, v.command)
        return Response(text, media_type="application/x-yaml; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{case.id}.yaml"'})

    def download_memo(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("md", "html"):
            raise V.Refused(f"download: no memo as {V.quoted(fmt)}; expected memo.md or memo.html")
        with ENGINE_LOCK:
            v = V.build(self.cases, request.query_params, with_answer=False)
            text = api.memo(v.state.id, v.coalition.id, cases=self.cases, as_of=v.year,
                            set=v.assignments, fmt="html" if fmt == "html" else "markdown",
                            argv=api.command_line("memo", v.state, v.coalition, v.year,
                                                  v.assignments)).text
        media = "text/html" if fmt == "html" else "text/markdown"
        name = f"{v.state.id}-{v.coalition.id}.{fmt}"
        return Response(text, media_type=f"{media}; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}"'})


def create_app(cases: api.Cases | None = None, allowed_hosts=("127.0.0.1", "localhost", "::1"),
               max_body: int = 64 * 1024) -> Starlette:
    """The explorer over ``cases`` (the shipped cases by default). Requests whose ``Host`` is not
    one of ``allowed_hosts`` are refused (no DNS rebinding); bodies over ``max_body`` bytes too."""
    explorer = Explorer(cases if cases is not None else api.Cases())

    def bad_input(request: Request, error: Exception) -> Response:
        lines = str(error).splitlines() or ["bad input"]
        if request.headers.get("x-explorer"):
            return JSONResponse({"problems": lines}, status_code=400) \
                if request.method == "POST" else HTMLResponse(
                    "".join(f'<p class="problem">{explorer.env.filters["e"](line)}</p>'
                            for line in lines), status_code=400)
        return explorer.render("error.html.j2", status=400, problems=lines)

    def failure(request: Request, error: Exception) -> Response:
        log.exception("the explorer failed on %s", request.url.path)
        return HTMLResponse("<!doctype html><title>error</title><p>internal error: the request "
                            "could not be answered (the server's log has the details)</p>",
                            status_code=500)

    routes = [
        Route("/", explorer.page),
        Route("/answer", explorer.update, methods=["POST"]),
        Route("/map", explorer.map),
        Route("/map.svg", explorer.map),
        Route("/diff", explorer.diff),
        Route("/flips", explorer.flips),
        Route("/why", explorer.why),
        Route("/matrix", explorer.matrix),
        Route("/verdicts.css", explorer.verdicts_css),
        Route("/download/{kind:str}.yaml", explorer.download_case),
        Route("/download/memo.{fmt:str}", explorer.download_memo),
        Mount("/static", StaticFiles(directory=str(files("digital_coalitions.serve") / "static")),
              name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={BadInput: bad_input, Exception: failure})
    app.state.explorer = explorer
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(HostCheck, allowed=tuple(allowed_hosts))
    return app
