"""Every `baocao` process (the server, each worker, each command) reads the URL table when it starts: it must
not load pyhanko, fontTools and aiohttp (≈ 1 s of CPU) unless a signing page or command is used."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
import django
django.setup()
from django.urls import resolve
resolve("/")
heavy = {"pyhanko", "pyhanko_certvalidator", "fontTools", "aiohttp"}
print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
"""


def test_reading_the_url_table_loads_no_signing_library() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baocao.config.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
