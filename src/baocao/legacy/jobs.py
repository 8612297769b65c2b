"""Checking an uploaded folder of old reports (several files, or a .zip of them) as a background job.

The web request only stores the uploaded files in the jobs folder (``inputs/``) and queues the job; the worker
checks the files one by one, each read in the checker's limited process (``read_limited``: its time and memory
limits) and checked within the time limit, and reports "3/12 tệp". A file that cannot be read is reported in
Vietnamese and the others are still checked. The results (the same dicts as ``baocao check --format json``)
are the job's file, shown by the results page ``legacy:folder_result``.

One file that is slow to read (``slow_to_read``: a PDF, which may need OCR; a file LibreOffice converts; a
large one) is a job of its own kind (``legacy_file_check``): the worker reads it (and a PDF's signatures),
keeps what it read as the job's file, and ``legacy:file_result`` checks that and shows the same page as a
file checked in the request, draft import included."""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
import zipfile
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django_tasks import task

from baocao.core.definition import DefinitionError
from baocao.jobs.models import Job, job_storage
from baocao.jobs.services import JobError, Progress, enqueue, run_job
from baocao.legacy.catalogue import form_refs
from baocao.legacy.check import check_chosen
from baocao.legacy.limits import read_limited, time_limit
from baocao.legacy.model import ReadDocument, ReadError, TableRow
from baocao.legacy.read import MAX_FILE_BYTES, MAX_UNZIPPED_BYTES, SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "KIND_FILE_CHECK",
    "KIND_FOLDER_CHECK",
    "MAX_FOLDER_BYTES",
    "MAX_FOLDER_FILES",
    "file_check_task",
    "file_read",
    "folder_check_task",
    "folder_results",
    "start_file_check",
    "start_folder_check",
]

KIND_FOLDER_CHECK = "legacy_folder_check"
KIND_FILE_CHECK = "legacy_file_check"
MAX_FOLDER_FILES = 100  # report files in one upload (Django's DATA_UPLOAD_MAX_NUMBER_FILES is 100 as well)
MAX_FOLDER_BYTES = MAX_UNZIPPED_BYTES  # the upload together, and a zip's files once unpacked
RESULT_NAME = "ket-qua-kiem-tra.json"
READ_NAME = "noi-dung-da-doc.json"
LABEL_FILE = "Kiểm tra báo cáo cũ “{name}”"
STEP_READING = "Đang đọc tệp (bản quét: nhận dạng chữ từng trang, có thể mất vài chục giây)…"
MSG_UNREADABLE = "Không đọc được tệp: {reason}"
LABEL_FILES = "Kiểm tra {count} tệp báo cáo cũ"
LABEL_ZIP = "Kiểm tra tệp nén “{name}”"
STEP_FILES = "{done}/{total} tệp"
MSG_GONE = "Không còn các tệp đã tải lên; hãy tải lên lại."
MSG_BAD_ZIP = "Tệp “{name}” không phải tệp nén .zip đọc được."
MSG_NO_REPORTS = "Không có tệp báo cáo nào ({kinds}) trong các tệp đã tải lên."
MSG_TOO_MANY = "Quá nhiều tệp báo cáo: {count} tệp (tối đa {limit} tệp một lần; hãy chia ra)."
MSG_MEMBER_TOO_LARGE = "tệp quá lớn ({size} MB, tối đa {limit} MB cho một báo cáo)"
MSG_FOLDER_TOO_LARGE = "Các tệp giải nén quá lớn (tối đa {limit} MB một lần)."
MSG_NOT_REPORT = "không phải tệp báo cáo ({kinds})"


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def _store(files: list[tuple[str, bytes]]) -> list[dict[str, str]]:
    """The uploaded files saved in a folder of their own in the jobs folder: each one's name and path."""
    storage = job_storage()
    folder = f"inputs/{uuid.uuid4().hex}"
    return [
        {
            "name": name,
            "path": storage.save(f"{folder}/{index}{PurePosixPath(name).suffix.lower()}", ContentFile(data)),
        }
        for index, (name, data) in enumerate(files)
    ]


def start_folder_check(*, user: User, files: list[tuple[str, bytes]], definition: str, back: str) -> Job:
    """Store the uploaded files in the jobs folder and queue their check; returns at once."""
    stored = _store(files)
    zipped = len(files) == 1 and files[0][0].lower().endswith(".zip")
    label = LABEL_ZIP.format(name=files[0][0]) if zipped else LABEL_FILES.format(count=len(files))
    return enqueue(
        task=folder_check_task,
        owner=user,
        kind=KIND_FOLDER_CHECK,
        label=label[:300],
        params={"files": stored, "definition": definition, "back": back, "view": "legacy:folder_result"},
    )


@task()
def folder_check_task(job_id: int) -> None:
    run_job(job_id, _check_folder)


def _entries(stored: list[dict[str, str]]) -> list[tuple[str, bytes | str]]:
    """Every report file of the upload, a zip's members unpacked: (name, its bytes, or why it is refused)."""
    storage = job_storage()
    entries: list[tuple[str, bytes | str]] = []
    unpacked = 0
    kinds = ", ".join(SUPPORTED_SUFFIXES)
    for item in stored:
        if not storage.exists(item["path"]):
            raise JobError(MSG_GONE)
        with storage.open(item["path"], "rb") as handle:
            data = handle.read()
        if not item["name"].lower().endswith(".zip"):
            entries.append((item["name"], data))
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise JobError(MSG_BAD_ZIP.format(name=item["name"])) from None
        with archive:
            for info in archive.infolist():
                if info.is_dir() or PurePosixPath(info.filename).name.startswith((".", "__MACOSX")):
                    continue
                name = info.filename
                if PurePosixPath(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    entries.append((name, MSG_NOT_REPORT.format(kinds=kinds)))
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    size, limit = _mb(info.file_size), _mb(MAX_FILE_BYTES)
                    entries.append((name, MSG_MEMBER_TOO_LARGE.format(size=size, limit=limit)))
                    continue
                try:
                    with archive.open(info) as member:  # one byte past the limit at most, whatever it says
                        content = member.read(MAX_FILE_BYTES + 1)
                except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
                    entries.append((name, f"không giải nén được ({error})"))
                    continue
                unpacked += len(content)
                if unpacked > MAX_FOLDER_BYTES:
                    raise JobError(MSG_FOLDER_TOO_LARGE.format(limit=_mb(MAX_FOLDER_BYTES)))
                entries.append((name, content))
                _count_reports(entries)
    if not _count_reports(entries):
        raise JobError(MSG_NO_REPORTS.format(kinds=kinds))
    return entries


def _count_reports(entries: list[tuple[str, bytes | str]]) -> int:
    """The report files so far; too many stops the job before anything more is unpacked."""
    reports = sum(isinstance(data, bytes) for _, data in entries)
    if reports > MAX_FOLDER_FILES:
        raise JobError(MSG_TOO_MANY.format(count=f"hơn {MAX_FOLDER_FILES}", limit=MAX_FOLDER_FILES))
    return reports


def _check_one(name: str, data: bytes | str, definition: str) -> dict[str, Any]:
    """One file as ``baocao check`` gives it: read in the limited process, checked within the time limit."""
    if isinstance(data, str):
        return {"file": name, "definition": definition, "error": data}
    if len(data) > MAX_FILE_BYTES:
        error = MSG_MEMBER_TOO_LARGE.format(size=_mb(len(data)), limit=_mb(MAX_FILE_BYTES))
        return {"file": name, "definition": definition, "error": error}
    try:
        document = read_limited(data, name)
        with time_limit(name):
            return check_chosen(document, name, definition or None, form_refs()).as_dict()
    except (ReadError, DefinitionError) as error:
        return {"file": name, "definition": definition, "error": str(error)}


def _check_folder(job: Job, progress: Progress) -> None:
    entries = _entries(job.params["files"])
    total = len(entries)
    progress(done=0, total=total, step=STEP_FILES.format(done=0, total=total))
    results = []
    for done, (name, data) in enumerate(entries, start=1):
        results.append(_check_one(name, data, job.params.get("definition", "")))
        progress(done=done, step=STEP_FILES.format(done=done, total=total))
    body = json.dumps(results, ensure_ascii=False, indent=2).encode()
    progress.save_result(RESULT_NAME, body, "application/json")
    storage = job_storage()
    for item in job.params["files"]:  # checked: the uploaded copies are no longer needed
        storage.delete(item["path"])


def folder_results(job: Job) -> list[dict[str, Any]] | None:
    """The results of a finished folder check, or None when its file is gone."""
    if not job.result or not job.result.storage.exists(job.result.name):
        return None
    with job.result.open("rb") as handle:
        data: list[dict[str, Any]] = json.loads(handle.read())
    return data


# ---------------------------------------------------------------------------------------------- one file


def start_file_check(*, user: User, name: str, data: bytes, definition: str, back: str) -> Job:
    """One file slow to read (``slow_to_read``: a PDF that may need OCR, a file LibreOffice converts, a
    large one), stored and queued; the worker reads it, and ``legacy:file_result`` checks what was read and
    shows the same page as a file checked in the request."""
    return enqueue(
        task=file_check_task,
        owner=user,
        kind=KIND_FILE_CHECK,
        label=LABEL_FILE.format(name=name)[:300],
        params={
            "files": _store([(name, data)]),
            "definition": definition,
            "back": back,
            "view": "legacy:file_result",
            "internal_file": True,  # what was read, for the results page: not a file to offer
        },
        total=1,
    )


@task()
def file_check_task(job_id: int) -> None:
    run_job(job_id, _read_file)


def _read_file(job: Job, progress: Progress) -> None:
    storage = job_storage()
    item = job.params["files"][0]
    if not storage.exists(item["path"]):
        raise JobError(MSG_GONE)
    with storage.open(item["path"], "rb") as handle:
        data = handle.read()
    progress(done=0, total=1, step=STEP_READING)
    try:
        document = read_limited(data, item["name"])
    except ReadError as error:
        raise JobError(MSG_UNREADABLE.format(reason=error)) from None
    body = {"name": item["name"], "document": dataclasses.asdict(document), "signatures": _signatures(data)}
    progress.save_result(READ_NAME, json.dumps(body, ensure_ascii=False).encode(), "application/json")
    storage.delete(item["path"])  # read: the uploaded copy is no longer needed


def _signatures(data: bytes) -> dict[str, Any] | None:
    """Hook (baocao.signing): an uploaded PDF's signatures as the results page shows them; None otherwise."""
    from baocao.signing.services import verify_upload

    verification = verify_upload(data)
    if verification is None:
        return None
    checks = [
        {**check.as_dict(), "valid": check.valid, "signed_at_text": check.signed_at_text}
        for check in verification.signatures
    ]
    return {"signatures": checks}


def file_read(job: Job) -> tuple[str, ReadDocument, dict[str, Any] | None] | None:
    """What a finished file check read: the file's name, its document, its signatures; None when gone."""
    if not job.result or not job.result.storage.exists(job.result.name):
        return None
    with job.result.open("rb") as handle:
        body = json.loads(handle.read())
    raw = body["document"]
    rows = [TableRow(**row) for row in raw["rows"]]
    document = ReadDocument(raw["kind"], raw["paragraphs"], rows, raw["ocr"])
    return body["name"], document, body["signatures"]
