"""``baocao serve --workers N``: the repository's gunicorn configuration, started as an operator would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
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


def _get(url: str) -> tuple[int, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers)


def test_serve_with_several_workers_answers_from_gunicorn_processes(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "BAOCAO_DATA_DIR": str(tmp_path), "BAOCAO_ACCESS_LOG": ""}
    env.pop("DATABASE_URL", None)
    command = [str(Path(sys.executable).parent / "baocao"), "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        assert (status, headers["Server"]) == (200, "gunicorn")
        _, page = _get(f"http://127.0.0.1:{port}/dang-nhap/")
        assert "default-src 'self'" in page["Content-Security-Policy"]
        assert len(_children(server.pid)) == 2  # the master (this very process, exec'd) and two workers
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    assert _children(server.pid) == []
