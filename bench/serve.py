"""Benchmark the explorer's update: one changed value of the evidence -> the new answer.

    .venv/bin/python bench/serve.py              # 50 updates each way, after a warm-up
    .venv/bin/python bench/serve.py --runs 200

An update is what the page sends when a control changes: ``POST /answer`` with the question and
every control's value, one of them changed, answered with the new answer's HTML, the --set line
and the errors (JSON). Timed two ways: over real HTTP to ``coalition serve``'s own server
(uvicorn on 127.0.0.1, as a browser reaches it), and in-process through Starlette's test client
(the application alone). Alternates the changed value between two levels so that no answer is
the one before. The map, which the page fetches after the answer, is timed separately: its
first drawing asks every state the coalition is open to; later ones ask the changed one again. Not part
of the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import threading
import time
import warnings
from urllib.parse import urlencode

LEVEL = "state.industries.semiconductors.reliance.united-states.level"


def form(cases, value: str) -> str:
    """The body the page posts: the question and every control, one changed."""
    from digital_coalitions.casefiles.bearing import bearing

    fields = [("state", "south-korea"), ("coalition", "chip4"), ("year", "")]
    for slot in bearing(*cases.question("south-korea", "chip4")):
        shown = value if slot.field == LEVEL else slot.value
        fields.append((slot.field, "" if shown is None else
                       ("true" if shown is True else "false" if shown is False else str(shown))))
    return urlencode(fields)


def summary(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (f"{name:<44} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {ms[-1]:6.1f} ms   ({len(ms)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs

    import uvicorn
    from digital_coalitions import api
    from digital_coalitions.serve import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    cases = api.Cases()
    api.warm()
    app = create_app(cases)
    bodies = [form(cases, word) for word in ("moderate", "high")]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Explorer": "fragment"}

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def over_http(path: str, body: str | None = None) -> float:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        start = time.perf_counter()
        connection.request("POST" if body is not None else "GET", path, body=body,
                           headers={**headers, "Host": f"127.0.0.1:{port}"})
        reply = connection.getresponse()
        reply.read()
        elapsed = time.perf_counter() - start
        assert reply.status == 200, reply.status
        connection.close()
        return elapsed

    for i in range(5):  # warm-up: templates compiled, files loaded
        over_http("/answer", bodies[i % 2])
    http_times = [over_http("/answer", bodies[i % 2]) for i in range(runs)]

    client = TestClient(app, base_url="http://127.0.0.1:8765")
    in_process = []
    for i in range(runs):
        start = time.perf_counter()
        reply = client.post("/answer", content=bodies[i % 2], headers=headers)
        in_process.append(time.perf_counter() - start)
        assert reply.status_code == 200

    def maps(state, coalition, field, n):
        """The first map of a coalition (every state asked), then n redraws after a change."""
        query = urlencode([("state", state), ("coalition", coalition)])
        times = [over_http(f"/map?{query}&set={field}%3D{('moderate', 'high')[i % 2]}")
                 for i in range(n + 1)]
        return times[:1], times[1:]

    first_chip4, chip4 = maps("south-korea", "chip4", LEVEL, max(5, runs // 5))
    first_wide, wide = maps("germany", "clean-network",
                            LEVEL.replace("semiconductors", "telecom"), max(5, runs // 5))
    server.should_exit = True
    thread.join(timeout=10)

    print(summary("update over HTTP (POST /answer, uvicorn)", http_times))
    print(summary("update in process (test client)", in_process))
    print(summary("first map of Chip 4 (3 states asked)", first_chip4))
    print(summary("map redrawn after a change, Chip 4", chip4))
    print(summary("first map of Clean Network (38 states)", first_wide))
    print(summary("map redrawn after a change, Clean Network", wide))


if __name__ == "__main__":
    main()
