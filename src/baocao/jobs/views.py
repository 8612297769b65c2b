"""A job's page (progress, then its file or its failure), its live part for htmx, its file and "Thử lại"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from baocao import access
from baocao.jobs.models import Job, JobStatus
from baocao.jobs.services import job_retry

RECENT = 20
POLL_SECONDS = 1


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(owner_id=request.user.pk).order_by("-pk")[:RECENT]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page, or (asked by htmx every second while the job runs) only its live part."""
    job = access.require_job(request.user, pk)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "waiting_too_long": job.waiting_too_long()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/detail.html", context)


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = access.require_job(request.user, pk)
    if job.status != JobStatus.DONE or not job.result or not job.result.storage.exists(job.result.name):
        raise Http404
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name, content_type=job.result_type
    )


@login_required
@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.require_job(request.user, pk)
    job_retry(job=job)
    return redirect("jobs:detail", job.pk)
