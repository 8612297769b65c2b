"""``baocao serve --workers N``: the repository's gunicorn configuration, started as an operator would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="gunicorn runs on Linux/Unix")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """The process exists and has not ended. One that has ended stays in /proc, a zombie, until its new parent
    (init, for an orphan) collects it, which some inits do only about once a second."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module's servers, one after the other: the first starts on an empty folder
    and creates the database (its migrations take a second of CPU), the next finds it ready, as after a
    restart."""
    return tmp_path_factory.mktemp("serve")


def _start(data_dir: Path, *args: str, **env: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    # Without background workers unless a test asks (they are child processes too).
    environment = {
        **os.environ,
        "BAOCAO_DATA_DIR": str(data_dir),
        "BAOCAO_ACCESS_LOG": "",
        "BAOCAO_EMBEDDED_WORKERS": "0",
        **env,
    }
    environment.pop("DATABASE_URL", None)
    command = [str(Path(sys.executable).parent / "baocao"), "serve", "--port", str(port), *args]
    server = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"http://127.0.0.1:{port}/healthz")
            return server, port
        except OSError:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.1)


def _stop(server: subprocess.Popen[str], workers: str = "2") -> None:
    """gunicorn's master stops gracefully on SIGTERM (exit 0); Waitress simply ends by the signal."""
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == (0 if workers != "1" else -signal.SIGTERM)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_behind_the_trusted_proxy_with_background_workers_that_stop_with_it(
    data_dir: Path, workers: str
) -> None:
    """The production settings with Waitress (1) and with gunicorn (2), as an operator starts them: the
    proxy's X-Forwarded-Proto reaches Django (no redirect loop), a plain request is sent to HTTPS; two
    background workers run beside the server (and gunicorn's two worker processes) and all stop with it.
    One server per worker count: each start costs seconds of imports in every process it makes."""
    env = {"BAOCAO_HTTPS": "1", "BAOCAO_TRUSTED_PROXIES": "127.0.0.1", "BAOCAO_EMBEDDED_WORKERS": "2"}
    server, port = _start(data_dir, "--workers", workers, **env)
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    try:
        status, headers = _get(f"http://127.0.0.1:{port}/healthz", **proxied)
        assert (status, headers["Server"]) == (200, "gunicorn" if workers == "2" else "baocao")
        url = f"http://127.0.0.1:{port}/dang-nhap/"
        status, headers = _get(url, **proxied)
        assert status == 200
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        status, headers = _get(url)
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/dang-nhap/")
        # gunicorn's master is this very process; its two workers are children beside ours. The master forks
        # them a moment apart (up to 0.1 s), and a worker forked from the loaded application answers at once:
        # the second may still be coming when the first has answered.
        expected = 2 + (2 if workers == "2" else 0)
        deadline = time.monotonic() + 10
        while len(_children(server.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        children = {
            pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in _children(server.pid)
        }
        embedded = [
            pid for pid, command in children.items() if b"worker" in command and b"--parent" in command
        ]
        assert len(embedded) == 2
        assert len(children) == expected
    finally:
        _stop(server, workers)
    assert _children(server.pid) == []
    # Orphaned, each notices its server is gone and stops (within a few seconds).
    deadline = time.monotonic() + 15
    while any(_running(pid) for pid in embedded) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in embedded if _running(pid)] == []


def test_a_background_worker_whose_server_is_gone_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two ways an embedded worker stops with its server, apart from the kernel's signal (above): a
    server gone before the worker asked for that signal is not waited for; and, where no kernel sends one
    (not Linux), the worker's own watch sends itself SIGTERM, so that its current task ends first."""
    import ctypes

    from baocao.cli.web import PR_SET_PDEATHSIG, _stop_with
    from baocao.jobs import worker

    with pytest.raises(SystemExit) as stopped:
        _stop_with(os.getppid() + 1)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, 0)  # this test's process is no worker
    assert stopped.value.code == 0

    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(worker, "PARENT_CHECK_SECONDS", 0)
    monkeypatch.setattr(worker.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    worker._watch_parent(os.getppid() + 1)
    assert sent == [(os.getpid(), signal.SIGTERM)]
