"""Score the checker on the real corpus: public CCHC texts whose conflicts were written down by hand before
the checker ran on them (tests/fixtures/real/expected.json, sources in SOURCES.md).

Precision: reported errors that a reviewer also finds / all reported errors. Recall: conflicts a reviewer
finds that the checker reports / all of them. Also: crashes, "clean" verdicts without coverage, the verdicts.

Run: `.venv/bin/python bench/bench_real.py [DIR]` (`--smoke`: the same run on the corpus's first
SMOKE_FILES files; the whole corpus and its figures are tests/legacy/test_real_corpus.py's).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from baocao.legacy.scoring import score_corpus

ROOT = Path(__file__).resolve().parents[1]
SMOKE_FILES = 5


def first_files(directory: Path, count: int, into: Path) -> Path:
    """A corpus of the first ``count`` files (by name) of ``directory`` and their expected conflicts, in
    ``into``."""
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    kept = {name: expected[name] for name in sorted(expected)[:count]}
    for name in kept:
        shutil.copyfile(directory / name, into / name)
    (into / "expected.json").write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    return into


def main() -> None:
    given = [arg for arg in sys.argv[1:] if arg != "--smoke"]
    directory = Path(given[0]) if given else ROOT / "tests" / "fixtures" / "real"
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        if "--smoke" in sys.argv:
            directory = first_files(directory, SMOKE_FILES, Path(folder))
        start = time.perf_counter()
        score = score_corpus(directory)
        elapsed = time.perf_counter() - start
    per_file = elapsed / max(score.files, 1) * 1000
    print(f"{score.files} files in {elapsed:.2f} s (median {per_file:.0f} ms a file, as an average)")
    print(f"verdicts: {score.statuses}")
    print(f"expected conflicts: {score.expected}; errors reported: {score.reported}")
    print(f"precision: {score.precision:.2f}; recall: {score.recall:.2f}".replace(".", ","))
    print(f"crashes: {len(score.crashed)}; clean without coverage: {score.clean_without_coverage}")
    for line in score.misses:
        print(f"  missed: {line}")
    for line in score.false_alarms:
        print(f"  false alarm: {line}")
    for line in score.crashed:
        print(f"  crash: {line}")


if __name__ == "__main__":
    main()
