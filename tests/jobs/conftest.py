"""The jobs' tests run the real queue: django-tasks' database backend, and its worker in this process for a
bounded batch (``work``): what ``baocao worker`` runs, minus the waiting."""

from __future__ import annotations

import pytest

from baocao.jobs import services
from baocao.jobs.worker import run_worker
from tests.documents.conftest import make_document_world
from tests.web.conftest import World


def work(max_tasks: int | None = None) -> None:
    """Every task ready now, run by the library's worker until the queue is empty."""
    run_worker(batch=True, max_tasks=max_tasks, interval=0)


@pytest.fixture
def no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries run at once (the worker's batch would stop before a delayed retry is due)."""
    monkeypatch.setattr(services, "RETRY_DELAY_SECONDS", 0)


@pytest.fixture
def jobs_world(transactional_db: None) -> World:
    """The document world, in a test whose transactions commit as the worker's do."""
    return make_document_world()
