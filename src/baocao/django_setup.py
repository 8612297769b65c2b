"""Start Django for commands that need the database; the core never imports this."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    import django

    django.setup()
