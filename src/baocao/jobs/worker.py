"""The worker: django-tasks' database worker (``django_tasks_db``'s ``db_worker``), plus what baocao adds
around it: picking up the jobs a dead worker left (at start, then every minute) and, for the workers
``baocao serve`` starts itself, stopping when the server process is gone."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from baocao.jobs.services import prune_jobs, recover_stale, worker_name

__all__ = [
    "PRUNE_EVERY_SECONDS",
    "RECOVER_EVERY_SECONDS",
    "make_worker",
    "run_worker",
    "start_embedded_workers",
]

logger = logging.getLogger(__name__)
RECOVER_EVERY_SECONDS = 60
PRUNE_EVERY_SECONDS = 6 * 3600
PARENT_CHECK_SECONDS = 0.5  # a getppid() twice a second: the workers stop soon after their server


def _recover_safely() -> None:
    try:
        for job in recover_stale():
            logger.warning("Job %s left by a stopped worker: now %s", job.pk, job.status)
    except Exception:  # a database hiccup must not stop the worker; the next round tries again
        logger.exception("Recovering stale jobs failed")
    finally:
        close_old_connections()
        connection.close()


def _prune_safely() -> None:
    """The finished jobs older than ``BAOCAO_JOBS_KEEP_DAYS`` removed (as ``baocao jobs prune`` does); several
    workers doing it at once only find less to do."""
    try:
        pruned = prune_jobs(days=settings.JOBS_KEEP_DAYS)
        if pruned.jobs or pruned.files:
            logger.info("Pruned %s finished jobs, %s files", pruned.jobs, pruned.files)
    except Exception:
        logger.exception("Pruning finished jobs failed")
    finally:
        close_old_connections()
        connection.close()


def _every(seconds: float, action: object, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        action()  # type: ignore[operator]


def _watch_parent(parent: int) -> None:
    """Stop (gracefully: the current task ends first) once the server that started this worker is gone."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def make_worker(*, batch: bool = False, max_tasks: int | None = None, interval: float = 1.0) -> Worker:
    """The library's worker on the default queue and backend (``worker.run()`` runs it; setting
    ``worker.running = False`` stops it after the current task)."""
    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=f"{worker_name()}-{get_random_string(6)}"[:64],
        excluded_queue_names=[],
    )


def run_worker(
    *, batch: bool = False, max_tasks: int | None = None, interval: float = 1.0, parent: int | None = None
) -> None:
    """Run tasks until stopped (Ctrl+C or SIGTERM: the running task finishes first), or, with ``batch``,
    until the queue is empty."""
    _recover_safely()
    stop = threading.Event()
    if not batch:
        threading.Thread(
            target=_every, args=(RECOVER_EVERY_SECONDS, _recover_safely, stop), daemon=True
        ).start()
        # Not at start: a worker restarted in a loop would prune on every start.
        threading.Thread(target=_every, args=(PRUNE_EVERY_SECONDS, _prune_safely, stop), daemon=True).start()
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    worker = make_worker(batch=batch, max_tasks=max_tasks, interval=interval)
    if threading.current_thread() is threading.main_thread():
        worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()


def start_embedded_workers(count: int) -> list[subprocess.Popen[bytes]]:
    """``count`` worker processes beside the web server (``baocao worker --parent PID``): each stops by
    itself when the server is gone, however it ends. Called from the server's main thread: on Linux a worker
    is signalled when the thread that started it ends (``PR_SET_PDEATHSIG``, baocao.cli.web)."""
    command = [sys.executable, "-m", "baocao", "worker", "--parent", str(os.getpid())]
    return [subprocess.Popen(command) for _ in range(count)]
