"""'Match the waiting list' in the background: starting a run, following it, its result, one run
at a time, and a run that fails."""

import logging
from types import SimpleNamespace

import pytest
from django.test import TestCase
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.matching import tasks
from brobyg.matching.engine import assignment
from brobyg.matching.models import (
    BatchJob,
    BatchJobStatus,
    BatchProposal,
    BatchRun,
    BatchStep,
    Match,
)
from brobyg.test import (
    assert_queries_do_not_grow,
    in_org,
    make_member,
    make_peer,
    make_programme,
    make_user,
    make_waiting_request,
)


def _peer(personas, email, name, **fields):
    user = make_user(email, name)
    make_member(personas.org_a, user, ["peer"])
    return make_peer(personas.org_a, user, [personas.programme_a], **fields)


def _waiting(personas, name, phone):
    data = {"purposes": ["wellbeing"], "forms": ["individual"]}
    return make_waiting_request(personas.programme_a, request_data=data, name=name, phone=phone)[0]


def _start(client, personas, *, run=True):
    """Alice starts a run; with ``run`` the tests' tasks backend runs it when the request
    commits, as the worker does after it."""
    client.force_login(personas.alice)
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(
            reverse("matching_batch_create"), {"programmes": [personas.programme_a.public_id]}
        )


@pytest.fixture
def no_worker(monkeypatch):
    """The worker has not taken the run yet: it stays queued."""
    monkeypatch.setattr(tasks, "run_batch", SimpleNamespace(enqueue=lambda job_id: None))


def test_a_started_run_is_made_by_the_worker_and_its_page_shows_the_result(client, personas):
    _peer(personas, "p1@example.org", "Pia Holm", capacity=1)
    _waiting(personas, "Ane", "11111111")
    _waiting(personas, "Bo", "22222222")
    response = _start(client, personas)
    with in_org(personas.org_a):
        job = BatchJob.objects.get()
        run = BatchRun.objects.get()
        assert not Match.objects.exists()  # nothing is proposed before the review
        assert BatchProposal.objects.filter(batch=run).count() == 2
    assert response.status_code == 302
    assert response.url == reverse("matching_batch_job", args=[job.public_id])
    assert job.status == BatchJobStatus.DONE and job.step == BatchStep.FINISHED
    assert job.run == run and job.started_at and job.finished_at
    assert (job.requests_count, job.peers_count, job.explained_count) == (2, 1, 2)
    page = client.get(response.url).content.decode()
    assert "Forslagene er klar: 1 af 2 ventende borgere fik et forslag." in page
    assert reverse("matching_batch_detail", args=[run.public_id]) in page
    assert "hx-trigger" not in page  # finished: the page stops asking
    assert "Ane" not in page and "Pia Holm" not in page  # counts only; names are on the review
    started, made = LogEntry.objects.filter(
        action="create", object_type__startswith="matching.batch"
    ).order_by("pk")
    assert (started.object_type, started.object_id) == ("matching.batchjob", str(job.public_id))
    assert started.actor == personas.alice
    assert (made.object_type, made.object_id) == ("matching.batchrun", str(run.public_id))
    assert made.actor == personas.alice and made.details["matched"] == 1
    # The review and approval work as they always did.
    review = client.get(reverse("matching_batch_detail", args=[run.public_id]))
    assert "Ane" in review.content.decode()


def test_a_queued_run_is_followed_and_a_second_start_is_refused(client, personas, no_worker):
    _waiting(personas, "Ane", "11111111")
    response = _start(client, personas)
    page = client.get(response.url).content.decode()
    assert "Brobyg matcher ventelisten." in page
    assert 'hx-trigger="every 2s"' in page
    assert "Venter på baggrundsprocessen" in page
    overview = client.get(reverse("matching_overview")).content.decode()
    assert response.url in overview  # the way back to the run
    again = _start(client, personas)
    assert again.status_code == 200
    content = again.content.decode()
    assert "Ventelisten er allerede ved at blive matchet." in content
    assert f'value="{personas.programme_a.public_id}"' in content
    assert again.context["batch_form"]["programmes"].value() == [
        str(personas.programme_a.public_id)
    ]
    with in_org(personas.org_a):
        assert BatchJob.objects.get().status == BatchJobStatus.QUEUED
        assert not BatchRun.objects.exists()


def test_the_page_shows_the_step_a_running_run_is_in(client, personas):
    with in_org(personas.org_a):
        job = BatchJob.objects.create(
            organisation=personas.org_a,
            created_by=personas.alice,
            status=BatchJobStatus.RUNNING,
            step=BatchStep.EXPLAINING,
            requests_count=3500,
            peers_count=2000,
            explained_count=1400,
        )
    client.force_login(personas.alice)
    page = client.get(reverse("matching_batch_job", args=[job.public_id])).content.decode()
    assert "Trin 3 af 4: Forklarer hvert forslag …" in page
    assert "3500 ventende henvendelser, 2000 aktive peer-støtter." in page
    assert "1400 af 3500 forklaret." in page
    assert 'hx-trigger="every 2s"' in page


def test_the_worker_reports_each_step_as_it_goes(personas, monkeypatch):
    _peer(personas, "p1@example.org", "Pia Holm")
    _waiting(personas, "Ane", "11111111")
    with in_org(personas.org_a):
        job = BatchJob.objects.create(organisation=personas.org_a, created_by=personas.alice)
        job.programmes.set([personas.programme_a])
    seen = []

    def assign(*args, **kwargs):
        seen.append(BatchJob.objects.filter(pk=job.pk).values_list("step", "status").get())
        return real_assign(*args, **kwargs)

    real_assign = assignment.assign
    monkeypatch.setattr(assignment, "assign", assign)
    result = tasks.run_batch.call(str(job.public_id))
    assert seen == [(BatchStep.ASSIGNING, BatchJobStatus.RUNNING)]
    with in_org(personas.org_a):
        job.refresh_from_db()
        assert result == {"run": str(job.run.public_id)}
    assert job.status == BatchJobStatus.DONE
    # A job that has ended is not run again (a task delivered twice).
    assert tasks.run_batch.call(str(job.public_id)) == {}
    with in_org(personas.org_a):
        assert BatchRun.objects.count() == 1


def test_a_failed_run_says_so_calmly_and_saves_nothing(client, personas, monkeypatch, caplog):
    _peer(personas, "p1@example.org", "Pia Holm")
    _waiting(personas, "Ane Secret-Name", "11111111")

    def broken(*args, **kwargs):
        raise RuntimeError("Ane Secret-Name broke the engine")

    monkeypatch.setattr(assignment, "assign", broken)
    with caplog.at_level(logging.INFO):
        response = _start(client, personas)
    with in_org(personas.org_a):
        job = BatchJob.objects.get()
        assert not BatchRun.objects.exists()
        assert not BatchProposal.objects.exists()
        assert not Match.objects.exists()
    assert job.status == BatchJobStatus.FAILED and job.run is None and job.finished_at
    assert "Secret-Name" not in caplog.text and "Secret-Name" not in job.problem
    page = client.get(response.url).content.decode()
    assert "Der blev ikke lavet forslag" in page
    assert "Noget gik galt, så der blev ikke lavet forslag, og intet blev sendt til nogen." in page
    assert "hx-trigger" not in page
    # A failed run does not hold the queue: the coordinator can start again.
    monkeypatch.undo()
    again = _start(client, personas)
    with in_org(personas.org_a):
        assert again.url == reverse("matching_batch_job", args=[BatchJob.objects.first().public_id])
        assert BatchJob.objects.first().status == BatchJobStatus.DONE


def test_another_organisations_run_does_not_hold_the_queue(client, personas, no_worker):
    with in_org(personas.org_b):
        BatchJob.objects.create(organisation=personas.org_b, created_by=personas.carl)
    _waiting(personas, "Ane", "11111111")
    response = _start(client, personas)
    assert response.status_code == 302


def test_the_status_page_costs_the_same_queries_however_big_the_run(client, personas):
    _peer(personas, "p1@example.org", "Pia Holm", capacity=1)
    _waiting(personas, "Ane", "11111111")
    url = _start(client, personas).url
    with in_org(personas.org_a):
        job = BatchJob.objects.get()

    def grow():
        with in_org(personas.org_a):
            for number in range(5):
                request = _waiting(personas, f"Borger {number}", f"4000{number:04d}")
                BatchProposal.objects.create(
                    organisation=personas.org_a, batch=job.run, support_request=request
                )
            job.programmes.add(
                make_programme(personas.org_a, f"Indsats {len(job.programmes.all())}")
            )

    response = assert_queries_do_not_grow(client, url, grow)
    assert "Forslagene er klar" in response.content.decode()
