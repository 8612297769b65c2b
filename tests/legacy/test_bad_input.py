"""Files that cannot be read: a Vietnamese message, exit code 2, no traceback, nothing expanded or loaded
past the limits."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from baocao.legacy.model import ReadError
from baocao.legacy.read import MAX_FILE_BYTES, read_bytes, read_file

COLLECTION = Path(__file__).parents[1] / "fixtures" / "legacy"


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _corrupt_docx(path: Path) -> None:
    path.write_bytes((COLLECTION / "v0-dung.docx").read_bytes()[:3000])


def _encrypted_docx(path: Path) -> None:
    # An encrypted Word file is an OLE compound file (EncryptedPackage inside), not a zip.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


@cache
def _zip_bomb_bytes() -> bytes:
    """Made once for the module (compressing 150 MB takes half a second): two tests write it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (150 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


def _zip_bomb(path: Path) -> None:
    path.write_bytes(_zip_bomb_bytes())


def _xxe_docx(path: Path) -> None:
    source = zipfile.ZipFile(COLLECTION / "v0-dung.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
                ).replace("BÁO CÁO".encode(), b"&xxe;", 1)
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def _large(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing written


def _pdf_without_text(path: Path) -> None:
    """One page with a square drawn and no text layer, so the reader tries OCR and finds nothing. The page is
    small (7 cm square): OCR of a blank A4 page at 300 dpi took ≈ 1 s of CPU, this one ≈ 0.2 s."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 19 >>\nstream\n10 10 100 100 re f\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())


def _broken_xlsx(path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    path.write_bytes(buffer.getvalue())


BAD: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "empty": ("rong.txt", _empty, "rỗng"),
    "garbage": ("rac.txt", _garbage, "không phải là văn bản"),
    "corrupt docx": ("hong.docx", _corrupt_docx, "bị hỏng"),
    "encrypted docx": ("mat-khau.docx", _encrypted_docx, "mật khẩu"),
    "zip bomb": ("bom.docx", _zip_bomb, "lớn bất thường"),
    "xml entities": ("xxe.docx", _xxe_docx, "thực thể XML"),
    "50 MB": ("lon.txt", _large, "quá lớn"),
    "pdf without text": ("quet.pdf", _pdf_without_text, "không có lớp chữ"),
    "broken xlsx": ("hong.xlsx", _broken_xlsx, "bị hỏng"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_is_refused_with_a_vietnamese_message(case: str, tmp_path: Path) -> None:
    name, make, words = BAD[case]
    path = tmp_path / name
    make(path)
    with pytest.raises(ReadError) as raised:
        read_file(path)
    assert words in str(raised.value)


# The command in a process of its own, for each file in turn: its exit code, everything written to its error
# output (by the command and by the process it reads the file in) and its peak memory while it ran (VmHWM,
# reset before each file; not ru_maxrss, which keeps the forking test process's peak across exec).
CHECK_EACH = """
import json, os, sys, tempfile
from baocao.cli.main import main

results = {}
for path in sys.argv[1:]:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    with tempfile.TemporaryFile() as err:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(err.fileno(), 2)
        try:
            sys.argv = ["baocao", "check", path]
            try:
                main()
                code = 0
            except SystemExit as exit_:
                code = exit_.code
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        with open("/proc/self/status") as status:
            peak_kb = int(status.read().split("VmHWM:")[1].split()[0])
        err.seek(0)
        results[path] = {"code": code, "stderr": err.read().decode(), "peak_kb": peak_kb}
print(json.dumps(results))
"""


def test_cli_exits_2_without_traceback_and_within_bounded_memory(tmp_path: Path) -> None:
    """``baocao check FILE`` on each file the command must refuse without loading or expanding it. One
    process checks them one after the other (its start-up, Django's included, paid once)."""
    cases = {}
    for case in ["empty", "garbage", "zip bomb", "xml entities", "50 MB", "pdf without text"]:
        name, make, words = BAD[case]
        make(tmp_path / name)
        cases[str(tmp_path / name)] = (case, words)
    run = subprocess.run(
        [sys.executable, "-c", CHECK_EACH, *cases], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert list(results) == list(cases)
    for path, (case, words) in cases.items():
        result = results[path]
        assert result["code"] == 2, (case, result["stderr"])
        assert "Traceback" not in result["stderr"] and words in result["stderr"], (case, result["stderr"])
        assert result["peak_kb"] < 150 * 1024, case  # the bomb alone would expand to 150 MB


def test_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "lon.docx"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ReadError, match="quá lớn"):
        read_file(path)
    assert os.path.getsize(path) == MAX_FILE_BYTES + 1


def test_entity_is_never_resolved(tmp_path: Path) -> None:
    path = tmp_path / "xxe.docx"
    _xxe_docx(path)
    with pytest.raises(ReadError) as raised:
        read_file(path)
    assert "root:" not in str(raised.value)


@pytest.mark.parametrize("name", ["v0-dung.docx", "v1-dung.xlsx", "v0-dung.pdf", "v2-dung.txt"])
def test_damaged_copies_give_a_message_or_a_reading_never_a_crash(name: str) -> None:
    import random

    from baocao.core.definition import load_definition
    from baocao.legacy.check import check_document
    from baocao.legacy.read import read_bytes

    definition = load_definition("cchc-xa-quy")
    original = (COLLECTION / name).read_bytes()
    rng = random.Random(name)
    for _ in range(8 if name.endswith(".pdf") else 40):  # a PDF takes ~0,25 s to read
        data = bytearray(original)
        start = rng.randrange(len(data))
        for offset in range(rng.randint(1, 64)):
            if start + offset < len(data):
                data[start + offset] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        try:
            document = read_bytes(bytes(data), name)
        except ReadError:
            continue
        check_document(document, definition, name)


def test_pdf_whose_streams_inflate_past_the_bound_is_refused_quickly() -> None:
    import time
    import zlib

    from baocao.legacy.pdf import MAX_INFLATED_BYTES

    stream = zlib.compress(b"0" * (MAX_INFLATED_BYTES + (8 << 20)), 1)
    data = (
        b"%PDF-1.4\n1 0 obj\n<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    start = time.perf_counter()
    with pytest.raises(ReadError, match="luồng nén bung ra quá 100 MB"):
        read_bytes(data, "bom.pdf")
    assert time.perf_counter() - start < 10  # the bound is reached without holding the inflated bytes


def test_text_past_the_line_limit_is_refused_with_the_limit_stated() -> None:
    from baocao.legacy.read import MAX_LINES

    data = ("Tiếp nhận 29 hồ sơ.\n" * (MAX_LINES + 1)).encode()
    with pytest.raises(ReadError, match=r"tối đa 20\.000 dòng"):
        read_bytes(data, "dai.txt")
    assert len(read_bytes(("Tiếp nhận 29 hồ sơ.\n" * 5000).encode(), "vua.txt").paragraphs) == 20


def test_reading_stops_at_the_time_limit() -> None:
    import time

    from baocao.legacy.limits import TimeLimitExceeded, time_limit

    start = time.perf_counter()
    with pytest.raises(TimeLimitExceeded, match="đọc quá 1 giây"), time_limit("cham.pdf", seconds=1):
        while True:
            sum(range(10_000))
    assert time.perf_counter() - start < 3


def test_a_worker_cannot_take_more_memory_than_allowed() -> None:
    code = (
        "from baocao.legacy.limits import apply_memory_limit, time_limit\n"
        "apply_memory_limit()\n"
        "try:\n"
        "    with time_limit('to.xlsx'):\n"
        "        bytearray(1024 ** 3)\n"
        "except Exception as error:\n"
        "    print(error)\n"
    )
    env = {**os.environ, "BAOCAO_CHECK_MEMORY_MB": "300"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.stdout.strip() == (
        "tệp “to.xlsx” cần quá 300 MB bộ nhớ để đọc, đã dừng (tệp quá lớn khi giải nén hoặc bị hỏng)"
    )


def test_bad_limit_setting_is_a_message_not_a_traceback(monkeypatch) -> None:
    from baocao.legacy.limits import limit_seconds

    monkeypatch.setenv("BAOCAO_CHECK_SECONDS", "mot phut")
    with pytest.raises(ReadError, match="BAOCAO_CHECK_SECONDS phải là số nguyên dương"):
        limit_seconds()
