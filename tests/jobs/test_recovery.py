"""A job never stays "Đang chờ" forever: a worker that dies after taking a task but before marking its job
running, a task that vanished from the queue, a job that killed its worker too often. Recovery settles each
(run again while attempts remain, else failed in Vietnamese), and leaves alone what is merely waiting or
still worked on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from baocao.analysis.jobs import KIND_REMIND, remind_task
from baocao.jobs import services
from baocao.jobs.models import Job, JobStatus
from tests.web.conftest import World

# Run in separate processes on their own SQLite database: a real worker, killed by SIGKILL right after the
# library has claimed the task (its ``task_started`` signal) and before the task's body marks the job running.
SCENARIO = """
import json, os, signal, sys
from baocao.django_setup import setup
setup()
step = sys.argv[1]
if step == "setup":
    from django.core.management import call_command
    from baocao.accounts.models import User
    from baocao.analysis.jobs import start_remind
    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri")
    print(start_remind(user=user, days=5).pk)
elif step == "die-on-claim":
    from django_tasks.signals import task_started
    from baocao.jobs.worker import run_worker
    task_started.connect(lambda **kwargs: os.kill(os.getpid(), signal.SIGKILL), weak=False)
    run_worker(batch=True)
else:
    from django_tasks_db.models import DBTaskResult
    from baocao.jobs.models import Job
    job = Job.objects.get()
    tasks = {str(t.id): t.status for t in DBTaskResult.objects.all()}
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    print(json.dumps({
        "status": job.status, "attempts": job.attempts, "task": tasks[job.task_id], "tasks": len(tasks),
        "first": [first.status, first.exception_class_path], "message": job.params.get("message", ""),
    }))
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BAOCAO_DATA_DIR": str(tmp_path), "BAOCAO_EMBEDDED_WORKERS": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def _state(tmp_path: Path, script: Path) -> dict[str, object]:
    run = _run(tmp_path, sys.executable, str(script), "state")
    assert run.returncode == 0, run.stderr
    result: dict[str, object] = json.loads(run.stdout)
    return result


def test_a_worker_killed_between_taking_the_task_and_starting_the_job_is_recovered(tmp_path: Path) -> None:
    script = tmp_path / "scenario.py"
    script.write_text(SCENARIO)
    setup = _run(tmp_path, sys.executable, str(script), "setup")
    assert setup.returncode == 0, setup.stderr

    killed = _run(tmp_path, sys.executable, str(script), "die-on-claim")
    assert killed.returncode == -signal.SIGKILL
    # What the dead worker left: the task taken ("RUNNING"), the job never marked running.
    assert _state(tmp_path, script) == {
        "status": "queued",
        "attempts": 0,
        "task": "RUNNING",
        "tasks": 1,
        "first": ["RUNNING", ""],
        "message": "",
    }

    worker = _run(tmp_path, str(Path(sys.executable).parent / "baocao"), "worker", "--batch")
    assert worker.returncode == 0, worker.stderr

    state = _state(tmp_path, script)
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
