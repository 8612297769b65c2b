"""Official documents: the demo report as .docx and .xlsx, its PDF by LibreOffice, and a round's zip.

Targets: one report of the seed's size as a fully styled .docx ≤ 100 ms median and ≤ 0,3× the time of
python-docx's styled API for the same content (bench/docx_reference.py); the zip of a round with 200 units
≤ 20 s. Measured in-process on a throw-away SQLite database loaded with the demo; the 200-unit
round adds 186 invented communes to the demo's 14, each report holding the seed's values.

Run: `.venv/bin/python bench/bench_documents.py [--calls 50] [--units 200] [--pdf 3]`; `--smoke` runs every
step with tiny sizes (the test suite does, so the benchmark cannot rot).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file

from timing import copy_prepared_demo, data_folder, describe, timed

SMOKE_ROWS = 6
SMOKE_NOTE = f" (its appendix's first {SMOKE_ROWS} rows)"


def add_units(count: int) -> None:
    """Invented communes under Bạch Thông, up to ``count`` respondents, each with the seed's values."""
    from baocao.accounts.models import User
    from baocao.core.values import load_demo_values
    from baocao.reports import services
    from baocao.reports.models import Report, Value
    from baocao.rounds.models import Round
    from baocao.units.models import OrgUnit

    round_ = Round.objects.get(code="cchc-2024-q1")
    admin = User.objects.get(username="admin")
    district = round_.requested_by
    definition = services.definition_of(round_)
    values = {
        code: str(raw)
        for code, raw in load_demo_values().items()
        if raw is not None and str(raw) != "" and definition.by_code[code].is_input
    }
    missing = count - round_.respondents.count()
    for number in range(max(missing, 0)):
        unit = OrgUnit.objects.create(
            code=f"9{number:04d}", name=f"Thử {number + 1}", kind="Xã", level="commune", parent=district
        )
        round_.respondents.add(unit)
    for unit in round_.respondents.all():
        report = services.report_open(round_=round_, unit=unit, user=admin)
        if not Report.objects.get(pk=report.pk).values.exists():
            services.report_import(
                report=report, user=admin, values=values, origin="bench", source=Value.Source.TYPED
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every step still runs")
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.units, args.pdf = 1, 1, 1

    prepared = copy_prepared_demo()
    import django

    django.setup()
    from django.core.management import call_command

    if not prepared:  # a prepared copy is migrated
        call_command("migrate", verbosity=0)
    from baocao.accounts.models import User
    from baocao.demo import load_demo
    from baocao.documents.builder import build_report
    from baocao.documents.bundle import round_reports, round_zip
    from baocao.documents.docx_export import export_docx
    from baocao.documents.pdf_export import PdfUnavailable, convert
    from baocao.documents.xlsx_export import export_xlsx
    from baocao.reports.models import Report
    from baocao.rounds.models import Round
    from docx_reference import styled_api_docx  # bench/ is on the path when a bench script runs

    if not prepared:
        load_demo(today=date.today())
    # The demo holds the previous quarter too: the seed's report is the one of cchc-2024-q1.
    report = Report.objects.select_related("round", "unit__parent").get(
        unit__code="02008", round__code="cchc-2024-q1"
    )
    built = build_report(report)
    for _ in range(0 if args.smoke else 3):  # warm: imports, caches (a smoke's figures are not read)
        export_docx(built), export_xlsx(built)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        describe(
            "build the report data (queries, evaluation, narrative)",
            timed(args.calls, lambda: build_report(report)),
        )
    )
    # A smoke compares the two on the report with its first appendix rows only: python-docx's styled API
    # takes about a second for the whole appendix (its style lookups by name), and every step still runs.
    compared = dataclasses.replace(built, rows=built.rows[:SMOKE_ROWS]) if args.smoke else built
    ours = timed(args.calls, lambda: export_docx(compared))
    print(describe(f"docx of the demo report{SMOKE_NOTE if args.smoke else ''}, fully styled", ours))
    reference = timed(1 if args.smoke else max(args.calls // 5, 2), lambda: styled_api_docx(compared))
    print(describe("the same content through python-docx's styled API", reference))
    ratio = statistics.median(ours[1]) / statistics.median(reference[1])
    print(f"docx: {ratio:.2f}× the CPU time of python-docx's styled API".replace(".", ","))
    print(describe("xlsx of the appendix", timed(args.calls, lambda: export_xlsx(built))))
    docx = export_docx(built)
    try:
        print(
            describe(
                "PDF: LibreOffice converts the docx (fresh profile)",
                timed(args.pdf, lambda: convert(docx, ".docx")),
            )
        )
    except PdfUnavailable as error:
        print(f"PDF: skipped ({error})")

    start = time.perf_counter()
    add_units(args.units)
    print(f"(setup: {args.units} reports in {time.perf_counter() - start:.1f} s)")
    reviewer = User.objects.get(username="huyen.bachthong")
    round_ = Round.objects.get(code="cchc-2024-q1")
    start = time.perf_counter()
    # The demo's round holds 14 communes already: a smoke zips the first --units of them only.
    reports = round_reports(reviewer, round_)[: args.units] if args.smoke else round_reports(reviewer, round_)
    data = round_zip(reports)
    elapsed = time.perf_counter() - start
    print(
        f"zip of the round, {len(reports)} units (docx + xlsx each): {elapsed:.1f} s, "
        f"{len(data) // 1024} KB; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    with data_folder():  # a temporary one unless BAOCAO_DATA_DIR names one
        main()
