"""Start Django for commands that need the database; the core never imports this."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    import django
    from django.apps import apps

    # Once is enough: a second django.setup() would reconfigure logging onto whatever sys.stderr is then
    # (in tests, a capture that is closed afterwards).
    if apps.ready:
        return
    django.setup()
