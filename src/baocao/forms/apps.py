from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FormsConfig(AppConfig):
    name = "baocao.forms"
    verbose_name = "Biểu mẫu báo cáo"

    def ready(self) -> None:
        post_migrate.connect(_load_seeds, sender=self)


def _load_seeds(**kwargs: Any) -> None:
    """The package's forms are the shipped seeds: stored as published versions after every migrate (and
    after a test flushes the tables)."""
    from baocao.forms.services import load_seed_forms

    load_seed_forms(using=kwargs.get("using", "default"))
