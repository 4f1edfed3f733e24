"""The explorer in a real browser: headless Chromium (Debian's), driven by Playwright.

Open the page, choose South Korea and Chip 4, set the semiconductor reliance on the United
States to `moderate`: the verdict shown changes, and the `--set` line shown gives that verdict
when run from the command line. Skips, saying why, only where no browser can be found."""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                 "(pip install '.[test]' installs it)")
pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")

COALITION = str(Path(sys.executable).with_name("coalition"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LEVEL = "state.industries.semiconductors.reliance.united-states.level"


def chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([COALITION, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # printed once it listens
        assert f"http://127.0.0.1:{port}" in line, line + process.stderr.read()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    path = chromium()
    if path is None:
        pytest.skip("no Chromium found (/usr/bin/chromium, chromium, chromium-browser, "
                    "google-chrome or $CHROMIUM): .ci/run installs Debian's chromium")
    with playwright.sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=path, args=ARGS)
        except playwright.Error as error:
            pytest.skip(f"Chromium at {path} could not be started: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


def test_changing_the_reliance_changes_the_verdict_and_the_set_line_reproduces_it(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(server + "/?state=japan&coalition=ttc")  # not the question yet: choose it
    with page.expect_navigation():
        page.select_option("#state", "south-korea")
    with page.expect_navigation():
        page.select_option("#coalition", "chip4")
    verdict = page.locator("#verdict")
    before = verdict.inner_text()
    assert page.locator("#command").inner_text() == "coalition ask south-korea chip4"
    page.select_option(f'select[name="{LEVEL}"]', "moderate")
    playwright.expect(verdict).not_to_have_text(before)  # updated in place, no reload
    after = verdict.inner_text()
    command = page.locator("#command").inner_text()
    assert command == f"coalition ask south-korea chip4 --set {LEVEL}=moderate"
    words = shlex.split(command)
    result = subprocess.run([COALITION, *words[1:], "--format", "json"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == after != before
    assert f"set={LEVEL}" in page.url.replace("%3D", "=").replace("%2E", ".")  # a bookmark
    page.close()


def test_concurrent_updates_each_get_their_own_answer(server):
    """The server is threaded and the engine is not re-entrant: behind its lock, eight clients
    changing the same value at once each get the answer to their own change."""
    import http.client
    import threading
    import warnings
    from urllib.parse import urlencode, urlsplit

    from digital_coalitions import api

    words = ("moderate", "high", "low", "critical")
    with warnings.catch_warnings(record=True) as noted:
        warnings.simplefilter("always")
        expected = {w: api.ask("south-korea", "chip4", set=[f"{LEVEL}={w}"]).verdict for w in words}
    # one of the four is the file's own value, which the library notes changes nothing
    assert [str(n.message).rsplit("; ", 1)[-1] for n in noted] == ["nothing changed"]
    address = urlsplit(server)
    wrong = []

    def client(i):
        for j in range(6):
            word = words[(i + j) % len(words)]
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            connection.request("POST", "/answer", body=urlencode(
                {"state": "south-korea", "coalition": "chip4", LEVEL: word}),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            reply = connection.getresponse()
            got = json.loads(reply.read())
            if reply.status != 200 or got["verdict"] != expected[word]:
                wrong.append((word, reply.status, got.get("verdict")))
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == [] and len(set(expected.values())) > 1
