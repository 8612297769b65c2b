"""Every `baocao` process (the server, each worker, each command) starts by importing the command line; the
server and its workers then start Django, and the server reads the URL table. None of these steps may load a
library that only some pages, commands or tasks use: each costs every process its import time (python-docx
and lxml, openpyxl, the PDF readers, pyhanko, fontTools and aiohttp, ≈ 1 s of CPU together; rich, the forms'
YAML and formula parsers for the command line itself; the API's django-ninja and pydantic for Django's
start). They are imported where they are used.

One fresh process walks the three steps in order (each only adds modules) and says, after each, which of the
libraries named for that step it has loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Used by a few pages, commands and tasks only: never loaded by starting a process.
ANYWHERE = [
    "aiohttp",
    "cryptography",
    "docx",
    "fontTools",
    "lxml",
    "matplotlib",
    "numpy",
    "openpyxl",
    "pdfminer",
    "pdfplumber",
    "PIL",
    "pyhanko",
    "pyhanko_certvalidator",
    "pypdfium2",
]
STEPS = {
    # `import baocao.cli.main`: what `baocao --help` costs; each command imports what it needs.
    "command line": [*ANYWHERE, "django", "lark", "pydantic", "rich", "yaml"],
    # django.setup() and the worker's module: `baocao worker` (each task imports its own modules). ninja and
    # pydantic (≈ 0.15 s) are the API's: the settings keep ninja out of INSTALLED_APPS for this.
    "worker": [*ANYWHERE, "lark", "ninja", "pydantic", "rich", "yaml"],
    # The URL table, read by the server (and each of its processes) before its first answer.
    "url table": [*ANYWHERE, "rich"],
}

PROBE = """
import json
import sys

def loaded(names):
    return sorted({m.split(".")[0] for m in sys.modules} & set(names))

steps = json.loads(sys.argv[1])
found = {}
import baocao.cli.main
found["command line"] = loaded(steps["command line"])
from baocao.django_setup import setup
setup()
import baocao.jobs.worker
found["worker"] = loaded(steps["worker"])
from django.urls import resolve
resolve("/")
found["url table"] = loaded(steps["url table"])
print(json.dumps(found))
"""


def test_starting_a_process_loads_no_library_only_some_pages_use() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baocao.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(STEPS)], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {step: [] for step in STEPS}
