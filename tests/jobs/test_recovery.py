"""A job never stays "Đang chờ" forever: a worker that dies after taking a task but before marking its job
running, a task that vanished from the queue, a job that killed its worker too often. Recovery settles each
(run again while attempts remain, else failed in Vietnamese), and leaves alone what is merely waiting or
still worked on."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoDbBlocker

from baocao.analysis.jobs import KIND_REMIND, remind_task
from baocao.jobs import services
from baocao.jobs.models import Job, JobStatus
from tests.web.conftest import World

# Run in a separate process on its own SQLite database (its tables brought up to date, a job queued), then a
# real worker, killed by SIGKILL right after the library has claimed the task (its ``task_started`` signal)
# and before the task's body marks the job running.
SCENARIO = """
import os, signal
from baocao.cli.database import setup_database
setup_database()
from django_tasks.signals import task_started
from baocao.accounts.models import User
from baocao.analysis.jobs import start_remind
from baocao.jobs.worker import run_worker
user = User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri")
start_remind(user=user, days=5)
task_started.connect(lambda **kwargs: os.kill(os.getpid(), signal.SIGKILL), weak=False)
run_worker(batch=True)
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BAOCAO_DATA_DIR": str(tmp_path), "BAOCAO_EMBEDDED_WORKERS": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def _columns(model: type[models.Model], *names: str) -> str:
    fields = [model._meta.get_field(name) for name in names]
    return ", ".join(field.column for field in fields if isinstance(field, models.Field))


def _state(tmp_path: Path) -> dict[str, object]:
    """The job and its tasks as the processes left them in their database, read here with sqlite3 (the
    tables and columns named by the models)."""
    job, task = Job._meta.db_table, DBTaskResult._meta.db_table
    job_columns = _columns(Job, "status", "attempts", "task_id", "params")
    task_columns = _columns(DBTaskResult, "id", "status", "exception_class_path")
    with closing(sqlite3.connect(tmp_path / "baocao.sqlite3")) as db:
        (status, attempts, task_id, params), *others = db.execute(
            f"SELECT {job_columns} FROM {job}"
        ).fetchall()
        rows = db.execute(
            f"SELECT {task_columns} FROM {task} ORDER BY {_columns(DBTaskResult, 'enqueued_at')}"
        ).fetchall()
    assert others == []
    tasks = {str(uuid.UUID(id_)): task_status for id_, task_status, _ in rows}
    return {
        "status": status,
        "attempts": attempts,
        "task": tasks[task_id],
        "tasks": len(tasks),
        "first": [rows[0][1], rows[0][2]],
        "message": json.loads(params).get("message", ""),
    }


@pytest.fixture
def made_tables(tmp_path: Path, django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """The scenario's database with its tables made, copied from this run's own test database when that is
    SQLite (every test leaves it empty, and no migration adds rows): its migrations then have nothing left to
    do, instead of a second of CPU. Any row left in it would fail the scenario (one user, one job)."""
    if connection.vendor != "sqlite":
        return
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with closing(sqlite3.connect(tmp_path / "baocao.sqlite3")) as copy:
            connection.connection.backup(copy)


@pytest.mark.usefixtures("made_tables")
def test_a_worker_killed_between_taking_the_task_and_starting_the_job_is_recovered(tmp_path: Path) -> None:
    script = tmp_path / "scenario.py"
    script.write_text(SCENARIO)
    killed = _run(tmp_path, sys.executable, str(script))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # What the dead worker left: the task taken ("RUNNING"), the job never marked running.
    assert _state(tmp_path) == {
        "status": "queued",
        "attempts": 0,
        "task": "RUNNING",
        "tasks": 1,
        "first": ["RUNNING", ""],
        "message": "",
    }

    worker = _run(tmp_path, str(Path(sys.executable).parent / "baocao"), "worker", "--batch")
    assert worker.returncode == 0, worker.stderr

    state = _state(tmp_path)
    # The lost run counts as an attempt; the job ran again to the end on a fresh task.
    assert state["status"] == "done" and state["attempts"] == 2 and state["task"] == "SUCCESSFUL"
    assert state["tasks"] == 2
    assert state["first"] == ["FAILED", "baocao.jobs.services.WorkerLost"]
    assert state["message"] == "0 kỳ sắp đến hạn: đã nhắc 0 đơn vị; 0 đơn vị đã được nhắc hôm nay."


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _queued_job(world: World, attempts: int = 0) -> Job:
    job = services.enqueue(
        task=remind_task, owner=world.province_reviewer, kind=KIND_REMIND, label="Nhắc", params={"days": 5}
    )
    Job.objects.filter(pk=job.pk).update(attempts=attempts)
    return Job.objects.get(pk=job.pk)


def _taken(job: Job, worker: str, started_ago: int = 0) -> None:
    """The task as the library leaves it once a worker has claimed it (``DBTaskResult.claim``)."""
    DBTaskResult.objects.filter(id=job.task_id).update(
        status="RUNNING", worker_ids=[worker], started_at=timezone.now() - timedelta(seconds=started_ago)
    )


def test_a_queued_job_whose_worker_died_too_often_ends_failed_in_vietnamese(jobs_world: World) -> None:
    job = _queued_job(jobs_world, attempts=2)
    _taken(job, f"{socket.gethostname()}:{_dead_pid()}-AbC123")

    recovered = services.recover_stale()

    assert [(j.pk, j.status, j.attempts) for j in recovered] == [(job.pk, JobStatus.FAILED, 3)]
    assert recovered[0].error == (
        "Bộ xử lý việc nền dừng đột ngột khi đang làm việc này (đã chạy 3 lần). "
        "Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy báo quản trị hệ thống."
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    assert DBTaskResult.objects.count() == 1  # not queued again
    page = jobs_world.client(jobs_world.province_reviewer).get(f"/viec/{job.pk}/").content.decode()
    assert "Không thành công" in page and "đã chạy 3 lần" in page and "Đang chờ" not in page


def test_a_job_whose_task_vanished_from_the_queue_fails_at_once(jobs_world: World) -> None:
    job = _queued_job(jobs_world)
    DBTaskResult.objects.filter(id=job.task_id).delete()

    assert [j.status for j in services.recover_stale()] == [JobStatus.FAILED]
    job.refresh_from_db()
    assert job.error.startswith("Việc này không còn trong hàng đợi")
    assert DBTaskResult.objects.count() == 0  # nothing queued in its place


def test_waiting_and_live_jobs_are_left_alone(jobs_world: World) -> None:
    _queued_job(jobs_world)  # its task is READY: a worker will take it
    live_here = _queued_job(jobs_world)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _taken(live_here, f"{socket.gethostname()}:{sleeper.pid}-AbC123", started_ago=5)
        elsewhere = _queued_job(jobs_world)
        _taken(elsewhere, "may-khac:4242-AbC123", started_ago=5)  # another machine: only silence tells

        assert services.recover_stale() == []
        assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.QUEUED}

        # Taken long ago and never started: the worker on the other machine is gone.
        _taken(elsewhere, "may-khac:4242-AbC123", started_ago=301)
        assert [(j.pk, j.status, j.attempts) for j in services.recover_stale()] == [
            (elsewhere.pk, JobStatus.QUEUED, 1)
        ]
        assert Job.objects.get(pk=elsewhere.pk).task_id != elsewhere.task_id
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_job_no_worker_takes_says_so_on_its_page(jobs_world: World) -> None:
    job = _queued_job(jobs_world)
    client = jobs_world.client(jobs_world.province_reviewer)
    assert 'id="job-waiting"' not in client.get(f"/viec/{job.pk}/").content.decode()  # just queued
    DBTaskResult.objects.filter(id=job.task_id).update(enqueued_at=timezone.now() - timedelta(seconds=301))
    page = client.get(f"/viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-waiting"' in page and "chưa bộ xử lý việc nền nào nhận" in page
    assert 'hx-trigger="every 1s"' in page  # still asking: it runs once a worker is free
    # Taken by a worker: no longer waiting.
    _taken(job, "may-khac:4242-AbC123")
    assert 'id="job-waiting"' not in client.get(f"/viec/{job.pk}/").content.decode()
