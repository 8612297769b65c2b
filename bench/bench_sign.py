"""Digital signatures: what signing adds to the PDF conversion of a report, and what verifying costs.

Target (issue 13): signing adds ≤ 300 ms (median) to the PDF conversion. Measured in-process on a throw-away
SQLite database loaded with the demo (its own CA and Cẩm Giàng's keys): the report of Cẩm Giàng for quý I/2024
rendered as sent, converted to PDF/A by LibreOffice, then the signature block located and three signatures
applied (the chairman's, the seal, the appendix's), no TSA (a network round trip per signature would add the
TSA's own latency).

Run: `.venv/bin/python bench/bench_sign.py [--calls 20] [--pdf 3]`; `--smoke` runs one pass of each
measurement (the test suite does, so the benchmark cannot rot).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file

from timing import copy_prepared_demo, data_folder, describe, timed

# A smoke signs the report with its appendix's first rows only (as bench_documents compares its docx): the
# signature block, the three signatures and their check are the same, on a PDF of fewer pages (pyHanko's
# review of the whole report's tagged PDF alone took about 1.5 s of CPU).
SMOKE_ROWS = 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--pdf", type=int, default=3)
    parser.add_argument(
        "--smoke", action="store_true", help="one pass of each: checks that every step still runs"
    )
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.pdf = 1, 1
    verify_calls = 1 if args.smoke else max(3, args.calls // 4)

    prepared = copy_prepared_demo()
    import django

    django.setup()
    from django.core.management import call_command

    if not prepared:  # a prepared copy is migrated
        call_command("migrate", verbosity=0)
    from baocao.demo import load_demo
    from baocao.documents.builder import build_report
    from baocao.documents.pdf_export import export_pdf
    from baocao.reports.models import Report, Status
    from baocao.signing import services
    from baocao.signing.demo import DEMO_PASSWORD, ensure_demo_keys
    from baocao.signing.verify import forget_reviews, verify_pdf

    if prepared:
        print("demo: a prepared copy (BENCH_PREPARED_DEMO), without its signing step (its keys made here)")
    else:
        moments: dict[str, float] = {}
        start = time.perf_counter()
        load_demo(progress=lambda label, done, total: moments.setdefault(label, time.perf_counter()))
        signing_step = moments["Xong"] - moments["Ký số (chứng thư DEMO)"]
        loaded = time.perf_counter() - start
        print(f"demo loaded in {loaded:.1f} s, of which its signing step {signing_step:.1f} s")
    ensure_demo_keys()  # a prepared copy has none; the demo's signed copies are not needed here
    report = Report.objects.select_related("round", "unit").get(
        unit__code="02008", round__code="cchc-2024-q1"
    )
    person = services.leader_key(report.unit, report.unit.memberships.get(role="leader").user)
    agency = services.agency_key(report.unit)
    assert person is not None and agency is not None
    built = dataclasses.replace(build_report(report), draft=False, draft_note="", status=Status.SENT)
    if args.smoke:
        built = dataclasses.replace(built, rows=built.rows[:SMOKE_ROWS])
    pdfs: list[bytes] = []  # the timed conversions' own output is the PDF signed below
    print(
        describe(
            f"PDF/A: LibreOffice converts the .docx{f' (first {SMOKE_ROWS} rows)' if args.smoke else ''}",
            timed(args.pdf, lambda: pdfs.append(export_pdf(built, pdfa=True))),
        )
    )
    pdf = pdfs[-1]
    if not args.smoke:  # warm: fonts, imports (the demo's signing step has just run the whole service)
        services.sign_report(report, (person, DEMO_PASSWORD), (agency, DEMO_PASSWORD))
    from baocao.signing.layout import locate

    print(describe("locate the signature block", timed(args.calls, lambda: locate(pdf, title="CHỦ TỊCH"))))
    made = []  # the timed signings' own output is the PDF verified below
    signing = timed(
        args.calls,
        lambda: made.append(
            services.sign_pdf_only(pdf, report, (person, DEMO_PASSWORD), (agency, DEMO_PASSWORD))
        ),
    )
    print(describe("locate + three signatures (what signing adds)", signing))
    signed = made[-1].pdf
    trust = services.trust_config()

    def first_check() -> None:  # a file never checked before: pyHanko reviews every revision
        forget_reviews()
        verify_pdf(signed, trust)

    print(describe("verify the three signatures (a new file)", timed(verify_calls, first_check)))
    print(
        describe(
            "verify them again (its revision review remembered)",
            timed(verify_calls, lambda: verify_pdf(signed, trust)),
        )
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    with data_folder():  # a temporary one unless BAOCAO_DATA_DIR names one
        main()
