"""Time what a form author and the system do with a large form: compile it, import its workbook, evaluate it.

The form is a synthetic 300-row one shaped like the real appendix (30 groups of: a header, six counts, two
ratios, one yes/no; three rules per group; a narrative paragraph per group with three placeholders), built
in memory and written as a workbook by baocao's own export.

Run: `.venv/bin/python bench/bench_forms.py` (`--smoke`: one call of each on a 30-row form, as the test suite
runs it). Targets: compile ≤ 50 ms; import the workbook (open, read, check, compile) ≤ 1 s; whole-form
evaluation ≤ 1,5 ms (and `cchc-xa-quy` stays ≤ 0,5 ms).
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

from baocao.core.definition import compile_definition, load_definition
from baocao.core.evaluate import Raw, evaluate
from baocao.core.form_import import import_workbook
from baocao.core.form_workbook import write_workbook
from baocao.core.schema import DefinitionSpec
from baocao.core.values import load_demo_values

GROUPS = 30
SMOKE_GROUPS = 3  # a smoke's form: 30 rows, every kind of row, rule and paragraph still in it


def large_spec(groups: int = GROUPS) -> DefinitionSpec:
    items: list[dict[str, object]] = []
    rules: list[dict[str, object]] = []
    sections: list[dict[str, object]] = []
    for g in range(1, groups + 1):
        items.append({"code": f"{g}", "label": f"Nhóm {g}", "type": "group", "style": {"bold": True}})
        for n in range(1, 7):
            items.append(
                {
                    "code": f"{g}.{n}",
                    "label": f"Chỉ tiêu {g}.{n}",
                    "unit": "Hồ sơ",
                    "type": "count",
                    "over_time": "flow",
                }
            )
        for n, (part, whole) in ((7, (2, 1)), (8, (4, 3))):
            formula = f"{{{g}.{part}}} / {{{g}.{whole}}} * 100"
            items.append(
                {
                    "code": f"{g}.{n}",
                    "label": f"Tỷ lệ {g}.{n}",
                    "unit": "%",
                    "type": "ratio",
                    "formula": formula,
                }
            )
        items.append(
            {
                "code": f"{g}.9",
                "label": f"Có {g}.9",
                "unit": "Có/không",
                "type": "yesno",
                "over_time": "stock",
            }
        )
        for name, left, right in (("a", f"{{{g}.2}}", f"{{{g}.1}}"), ("b", f"{{{g}.4}}", f"{{{g}.3}}"),
                                  ("c", f"{{{g}.5}} + {{{g}.6}}", f"{{{g}.1}}")):  # fmt: skip
            message = f"Nhóm {g}: {{left}} lớn hơn {{right}}."
            rules.append(
                {
                    "code": f"R{g}{name}",
                    "left": left,
                    "op": "<=",
                    "right": right,
                    "severity": "error",
                    "message": message,
                }
            )
        text = f"Nhóm {g}: tiếp nhận {{{g}.1}} hồ sơ, đúng hạn {{{g}.2}}, đạt {{{g}.7}}%."
        sections.append({"code": f"I.{g}", "title": f"Nhóm {g}", "paragraphs": [text]})
    return DefinitionSpec.model_validate(
        {
            "code": "bieu-lon",
            "version": 1,
            "title": f"Biểu {groups * 10} dòng",
            "subject": "Thử",
            "issuing_body": "UBND",
            "level": "commune",
            "periods": ["quarter"],
            "appendix_title": "BIỂU",
            "items": items,
            "rules": rules,
            "narrative": [{"code": "I", "title": "KẾT QUẢ", "sections": sections}],
        }
    )


def large_values(seed: int = 2024, groups: int = GROUPS) -> dict[str, Raw]:
    rng = random.Random(seed)
    values: dict[str, Raw] = {}
    for g in range(1, groups + 1):
        whole = rng.randint(10, 500)
        values |= {
            f"{g}.1": str(whole),
            f"{g}.2": str(rng.randint(0, whole)),
            f"{g}.3": str(rng.randint(1, 50)),
        }
        values |= {f"{g}.4": "1", f"{g}.5": str(whole // 3), f"{g}.6": str(whole // 3), f"{g}.9": "Có"}
    return values


def timed(rounds: int, repeat: int, body: Callable[[], object]) -> list[float]:
    """Milliseconds per call, one figure per round of ``repeat`` calls."""
    figures = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            body()
        figures.append((time.perf_counter() - start) / repeat * 1000)
    return figures


def line(name: str, figures: list[float], target: float) -> str:
    median = statistics.median(figures)
    verdict = "đạt" if median <= target else "KHÔNG ĐẠT"
    spread = f"best {min(figures):.3f} ms, worst {max(figures):.3f} ms"
    return f"{name}: median {median:.3f} ms, {spread} (≤ {target} ms: {verdict})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="one round of one call: checks that every step runs"
    )
    args = parser.parse_args()
    rounds, scale = (1, 0) if args.smoke else (7, 1)
    groups = SMOKE_GROUPS if args.smoke else GROUPS
    spec = large_spec(groups)
    definition = compile_definition(spec)
    data = write_workbook(spec)
    assert import_workbook(data).spec == spec
    values = large_values(groups=groups)
    assert not evaluate(definition, values).errors
    commune, demo = load_demo_values(), load_definition("cchc-xa-quy")
    print(f"{platform.machine()} {platform.processor() or ''} Python {platform.python_version()}".strip())
    print(f"form: {len(spec.items)} rows, {len(spec.rules)} rules; workbook {len(data) // 1024} KB")
    size = f"{len(spec.items)}-row"
    print(line(f"compile a {size} form", timed(rounds, 1 + 9 * scale, lambda: compile_definition(spec)), 50))
    print(line("import its workbook", timed(rounds, 1 + scale, lambda: import_workbook(data)), 1000))
    evaluate_large = timed(rounds, 1 + 299 * scale, lambda: evaluate(definition, values))
    print(line(f"evaluate the {size} form", evaluate_large, 1.5))
    print(
        line(
            "evaluate cchc-xa-quy (demo)",
            timed(rounds, 1 + 999 * scale, lambda: evaluate(demo, commune)),
            0.5,
        )
    )


if __name__ == "__main__":
    main()
