"""The report page shows stored figures at once and refreshes them in the background."""

import io
import json
import logging
from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.outcomes.imports import import_responses
from brobyg.reports import services_snapshots, snapshots, tasks
from brobyg.reports.models import ReportRun, ReportSnapshot, SnapshotStatus
from brobyg.reports.report import build_report
from brobyg.reports.tables import Section, Table
from brobyg.reports.tests.test_report_pages import (
    PERIOD,
    chime_rows,
    client_for,
    import_chime,
    run_export,
)
from brobyg.test import assert_queries_do_not_grow, in_org

MOMENT = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
FIGURES = "Change on Brobyg CHIME check-in"


class Queue:
    """Stands in for the background worker that has not started yet: records what is queued."""

    def __init__(self):
        self.queued = []
        self.task = tasks.refresh_report_snapshot

    def enqueue(self, snapshot_id):
        self.queued.append(snapshot_id)

    def run_all(self):
        for snapshot_id in self.queued:
            self.task.call(snapshot_id)
        self.queued = []


def worker_not_started(monkeypatch) -> Queue:
    queue = Queue()
    monkeypatch.setattr(tasks, "refresh_report_snapshot", queue)
    return queue


def snapshots_of(organisation):
    with in_org(organisation):
        return list(ReportSnapshot.objects.order_by("pk"))


def report_reads(user) -> int:
    with scopes_disabled():
        return LogEntry.objects.filter(object_type="reports.report", actor=user).count()


def test_figures_are_stored_and_shown_at_once_with_their_time(client, instruments, personas):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    with time_machine.travel(MOMENT, tick=False):
        first = client.get(reverse("reports_report"), PERIOD).content.decode()
    [snapshot] = snapshots_of(personas.org_a)
    assert snapshot.status == SnapshotStatus.DONE and snapshot.computed_at == MOMENT
    assert FIGURES in first and "Figures computed" in first
    import_chime(personas.org_b, 8)  # another organisation's answers change nothing here
    with time_machine.travel(MOMENT + timedelta(minutes=9), tick=False):
        again = client.get(reverse("reports_report"), PERIOD).content.decode()
    [same] = snapshots_of(personas.org_a)
    assert same.computed_at == MOMENT  # shown as stored, not computed again
    assert FIGURES in again and "Compute again" in again
    assert 'hx-trigger="every 2s"' not in again
    assert report_reads(personas.maja) == 2  # every showing is an audited read, as before
    # Figures stored by another version of the code are computed again.
    with in_org(personas.org_a):
        ReportSnapshot.objects.filter(pk=same.pk).update(figures={"schema": 0})
    with time_machine.travel(MOMENT + timedelta(minutes=10), tick=False):
        newer = client.get(reverse("reports_report"), PERIOD).content.decode()
    assert FIGURES in newer
    assert snapshots_of(personas.org_a)[0].computed_at == MOMENT + timedelta(minutes=10)


def test_without_figures_the_page_shows_progress_and_the_poll_swaps_them_in(
    client, instruments, personas, monkeypatch
):
    import_chime(personas.org_a, 8)
    queue = worker_not_started(monkeypatch)
    client_for(client, personas.maja)
    page = client.get(reverse("reports_report"), PERIOD).content.decode()
    [snapshot] = snapshots_of(personas.org_a)
    assert queue.queued == [str(snapshot.public_id)]
    assert "The figures are being computed" in page and "<progress" in page
    poll = reverse("reports_snapshot", args=[snapshot.public_id])
    assert f'hx-get="{poll}"' in page and FIGURES not in page
    assert "Download as a file" in page  # the rest of the page is there meanwhile

    waiting = client.get(poll, **HTMX).content.decode()
    assert "<progress" in waiting and "hx-swap-oob" not in waiting
    reads = report_reads(personas.maja)
    queue.run_all()
    done = client.get(poll, **HTMX).content.decode()
    assert 'id="report-figures" hx-swap-oob="true"' in done and FIGURES in done
    assert "Figures computed" in done and 'hx-trigger="every 2s"' not in done
    assert report_reads(personas.maja) == reads + 1
    # Without htmx the poll's address leads back to the report with the same choices.
    assert client.get(poll).url.startswith(reverse("reports_report") + "?")


def test_stale_figures_are_shown_while_one_refresh_is_queued(
    client, instruments, personas, monkeypatch
):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    with time_machine.travel(MOMENT, tick=False):
        client.get(reverse("reports_report"), PERIOD)
    queue = worker_not_started(monkeypatch)
    with time_machine.travel(MOMENT + timedelta(minutes=11), tick=False):
        pages = [client.get(reverse("reports_report"), PERIOD).content.decode() for _ in "ab"]
        [snapshot] = snapshots_of(personas.org_a)
        refresh = reverse("reports_snapshot_refresh", args=[snapshot.public_id])
        assert client.post(refresh, **HTMX).status_code == 200  # "Compute again" meanwhile
    assert len(queue.queued) == 1  # one refresh, however often the page is asked for
    for page in pages:
        assert FIGURES in page and "New figures are being computed" in page
    assert snapshot.status == SnapshotStatus.QUEUED and snapshot.computed_at == MOMENT
    with time_machine.travel(MOMENT + timedelta(minutes=12), tick=False):
        queue.run_all()
    [snapshot] = snapshots_of(personas.org_a)
    assert snapshot.status == SnapshotStatus.DONE
    assert snapshot.computed_at == MOMENT + timedelta(minutes=12)


def test_compute_again_refreshes_fresh_figures(client, instruments, personas, monkeypatch):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    with time_machine.travel(MOMENT, tick=False):
        client.get(reverse("reports_report"), PERIOD)
    [snapshot] = snapshots_of(personas.org_a)
    refresh = reverse("reports_snapshot_refresh", args=[snapshot.public_id])
    with time_machine.travel(MOMENT + timedelta(minutes=1), tick=False):
        # The inline worker of tests computes at once, so the answer has the new figures.
        part = client.post(refresh, **HTMX).content.decode()
        assert 'hx-swap-oob="true"' in part and FIGURES in part
        back = client.post(refresh)
    assert back.status_code == 302 and back.url.startswith(reverse("reports_report") + "?")
    [snapshot] = snapshots_of(personas.org_a)
    assert snapshot.computed_at == MOMENT + timedelta(minutes=1)


def test_a_failed_refresh_keeps_the_old_figures_and_says_so(
    client, instruments, personas, monkeypatch, caplog
):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    with time_machine.travel(MOMENT, tick=False):
        client.get(reverse("reports_report"), PERIOD)
    [before] = snapshots_of(personas.org_a)

    def broken(**kwargs):
        raise RuntimeError("R-1 Mette Holm")

    monkeypatch.setattr(services_snapshots, "build_report", broken)
    with (
        time_machine.travel(MOMENT + timedelta(minutes=12), tick=False),
        caplog.at_level(logging.ERROR),
    ):
        page = client.get(reverse("reports_report"), PERIOD).content.decode()
    [after] = snapshots_of(personas.org_a)
    assert after.status == SnapshotStatus.FAILED
    assert after.figures == before.figures and after.computed_at == MOMENT
    assert FIGURES in page and "could not be computed again" in page
    assert "Compute again" in page
    assert "Mette Holm" not in caplog.text and str(after.public_id) in caplog.text


def test_an_evaluator_never_gets_a_managers_figures(client, instruments, personas):
    import_chime(personas.org_a, 3)  # small cells: hidden for the evaluator only
    manager = client_for(client, personas.maja).get(reverse("reports_report"), PERIOD)
    assert "&lt; 5" not in manager.content.decode()
    [unsuppressed] = snapshots_of(personas.org_a)
    assert unsuppressed.suppressed is False
    client_for(client, personas.eva)
    evaluator = client.get(reverse("reports_report"), PERIOD).content.decode()
    assert "&lt;\u202f5" in evaluator or "<\u202f5" in evaluator
    snapshots = snapshots_of(personas.org_a)
    assert [snapshot.suppressed for snapshot in snapshots] == [False, True]
    assert str(unsuppressed.public_id) not in evaluator
    poll = reverse("reports_snapshot", args=[unsuppressed.public_id])
    refresh = reverse("reports_snapshot_refresh", args=[unsuppressed.public_id])
    assert client.get(poll, **HTMX).status_code == 404
    assert client.post(refresh, **HTMX).status_code == 404
    # Nor does a member of another organisation get either.
    client_for(client, personas.carl)
    assert client.get(poll, **HTMX).status_code == 404


def test_quotes_are_read_live_and_never_stored(client, instruments, personas, monkeypatch):
    import_chime(personas.org_a, 8)

    def quotes(flt):
        table = Table(key="quotes", title="Quotes", columns=[])
        table.add("Nu tør jeg igen.")
        return Section(key="quotes", title="In the citizens' own words", tables=[table])

    monkeypatch.setattr(snapshots, "quotes_section", quotes)
    manager = client_for(client, personas.maja).get(reverse("reports_report"), PERIOD)
    assert "Nu tør jeg igen." in manager.content.decode()
    evaluator = client_for(client, personas.eva).get(reverse("reports_report"), PERIOD)
    assert "Nu tør jeg igen." not in evaluator.content.decode()
    for snapshot in snapshots_of(personas.org_a):
        assert "Nu tør jeg igen" not in json.dumps(snapshot.figures, ensure_ascii=False)


def test_stored_figures_come_back_as_the_same_report(instruments, personas):
    import_chime(personas.org_a, 8)
    with in_org(personas.org_a), translation.override("da"):
        for suppress in (True, False):
            built = build_report(
                organisations=[personas.org_a],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                suppress=suppress,
            )
            stored = snapshots.load(json.loads(json.dumps(snapshots.dump(built))))
            assert [section.title for section in stored.sections] == [
                section.title for section in built.sections
            ]
            for (_s1, table), (_s2, again) in zip(built.tables(), stored.tables(), strict=True):
                assert again.display_header() == table.display_header()
                assert again.display_rows() == table.display_rows()
                assert again.export_header() == table.export_header()
                assert again.export_rows() == table.export_rows()
                assert (again.chart is None) == (table.chart is None)
                if table.chart:
                    drawn = str(table.chart["svg"]).replace(table.chart["id"], "ID")
                    assert str(again.chart["svg"]).replace(again.chart["id"], "ID") == drawn
            assert (stored.start, stored.end, stored.suppressed) == (
                built.start,
                built.end,
                built.suppressed,
            )
    assert snapshots.load({"schema": 0}) is None  # another schema is computed again


def import_more(organisation, people):
    text = "respondent,instrument,version,timepoint,date,item,value\n" + "".join(
        chime_rows(f"S-{number}", "baseline", "2025-03-01", 2)
        + chime_rows(f"S-{number}", "end", "2025-10-01", 3)
        for number in range(people)
    )
    with in_org(organisation):
        import_responses(organisation=organisation, stream=io.StringIO(text))


def test_the_page_with_stored_figures_costs_few_queries_whatever_the_data(
    client, instruments, personas
):
    import_chime(personas.org_a, 6)
    client_for(client, personas.maja)
    url = reverse("reports_report") + "?start=2025-01-01&end=2025-12-31&follow_up=last"
    response = assert_queries_do_not_grow(client, url, lambda: import_more(personas.org_a, 40))
    assert FIGURES in response.content.decode()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) <= 15, "\n".join(query["sql"] for query in captured.captured_queries)


def test_report_files_use_fresh_stored_figures(
    client, instruments, personas, monkeypatch, django_capture_on_commit_callbacks
):
    import_chime(personas.org_a, 8)
    client_for(client, personas.eva).get(reverse("reports_report"), PERIOD)
    [snapshot] = snapshots_of(personas.org_a)
    assert snapshot.suppressed  # the evaluator's figures are a file's figures

    def not_again(**kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(services_snapshots, "build_report", not_again)
    content = run_export(client, django_capture_on_commit_callbacks, personas.eva, "csv")
    assert b"CHIME" in content
    with scopes_disabled():
        assert ReportRun.objects.get().status == "done"


def test_a_report_file_stores_its_figures_for_the_page(
    client, instruments, personas, django_capture_on_commit_callbacks
):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    run_export(client, django_capture_on_commit_callbacks, personas.maja, "csv")
    [snapshot] = snapshots_of(personas.org_a)
    assert snapshot.suppressed and snapshot.status == SnapshotStatus.DONE
    page = client_for(client, personas.eva).get(reverse("reports_report"), PERIOD)
    assert "Figures computed" in page.content.decode()
    assert snapshots_of(personas.org_a) == [snapshot]  # the evaluator's page used it


def test_old_figures_are_deleted_after_a_day(client, instruments, personas):
    import_chime(personas.org_a, 8)
    client_for(client, personas.maja)
    with time_machine.travel(MOMENT, tick=False):
        client.get(reverse("reports_report"), PERIOD)
    with time_machine.travel(MOMENT + timedelta(hours=23), tick=False):
        assert tasks.clear_old_report_files.call() == 0
    with time_machine.travel(MOMENT + timedelta(days=1, minutes=1), tick=False):
        assert tasks.clear_old_report_files.call() == 1
    assert snapshots_of(personas.org_a) == []
