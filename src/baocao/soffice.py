"""The one LibreOffice runner: ``soffice --headless --convert-to`` in a throw-away profile and folder, with a
time limit, and at most ``BAOCAO_MAX_CONVERSIONS`` conversions at once on this machine.

The PDF export (documents) and the old reports' checker (legacy) both convert through ``convert`` here; each
turns ``ConversionFailed`` into its own Vietnamese message. ``convert_many`` converts several files in one
start of LibreOffice (a round's PDFs): the start, not the file, is most of a short conversion's cost.

The cap is shared by every process of the machine (web server threads, workers, the CLI): each start of
LibreOffice holds one of N lock files (``fcntl.flock``) in the system's temporary folder, so eight PDF
downloads start at most N ``soffice`` processes, and a process that dies releases its slot with its file
descriptors. Where ``fcntl`` does not exist (Windows) there is no cap.

Each conversion runs in its own copy of a user profile: LibreOffice creating a profile (and testing the
graphics on its first start) costs about as much as a short conversion, so the profile of the first conversion
that succeeds is kept (``baocao-soffice-profile-<uid>`` in the system's temporary folder, readable by this
user only, one per ``soffice`` command) and copied for every later one. A copy that cannot be made or used
falls back to a fresh profile.

Every profile, fresh or copied, also tells LibreOffice it has already met this release (``_skip_self_test``):
LibreOffice runs its graphics self-test (about 70 drawing tests on 4096-pixel bitmaps, whose results only go
to a log, ``GraphicsRenderTests.log``) at each start where the profile's ``ooSetupLastVersion`` is older
than itself, and only a start with a window records that setting, never a ``--headless`` one (LibreOffice
7). That test was two thirds of a short conversion's CPU time (about 0.8 of 1.2 s); the PDFs are the same
without it, byte for byte but for their dates and the document ID made from them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from baocao.config.env import EnvError, env_int

__all__ = [
    "ConversionFailed",
    "ConversionTimeout",
    "conversion_slot",
    "convert",
    "convert_many",
    "max_conversions",
    "soffice_path",
]

DEFAULT_MAX_CONVERSIONS = 2
BATCH_SIZE = 20  # files converted by one LibreOffice start (convert_many)
SLOT_POLL_SECONDS = 0.1


class ConversionFailed(RuntimeError):
    """LibreOffice made no file. ``retryable``: a timeout or a crash, which another try may not meet;
    ``reason`` is LibreOffice's last words (or the system's), for the caller's message."""

    retryable = True

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConversionTimeout(ConversionFailed):
    """The conversion (or the wait for a free slot) took longer than its time limit."""


def soffice_path() -> str | None:
    """LibreOffice's command: ``BAOCAO_SOFFICE`` when set (and runnable), else ``soffice`` on the PATH."""
    configured = os.environ.get("BAOCAO_SOFFICE")
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def max_conversions() -> int:
    """``BAOCAO_MAX_CONVERSIONS`` (default 2): conversions running at once on this machine. A bad value stops
    start-up (the settings read it once) with a clear message."""
    count = env_int("BAOCAO_MAX_CONVERSIONS", DEFAULT_MAX_CONVERSIONS)
    if count < 1:
        raise EnvError(f"Biến môi trường BAOCAO_MAX_CONVERSIONS={count}: phải từ 1 trở lên")
    return count


def _slot_folder() -> Path:
    folder = (
        Path(tempfile.gettempdir()) / f"baocao-soffice-slots-{os.getuid() if hasattr(os, 'getuid') else 0}"
    )
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextlib.contextmanager
def conversion_slot(wait: float) -> Iterator[int]:
    """Hold one of the machine's conversion slots (its number) for the ``with`` block; waits up to ``wait``
    seconds for one to free, then raises ConversionTimeout."""
    try:
        import fcntl
    except ImportError:  # Windows: no cap
        yield 0
        return
    folder, slots = _slot_folder(), max_conversions()
    deadline = time.monotonic() + wait
    while True:
        for number in range(slots):
            handle = open(folder / f"slot-{number}.lock", "a+b")  # noqa: SIM115 (held until released)
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield number
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise ConversionTimeout(f"chờ quá {wait:g} giây mà chưa đến lượt chuyển đổi")
        time.sleep(SLOT_POLL_SECONDS)


def _private_folder(name: str) -> Path | None:
    """``name`` in the system's temporary folder, created for this user only; None when it exists but is not
    this user's own and private (another account could have planted a profile there)."""
    folder = Path(tempfile.gettempdir()) / f"{name}-{os.getuid() if hasattr(os, 'getuid') else 0}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o077):
        return None
    return folder


def _profile_template(soffice: str) -> Path | None:
    """Where the kept profile for ``soffice`` lives (it may not exist yet)."""
    folder = _private_folder("baocao-soffice-profile")
    if folder is None:
        return None
    key = hashlib.sha256(os.path.realpath(soffice).encode()).hexdigest()[:16]
    return folder / key


def _copy_profile(template: Path | None, profile: Path) -> None:
    """A copy of the kept profile at ``profile``, when there is one (else LibreOffice makes a fresh one
    there); either way one that skips the graphics self-test."""
    if template is not None and template.is_dir():
        try:
            shutil.copytree(template, profile, ignore=shutil.ignore_patterns(".lock", ".~lock*"))
        except OSError:
            shutil.rmtree(profile, ignore_errors=True)
    _skip_self_test(profile)


# Newer than any release: LibreOffice compares its own "major.minor" with this one's to decide whether it was
# upgraded since the profile's last start (and, if so, runs the self-test).
LAST_VERSION = "9999.9"
_LAST_VERSION_ITEM = (
    '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
    f"<value>{LAST_VERSION}</value></prop></item>\n"
)
_EMPTY_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    "</oor:items>\n"
)


def _skip_self_test(profile: Path) -> None:
    """``profile``'s settings (``user/registrymodifications.xcu``, created when missing: LibreOffice fills in
    the rest of a fresh profile) with ``ooSetupLastVersion`` set, so LibreOffice starts without its graphics
    self-test. A profile it cannot be written into is used as it is."""
    settings = profile / "user" / "registrymodifications.xcu"
    try:
        text = settings.read_text(encoding="utf-8") if settings.is_file() else _EMPTY_SETTINGS
        if "ooSetupLastVersion" in text or "</oor:items>" not in text:
            return
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(text.replace("</oor:items>", _LAST_VERSION_ITEM + "</oor:items>", 1), "utf-8")
    except (OSError, UnicodeDecodeError):
        pass


def _keep_profile(profile: Path, template: Path | None) -> None:
    """Keep the profile of a successful conversion as the template, once (the first to finish wins)."""
    if template is None or template.exists() or not profile.is_dir():
        return
    staging = template.with_name(f"{template.name}.{os.getpid()}.{time.monotonic_ns()}")
    try:
        shutil.copytree(profile, staging, ignore=shutil.ignore_patterns(".lock", ".~lock*"))
        staging.rename(template)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def convert_many(
    soffice: str, files: Sequence[tuple[bytes, str]], target: str, timeout: int
) -> list[bytes | ConversionFailed]:
    """Each of ``files`` (its data, and the suffix its type goes by) converted to ``target``, in order: its
    bytes, or the ConversionFailed saying why. A LibreOffice start costs about as much as converting a short
    report, so up to ``BATCH_SIZE`` files share one start (``soffice --convert-to`` takes several files),
    holding one slot of the cap; ``timeout`` is each start's limit. When one start does not make every file
    (one file LibreOffice cannot read, a crash, the time limit), each file it did not make is converted again
    alone, so a file fails for its own reason only, as if each were converted on its own."""
    results: list[bytes | ConversionFailed] = []
    for first in range(0, len(files), BATCH_SIZE):
        chunk = files[first : first + BATCH_SIZE]
        if len(chunk) == 1:
            made: list[bytes | ConversionFailed] = [_attempt(soffice, chunk[0], target, timeout)]
        else:
            made = _convert_batch(soffice, chunk, target, timeout)
            made = [
                _attempt(soffice, file, target, timeout) if isinstance(result, ConversionFailed) else result
                for file, result in zip(chunk, made, strict=True)
            ]
        results.extend(made)
    return results


def _attempt(soffice: str, file: tuple[bytes, str], target: str, timeout: int) -> bytes | ConversionFailed:
    try:
        return convert(soffice, file[0], file[1], target, timeout)
    except ConversionFailed as error:
        return error


def convert(soffice: str, data: bytes, suffix: str, target: str, timeout: int) -> bytes:
    """``data`` (a file ending in ``suffix``) converted by LibreOffice (``soffice``) to ``target``; raises
    ConversionFailed (ConversionTimeout)."""
    result = _convert_batch(soffice, [(data, suffix)], target, timeout)[0]
    if isinstance(result, ConversionFailed):
        raise result
    return result


def _convert_batch(
    soffice: str, files: Sequence[tuple[bytes, str]], target: str, timeout: int
) -> list[bytes | ConversionFailed]:
    """``files`` converted by one LibreOffice start, in a profile of its own (a copy of the kept one, see
    above: parallel starts do not fight over one profile's lock). The wait for a slot counts against
    ``timeout`` too. A file the start did not make is the start's failure (a timeout, or LibreOffice's last
    words)."""
    started = time.monotonic()
    template = _profile_template(soffice)
    with conversion_slot(wait=timeout), tempfile.TemporaryDirectory(prefix="baocao-soffice-") as work:
        remaining = max(1.0, timeout - (time.monotonic() - started))
        folder = Path(work)
        sources = [folder / f"document-{number}{suffix}" for number, (_, suffix) in enumerate(files)]
        for source, (data, _) in zip(sources, files, strict=True):
            source.write_bytes(data)
        _copy_profile(template, folder / "profile")
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            *map(str, sources),
        ]
        failure: ConversionFailed | None = None
        try:
            result = subprocess.run(command, capture_output=True, timeout=remaining, check=False)
        except subprocess.TimeoutExpired:
            failure = ConversionTimeout(f"quá {timeout} giây")
        except OSError as error:
            failure = ConversionFailed(error.strerror or str(error))
        if failure is None and result.returncode != 0:
            failure = ConversionFailed(_last_words(result) or f"mã lỗi {result.returncode}")
        extension = target.split(":")[0]
        made: list[bytes | ConversionFailed] = []
        for source in sources:
            produced = folder / "out" / f"{source.stem}.{extension}"
            if failure is None and produced.is_file() and produced.stat().st_size:
                made.append(produced.read_bytes())
            else:  # LibreOffice could not read it: "Error: source file could not be loaded"
                made.append(failure or ConversionFailed(_last_words(result) or "không có tệp kết quả"))
        if failure is None:
            _keep_profile(folder / "profile", template)
        return made


def _last_words(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stderr or result.stdout).decode(errors="replace").strip()[-300:]
