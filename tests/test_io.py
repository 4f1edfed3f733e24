"""What the tool writes and reads besides case files: `-o` files, standard output, trace files.

Devices are made with mknod in a temporary directory (as root only), never the real ones:
writing to a copy of /dev/null must leave it a character device.
"""

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from digital_coalitions.cli import output
from digital_coalitions.audit import trace as traces
from digital_coalitions.cli.main import main
from digital_coalitions.cli.common import UsageProblem
from digital_coalitions.cli.output import write_output
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.casefiles.reading import ReadProblem, read_bounded

COALITION = str(Path(sys.executable).with_name("coalition"))
GUARD = 300  # seconds: a hang fails the test instead of stalling the suite; not a speed test


def run(*args, stdout=subprocess.PIPE):
    return subprocess.run([COALITION, *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=GUARD)


def one_line_error(result, *words):
    code = getattr(result, "returncode", getattr(result, "exit_code", None))
    stderr = result.stderr
    assert code == 2, (code, result.stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def cases(tmp_path):
    """A copy of the shipped case directory."""
    return Path(shutil.copytree(shipped_cases(), tmp_path / "c",
                                ignore=shutil.ignore_patterns("__pycache__", "*.py")))


def mknod(path: Path, mode: int, device: int) -> Path:
    try:
        os.mknod(path, mode, device)
    except PermissionError:
        pytest.skip("making a device file needs root")
    return path


# ---- -o: what it may name ---------------------------------------------------------------------
def test_o_through_a_link_to_any_case_file_of_the_directory_is_refused(tmp_path, cases):
    china = cases / "states" / "china.yaml"  # not one of the two files the question names
    before = china.read_bytes()
    link = tmp_path / "t.json"
    link.symlink_to(china)
    line = one_line_error(invoke("trace", "south-korea", "chip4", "--cases", str(cases),
                                 "-o", str(link)), "t.json", "china.yaml", "case file")
    assert line.endswith("expected an output file such as memo.md, map.svg or NAME.trace.json")
    assert china.read_bytes() == before and link.is_symlink()


def test_o_through_a_link_to_any_yaml_file_is_refused(tmp_path):
    elsewhere = tmp_path / "notes.yaml"
    elsewhere.write_text("keep: me\n")
    link = tmp_path / "link.svg"
    link.symlink_to(elsewhere)
    one_line_error(invoke("map", "chip4", "-o", str(link)), "link.svg", "notes.yaml")
    assert elsewhere.read_text() == "keep: me\n"


def test_o_refuses_an_input_case_file_whatever_its_name(tmp_path):
    state = tmp_path / "south-korea"  # a case file named by path needs no .yaml
    shutil.copy(shipped_cases() / "states" / "south-korea.yaml", state)
    before = state.read_bytes()
    assert invoke("ask", str(state), "chip4").exit_code == 0
    one_line_error(invoke("trace", str(state), "chip4", "-o", str(state)), "case file")
    assert state.read_bytes() == before


def test_o_refuses_directories_sockets_and_block_devices(tmp_path):
    with pytest.raises(UsageProblem, match=r"is a directory; expected an output file name"):
        write_output(tmp_path, "x")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        with pytest.raises(UsageProblem, match=r"sock: is a socket; expected a regular file, a new "
                                               r"file name, or a character device or pipe"):
            write_output(tmp_path / "sock", "x")
    finally:
        server.close()
    block = mknod(tmp_path / "blk", stat.S_IFBLK | 0o600, os.makedev(7, 0))
    with pytest.raises(UsageProblem, match="blk: is a block device"):
        write_output(block, "x")
    assert stat.S_ISBLK(os.stat(block).st_mode)


def test_o_writes_a_character_device_directly_and_leaves_it_a_device(tmp_path):
    null = mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null
    result = invoke("trace", "japan", "chip4", "-o", str(null))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file either
    full = mknod(tmp_path / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a copy of /dev/full
    with pytest.raises(UsageProblem, match=r"full: cannot be written \(No space left on device\)"):
        write_output(full, "x")


def test_o_writes_a_named_pipe_directly(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, "through the pipe ☂\n")
    reader.join(GUARD)
    assert received == ["through the pipe ☂\n".encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_o_dev_stdout_writes_to_whatever_standard_output_is(tmp_path):
    piped = run("trace", "japan", "chip4", "-o", "/dev/stdout")  # a pipe: written directly
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith('{\n  "format": "digital-coalitions-trace"')
    assert piped.stdout.endswith("written to /dev/stdout (39 steps, verdict joins)\n")
    out = tmp_path / "out.json"
    with open(out, "w") as redirected:  # a regular file: replaced whole, where it is
        assert run("trace", "japan", "chip4", "-o", "/dev/stdout", stdout=redirected).returncode == 0
    assert json.loads(out.read_text())["verdict"] == "joins"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_o_follows_a_link_to_a_regular_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


# ---- -o: modes and interruptions -----------------------------------------------------------------
@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda value: os.umask(value)
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_follows_the_umask_and_an_existing_one_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    write_output(tmp_path / "a.md", "a")
    assert mode(tmp_path / "a.md") == 0o644
    umask(0o077)
    write_output(tmp_path / "b.md", "b")
    assert mode(tmp_path / "b.md") == 0o600
    umask(0o022)
    existing = tmp_path / "c.md"
    existing.write_text("old")
    os.chmod(existing, 0o640)
    write_output(existing, "new")
    assert mode(existing) == 0o640 and existing.read_text() == "new"
    os.chmod(existing, 0o604)
    write_output(existing, "newer")
    assert mode(existing) == 0o604


class Interrupted:
    """A file that writes half of what it is given (or none), then does ``then``."""

    def __init__(self, handle, then, half):
        self.handle, self.then, self.half = handle, then, half

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def fileno(self):
        return self.handle.fileno()

    def write(self, data):
        if self.half:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
        self.then()
        if not self.half:
            self.handle.write(data)


def interrupt_writes(monkeypatch, then, half=True):
    """Make the writer's files Interrupted ones (output.open shadows the built-in)."""
    monkeypatch.setattr(output, "open", lambda *a, **k: Interrupted(open(*a, **k), then, half),
                        raising=False)


def keyboard_interrupt():
    raise KeyboardInterrupt


@pytest.fixture
def default_signals():
    """SIGTERM and SIGHUP at their defaults (a suite run under nohup ignores SIGHUP)."""
    previous = [(n, signal.signal(n, signal.SIG_DFL)) for n in (signal.SIGTERM, signal.SIGHUP)]
    yield
    for number, handler in previous:
        signal.signal(number, handler)


@pytest.mark.usefixtures("default_signals")
@pytest.mark.parametrize("then, caught", [
    (keyboard_interrupt, KeyboardInterrupt),  # Ctrl-C
    (lambda: signal.raise_signal(signal.SIGTERM), SystemExit),  # kill
    (lambda: signal.raise_signal(signal.SIGHUP), SystemExit),  # the terminal closed
])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch,
                                                                        then, caught):
    old = tmp_path / "memo.md"
    old.write_text("the old memo\n")
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    interrupt_writes(monkeypatch, then)
    with pytest.raises(caught) as info:
        write_output(old, "the new memo, " * 1000)
    if caught is SystemExit:
        assert info.value.code in (128 + signal.SIGTERM, 128 + signal.SIGHUP)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.md"]
    assert old.read_text() == "the old memo\n"
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == handlers


def test_an_ignored_hangup_stays_ignored_while_writing(tmp_path, monkeypatch):
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        interrupt_writes(monkeypatch, lambda: signal.raise_signal(signal.SIGHUP))
        write_output(tmp_path / "out.md", "complete")
        assert (tmp_path / "out.md").read_text() == "complete"[:4]  # Interrupted wrote half
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_o_to_a_pipe_whose_reader_stopped_ends_as_quietly_as_standard_output(tmp_path,
                                                                           monkeypatch):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that opening it to write won't wait
    interrupt_writes(monkeypatch, lambda: os.close(reader), half=False)
    with pytest.raises(BrokenPipeError):  # which click ends quietly, with exit 1
        write_output(fifo, "nobody reads this")


# ---- standard output ----------------------------------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list"], ["memo", "south-korea", "chip4"], ["--help"]])
def test_a_full_standard_output_is_one_line_and_exit_2(args):
    with open("/dev/full", "w") as full:
        result = run(*args, stdout=full)
    line = one_line_error(result)
    assert line == ("error: standard output: cannot be written (No space left on device); "
                    "expected a writable standard output")


@pytest.mark.parametrize("args", [["list"], ["trace", "south-korea", "chip4"]])
def test_a_closed_pipe_on_standard_output_ends_quietly(args):
    reading, writing = os.pipe()
    os.close(reading)  # as `| head` does once it has its lines
    try:
        result = run(*args, stdout=writing)
    finally:
        os.close(writing)
    assert result.returncode == 1 and result.stderr == ""


# ---- reading: bounded, regular files only ----------------------------------------------------
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["show", "verify"])
def test_a_device_given_as_a_trace_is_refused_unread(device, command):
    if not os.path.exists(device):
        pytest.skip(f"needs {device}")
    one_line_error(run("trace", command, device),
                   f"error: {device}: is not a regular file (a device, pipe or socket); expected "
                   "a trace written by")


def test_a_named_pipe_given_as_a_trace_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "t.trace.json"
    os.mkfifo(fifo)
    for command in ("show", "verify", "diff"):
        args = [str(fifo)] * (2 if command == "diff" else 1)
        one_line_error(run("trace", command, *args), "t.trace.json: is not a regular file")


def test_reads_are_bounded_by_the_bytes_read_not_the_size_the_file_gives():
    status = Path("/proc/self/status")
    if not status.exists() or os.stat(status).st_size != 0:
        pytest.skip("needs Linux's /proc, whose files say they are empty")
    with pytest.raises(ReadProblem, match="is larger than 100 bytes"):
        read_bounded(status, 100)
    assert b"Name:" in read_bounded(status, 1024 * 1024)


def test_a_trace_over_the_limit_is_refused(tmp_path, monkeypatch):
    big = tmp_path / "big.json"
    big.write_text(" " * 2048)
    monkeypatch.setattr(traces, "MAX_TRACE_BYTES", 1024)
    with pytest.raises(traces.TraceError, match=r"big.json: is larger than 1024 bytes; expected a "
                                                r"trace"):
        traces.load_trace(big)


def forged(tmp_path, **changes) -> Path:
    """A genuine trace edited, with its digest recomputed as a forger would."""
    record = tmp_path / "real.trace.json"
    assert invoke("trace", "south-korea", "chip4", "-o", str(record)).exit_code == 0
    data = json.loads(record.read_text())
    for key, change in changes.items():
        change(data) if callable(change) else data.__setitem__(key, change)
    data["digest"] = traces.digest(data)
    out = tmp_path / "forged.trace.json"
    out.write_text(traces.dumps(data))
    return out


@pytest.mark.parametrize("device", ["/dev/zero"])
def test_verify_refuses_a_recorded_input_that_is_a_device(tmp_path, device):
    def point_the_state_at_the_device(data):
        data["inputs"][0]["path"] = device

    out = forged(tmp_path, inputs=point_the_state_at_the_device)
    result = run("trace", "verify", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"diverged: input file unreadable: {device} (is not a regular "
                                    "file (a device, pipe or socket))")


def test_verify_reads_a_recorded_input_no_further_than_the_loader_would(tmp_path, monkeypatch):
    data = json.loads(forged(tmp_path).read_text())
    monkeypatch.setattr(traces, "MAX_FILE_BYTES", 100)  # the shipped case files are larger
    result = traces.verify(data)
    assert result.divergence == "input"
    assert result.message.startswith("input file unreadable: ") and \
        result.message.endswith("south-korea.yaml (is larger than 100 bytes)")


# ---- trace show says what it checked -----------------------------------------------------------
def test_show_says_the_digest_matches_and_that_it_does_not_verify(tmp_path):
    out = forged(tmp_path, verdict="joins")  # a forger who recomputed the digest
    result = invoke("trace", "show", str(out))
    assert result.exit_code == 0, result.output
    assert "(matches the content)" in result.stdout
    assert "  verified:   no: `trace show` only prints the file, and whoever edits a trace can " \
           "recompute\n              its digest; `coalition trace verify " in result.stdout


def test_show_prints_an_edited_trace_with_a_warning_and_exit_1(tmp_path):
    out = forged(tmp_path)
    data = json.loads(out.read_text())
    data["verdict"] = "joins"  # the digest left as it was
    out.write_text(traces.dumps(data))
    result = invoke("trace", "show", str(out))
    assert result.exit_code == 1
    assert "(DOES NOT MATCH the content: the file was edited after it was written)" in result.stdout
    assert result.stderr == (f"warning: {out}: was altered after it was written (its digest does "
                             "not match its content); shown unverified\n")
    json_result = invoke("trace", "show", str(out), "--format", "json")
    assert json_result.exit_code == 1 and json.loads(json_result.stdout)["verdict"] == "joins"
    # verify and diff still refuse it
    one_line_error(invoke("trace", "verify", str(out)), "altered")
    one_line_error(invoke("trace", "diff", str(out), str(out)), "altered")
