"""Time the checker of old reports.

1. The seed in process: read the text file, map its appendix, bind and check its prose, evaluate (warm: the
   definition loaded once, as in a server or a directory run). Target ≤ 200 ms.
2. The whole command `baocao check SEED` as a user runs it (a new Python process each time: imports,
   definition, check, output). Target ≤ 1 s.
3. An archive of generated report files (tests/fixtures/legacy/make_fixtures.py: varied figures, wording,
   numbering, a planted conflict in some), checked by one `baocao check DIR` with its process pool and summary
   table. Target ≥ 20 files/s on this 2-core machine. PDFs are timed apart: pdfplumber reads ~0,2 s a PDF.

Run: `.venv/bin/python bench/bench_check.py [--files 1000]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_2f959b74d0f1a55a.txt"
BAOCAO = str(Path(sys.executable).with_name("baocao"))
PDFS = 60  # the PDF archive's size
SMOKE_ROWS = 6  # a smoke's PDF: its appendix's first rows only (smoke_pdf)
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "legacy"))


def in_process(rounds: int = 50) -> list[float]:
    from baocao.core.definition import load_definition
    from baocao.legacy.check import check_document
    from baocao.legacy.read import read_file

    definition = load_definition("cchc-xa-quy")
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = check_document(read_file(SEED), definition, str(SEED))
        times.append(time.perf_counter() - start)
        assert len(result.findings) == 11
    return times


def whole_command(rounds: int = 7) -> tuple[list[float], list[float]]:
    """Wall-clock time of each run, and the CPU time (user + system) the process used."""
    times, cpu = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run([BAOCAO, "check", str(SEED)], capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        assert run.returncode == 1
    return times, cpu


def make_archive(
    directory: Path, count: int, formats: tuple[str, ...], appendix_rows: int | None = None
) -> None:
    import make_fixtures  # type: ignore[import-not-found]

    rng = random.Random(5)
    kinds = list(make_fixtures.PLANTS.items())
    for index in range(count):
        kind, (plant, _) = kinds[index % len(kinds)]
        fmt = formats[index % len(formats)]
        name, seed = f"{index:04d}-{kind}", rng.randint(0, 10**6)
        make_fixtures.write_variant(directory, name, seed, plant, (fmt,), appendix_rows)


def to_pdf(directory: Path) -> None:
    """Each .docx of ``directory`` replaced by its PDF, converted by LibreOffice as the application converts
    (baocao.soffice: a kept profile, without the graphics self-test at each start; 20 files per start)."""
    from baocao import soffice

    command = soffice.soffice_path()
    assert command, "LibreOffice (soffice) is needed for the PDF archive; --no-pdf skips it"
    documents = sorted(directory.glob("*.docx"))
    made = soffice.convert_many(command, [(path.read_bytes(), ".docx") for path in documents], "pdf", 600)
    for path, pdf in zip(documents, made, strict=True):
        if isinstance(pdf, soffice.ConversionFailed):
            raise SystemExit(f"{path.name}: {pdf.reason}")
        path.with_suffix(".pdf").write_bytes(pdf)
        path.unlink()


def archive_run(directory: Path) -> tuple[float, int, float]:
    """Wall-clock seconds, files, and the CPU seconds the command and its worker processes used."""
    files = len(list(directory.iterdir()))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([BAOCAO, "check", str(directory)], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    assert run.returncode in (0, 1, 3), run.stderr[-2000:]
    assert f"{files} tệp: {files} đọc được" in run.stdout, run.stdout[-2000:]
    return elapsed, files, cpu


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every step still runs")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF archive (LibreOffice is slow)")
    args = parser.parse_args()
    if args.smoke:
        args.files = 3  # one of each format
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    warm = in_process(1 if args.smoke else 50)
    print(
        f"seed in process: median {ms(statistics.median(warm))}, best {ms(min(warm))}, worst {ms(max(warm))}"
    )
    command, cpu = whole_command(1 if args.smoke else 7)
    print(
        f"`baocao check SEED`: median {ms(statistics.median(command))}, worst {ms(max(command))}; "
        f"CPU time median {ms(statistics.median(cpu))}"
    )
    print(f"load average while measuring: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder)
        start = time.perf_counter()
        make_archive(archive, args.files, ("txt", "docx", "xlsx"))
        print(f"generated {args.files} files (txt, docx, xlsx) in {time.perf_counter() - start:.1f} s")
        if args.smoke and not args.no_pdf:  # its PDF checked by the same command (smoke_pdf)
            smoke_pdf(archive)
        elapsed, files, cpu = archive_run(archive)
        print(
            f"`baocao check DIR`, {files} files: {elapsed:.1f} s, {files / elapsed:.1f} files/s; "
            f"CPU {cpu:.1f} s: {files / cpu * (os.cpu_count() or 1):.1f} files/s "
            f"on an idle {os.cpu_count()}-core machine"
        )
    if args.no_pdf or args.smoke:
        return
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder)
        make_archive(archive, PDFS, ("docx",))
        to_pdf(archive)
        elapsed, files, cpu = archive_run(archive)
        print(
            f"`baocao check DIR`, {files} PDFs: {elapsed:.1f} s, {files / elapsed:.1f} files/s; "
            f"CPU {cpu:.1f} s"
        )


def smoke_pdf(archive: Path) -> None:
    """A smoke's PDF archive, one PDF made as a measuring run makes its 60 (``make_archive``, ``to_pdf``), put
    in ``archive`` beside the other formats: one `baocao check DIR` reads all four, a command's start (about
    1 s of CPU) fewer than a run of its own. Its report keeps the first SMOKE_ROWS rows of its appendix (4
    pages instead of 11, as bench_documents and bench_sign shorten theirs): pdfplumber reads each page, about
    0,2 s of CPU for the whole report, and the same steps run on the shorter one."""
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder)
        make_archive(made, 1, ("docx",), appendix_rows=SMOKE_ROWS)
        to_pdf(made)
        for pdf in made.glob("*.pdf"):
            pdf.rename(archive / f"pdf-{pdf.name}")
    print("a PDF (docx by LibreOffice) added to the archive")


if __name__ == "__main__":
    main()
