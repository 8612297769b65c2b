"""Benchmark smokes in one process: ``python tests/bench/run_together.py [--prepare-demo] OUT SCRIPT…``.

Each script runs whole as ``__main__`` (``runpy``; ``sys.argv`` is the script and ``--smoke``, bench/ on the
path as when it runs alone), one after the other. Its output goes to ``OUT/<name>.out`` and ``OUT/<name>.err``
(file descriptors 1 and 2, so that logging and child processes write there too) and its exit code to
``OUT/<name>.code`` (1 for an exception, whose traceback is in its .err). What the scripts share is what a
process start costs: Python, the imports, Django's setup (about a second of CPU each; see
tests/bench/conftest.py, ``run_together``). With ``--prepare-demo`` the demo is loaded first, in this
process too (tests/bench/prepare_demo.py), into a folder the scripts copy (``BENCH_PREPARED_DEMO``, removed
at the end).

One data folder (``BAOCAO_DATA_DIR``), emptied before each script (a script that copies the prepared demo then
gets a fresh copy, bench/timing.py), and one set of settings, read when Django starts (for the demo's
preparation, else in the first script that starts it): ``BAOCAO_ALLOWED_HOSTS`` is set here for the scripts
that use Django's test client (each sets it too, for a run of its own), and ``BAOCAO_SECRET_KEY``, so that a
server a script starts (bench_rollup's) accepts the sessions its process made. Every script uses the data
folder's default SQLite file in a smoke.
"""

from __future__ import annotations

import os
import runpy
import secrets
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from prepare_demo import load_demo_into  # tests/bench/ is on the path: this script's folder

PREPARED = "BENCH_PREPARED_DEMO"  # bench/timing.py


def _empty(folder: Path) -> None:
    """The data folder emptied, its database connections closed first (else they would write into the
    copy that replaces it)."""
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    for path in folder.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _run(script: Path) -> int:
    """``script --smoke`` as ``__main__``; its exit code."""
    sys.argv = [str(script), "--smoke"]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as stop:  # as the interpreter does: a message is printed, and means 1
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def _prepare_demo(data: Path) -> Path:
    """The demo loaded into the data folder, then copied to a folder of its own for the scripts to copy."""
    load_demo_into(data)
    prepared = Path(tempfile.mkdtemp(prefix="baocao-bench-demo-"))
    shutil.copytree(data, prepared, dirs_exist_ok=True)
    os.environ[PREPARED] = str(prepared)
    return prepared


def main(out: Path, scripts: list[Path], *, prepare_demo: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    os.environ["BAOCAO_DATA_DIR"] = str(data)
    os.environ["BAOCAO_ALLOWED_HOSTS"] = "testserver"
    # One key for the process and the servers its scripts start (bench_rollup): the data folder's own key file
    # goes with the folder, emptied before each script, while the settings keep the first script's key.
    os.environ["BAOCAO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.pop("DATABASE_URL", None)
    saved = os.dup(1), os.dup(2)
    prepared = None
    try:
        if prepare_demo:
            prepared = _prepare_demo(data)
        for script in scripts:
            _empty(data)
            sys.path.insert(0, str(script.parent))
            with (
                (out / f"{script.stem}.out").open("wb") as stdout,
                (out / f"{script.stem}.err").open("wb") as err,
            ):
                sys.stdout.flush(), sys.stderr.flush()
                os.dup2(stdout.fileno(), 1), os.dup2(err.fileno(), 2)
                try:
                    code = _run(script)
                finally:
                    sys.stdout.flush(), sys.stderr.flush()
                    os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            sys.path.remove(str(script.parent))
            (out / f"{script.stem}.code").write_text(str(code))
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if prepared:
            shutil.rmtree(prepared, ignore_errors=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    prepare = arguments[:1] == ["--prepare-demo"]
    arguments = arguments[prepare:]
    main(Path(arguments[0]), [Path(arg) for arg in arguments[1:]], prepare_demo=prepare)
