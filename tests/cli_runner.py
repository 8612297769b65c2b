"""Running the `baocao` command in process, as a user would type it: exit code, standard output, errors."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from baocao.cli.main import main


def _main_exit_code() -> int:
    """``main()`` run with the ``sys.argv`` already set; its exit code."""
    try:
        main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["baocao", *args])
    code = _main_exit_code()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_outside_a_test(*args: str) -> tuple[int, str, str]:
    """``run`` for a module's fixture, where ``monkeypatch`` and ``capsys`` are not available: the output is
    caught by swapping ``sys.stdout`` and ``sys.stderr``, as ``capsys`` does."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.setattr(sys, "argv", ["baocao", *args])
        code = _main_exit_code()
    return code, out.getvalue(), err.getvalue()
