"""Background jobs: what a request costs when slow work goes to a job, and what the worker then takes.

Target (issue 14): a request never waits more than 2 s for slow work. Measured in-process with Django's test
client on a throw-away SQLite database loaded with the demo, as the district reviewer of Bạch Thông (he sees
Cẩm Giàng's report and the round): the PDF download that queues a job (a fresh job each call), the same
download once the PDF of this version exists (the file at once), the round zip that queues a job, and one
poll of the job's page (htmx, every second while it runs). Then one worker (the library's loop, batch mode)
makes a queued PDF: the time LibreOffice takes, which the request no longer waits for.

Run: `.venv/bin/python bench/bench_jobs.py [--calls 30]`; `--smoke` runs a few calls of each (the test suite
does, so the benchmark cannot rot).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
os.environ["BAOCAO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file

from timing import copy_prepared_demo, data_folder, describe, timed

PDF = "/reports/cchc-2024-q1/02008/tai-ve/pdf/"
ZIP = "/rounds/cchc-2024-q1/tai-ve.zip?pdf=1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--smoke", action="store_true", help="a few calls of each: checks that it still runs")
    args = parser.parse_args()
    if args.smoke:
        args.calls = 1

    import django

    prepared = copy_prepared_demo()  # the test suite's smoke: the demo loaded once for every benchmark
    django.setup()
    from django.core.management import call_command

    if not prepared:  # a prepared copy is migrated
        call_command("migrate", verbosity=0)
    from django.test import Client

    from baocao.accounts.models import User
    from baocao.demo import load_demo
    from baocao.jobs.models import Job, JobStatus
    from baocao.jobs.worker import run_worker

    if not prepared:
        load_demo(progress=lambda label, done, total: None)
    client = Client()
    client.force_login(User.objects.get(username="huyen.bachthong"))

    def queue_pdf() -> None:
        Job.objects.unfinished().delete()  # else the job under way is reused: a fresh job each call
        response = client.get(PDF)
        assert response.status_code == 302 and response["Location"].startswith("/viec/"), response

    queue_pdf()  # warm: imports, templates, as a running server has them
    print(describe("PDF download, queued as a job (request)", timed(args.calls, queue_pdf)))
    job = Job.objects.get(status=JobStatus.QUEUED)
    print(describe("job page poll (htmx partial)", timed(args.calls, lambda: _poll(client, job.pk))))
    start = time.perf_counter()
    run_worker(batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    print(f"worker: the queued PDF made in {(time.perf_counter() - start) * 1000:.0f} ms (LibreOffice)")

    def cached_pdf() -> None:
        response = client.get(PDF)
        assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]

    print(describe("PDF download, this version made before (file at once)", timed(args.calls, cached_pdf)))
    print(
        describe("round zip with PDFs, queued as a job (request)", timed(args.calls, lambda: client.get(ZIP)))
    )
    _national_exports(client, args.calls, ocr=not args.smoke)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


def _national_exports(client: object, calls: int, *, ocr: bool) -> None:
    """The comparison's workbook and a scanned PDF on the checker: each request queues a job; the worker's
    time is what the request used to take (OCR, tens of seconds: not in a smoke run)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baocao.jobs.models import Job, JobStatus
    from baocao.jobs.worker import run_worker

    def queue(make: object) -> None:
        Job.objects.unfinished().delete()  # a fresh job each call (the one under way would be reused)
        response = make()  # type: ignore[operator]
        assert response.status_code == 302 and response["Location"].startswith("/viec/"), response

    def work(label: str) -> None:
        start = time.perf_counter()
        run_worker(batch=True, interval=0)
        job = Job.objects.order_by("-pk").first()
        assert job is not None and job.status == JobStatus.DONE, job and job.error
        print(f"worker: {label} in {(time.perf_counter() - start) * 1000:.0f} ms")

    compare = "/phan-tich/so-sanh/cchc-2024-q1/?unit=063&format=xlsx"
    print(
        describe(
            "comparison .xlsx, queued as a job (request)",
            timed(calls, lambda: queue(lambda: client.get(compare))),
        )
    )  # type: ignore[attr-defined]
    work("the comparison's workbook made")
    scanned = _scanned_pdf()

    def upload() -> object:
        file = SimpleUploadedFile("ban-quet.pdf", scanned, content_type="application/pdf")
        return client.post("/bao-cao-cu/", {"file": file})  # type: ignore[attr-defined]

    print(describe("checker: a scanned PDF, queued as a job (request)", timed(calls, lambda: queue(upload))))
    if ocr:
        work("the scanned PDF read by OCR (what the request used to wait for)")


def _scanned_pdf() -> bytes:
    """One A4-wide page of page images only, as a scanner makes it (DejaVu Sans, 300 dpi)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    page = Image.new("L", (2480, 1600), 255)
    draw = ImageDraw.Draw(page)
    lines = ["BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024"]
    lines += [
        f"{n}. Tiếp nhận {20 + n} hồ sơ, trong đó: trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ."
        for n in range(12)
    ]
    for index, line in enumerate(lines):
        draw.text((120, 120 + index * 90), line, font=font, fill=0)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=300)
    return out.getvalue()


def _poll(client: object, pk: int) -> None:
    response = client.get(f"/viec/{pk}/", headers={"HX-Request": "true"})  # type: ignore[attr-defined]
    assert response.status_code == 200


if __name__ == "__main__":
    with data_folder():  # a temporary one unless BAOCAO_DATA_DIR names one
        main()
