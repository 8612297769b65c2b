"""Every file is read with a time and a memory limit.

The command line reads in its own process (one file) or in worker processes (a folder): each process gets an
address-space limit (``RLIMIT_AS``) and every file a timer that stops the reading. The web server never reads
an uploaded file itself: a separate worker process does, with the same limits, and is killed when it
overruns, so a hostile file costs the server neither its memory nor its responsiveness.

Settings (environment): ``BAOCAO_CHECK_SECONDS`` (default 60) and ``BAOCAO_CHECK_MEMORY_MB`` (default 1536).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from types import FrameType

from baocao.legacy.model import ReadDocument, ReadError

__all__ = ["apply_memory_limit", "limit_seconds", "memory_limit_bytes", "read_limited", "time_limit"]

MSG_TIMEOUT = "tệp “{name}” đọc quá {seconds} giây, đã dừng (tệp quá phức tạp hoặc bị hỏng)"
MSG_MEMORY = "tệp “{name}” cần quá {mb} MB bộ nhớ để đọc, đã dừng (tệp quá lớn khi giải nén hoặc bị hỏng)"
MSG_BAD_SETTING = "biến môi trường {name} phải là số nguyên dương (đang là “{value}”)"


class TimeLimitExceeded(ReadError):
    """Raised inside the reading when its time is up."""


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ReadError(MSG_BAD_SETTING.format(name=name, value=value))
    return int(value)


def limit_seconds() -> int:
    return _positive_int("BAOCAO_CHECK_SECONDS", 60)


def memory_limit_bytes() -> int:
    return _positive_int("BAOCAO_CHECK_MEMORY_MB", 1536) * 1024 * 1024


def apply_memory_limit() -> None:
    """Cap this process's address space (a worker's, or the one-shot command's)."""
    limit = memory_limit_bytes()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@contextmanager
def time_limit(name: str, seconds: int | None = None) -> Iterator[None]:
    """Stop the reading of ``name`` after ``seconds`` (main thread only; elsewhere the caller's own timeout
    applies). A MemoryError inside becomes a ReadError with the limit stated."""
    seconds = seconds or limit_seconds()
    usable = threading.current_thread() is threading.main_thread()

    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise TimeLimitExceeded(MSG_TIMEOUT.format(name=name, seconds=seconds))

    previous = signal.signal(signal.SIGALRM, expire) if usable else None
    if usable:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except MemoryError:
        raise ReadError(MSG_MEMORY.format(name=name, mb=memory_limit_bytes() // (1024 * 1024))) from None
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _read_in_worker(data: bytes, name: str) -> ReadDocument | ReadError:
    from baocao.legacy.read import read_bytes

    try:
        with time_limit(name):
            return read_bytes(data, name)
    except ReadError as error:
        return ReadError(str(error))


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> Pool:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            context = multiprocessing.get_context("forkserver")
            _POOL = context.Pool(1, initializer=apply_memory_limit, maxtasksperchild=100)
            # Stopped before the interpreter tears down its modules (else Pool.__del__ prints a traceback).
            atexit.register(_discard_pool)
        return _POOL


def _discard_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.terminate()
            _POOL = None


def read_limited(data: bytes, name: str) -> ReadDocument:
    """Read an uploaded file in the worker process, within the limits; the worker is killed if it overruns."""
    seconds = limit_seconds()
    pending = _pool().apply_async(_read_in_worker, (data, name))
    try:
        outcome = pending.get(timeout=seconds + 5)
    except multiprocessing.TimeoutError:
        _discard_pool()
        raise ReadError(MSG_TIMEOUT.format(name=name, seconds=seconds)) from None
    except (OSError, EOFError):  # the worker died (killed for its memory)
        _discard_pool()
        raise ReadError(MSG_MEMORY.format(name=name, mb=memory_limit_bytes() // (1024 * 1024))) from None
    if isinstance(outcome, ReadError):
        raise outcome
    return outcome
