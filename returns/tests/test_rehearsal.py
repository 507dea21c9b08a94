"""The Annex A preview holds no write lock on the service's database while it rehearses (issue 12 point 3).

On SQLite it rehearses in a snapshot copy (returns.rehearsal); on PostgreSQL a rolled-back transaction
blocks no reader, so it stays in place. These tests commit for real (transaction=True): a snapshot is
only taken from a connection that is not already inside a transaction, as a request's or a worker's is.
"""

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from audit.models import Action, AuditEvent
from audit.services import record
from children.models import Child
from returns import rehearsal, services
from returns.annex_a.loader import AnnexAImporter
from returns.models import Status
from returns.tests.test_annex_a_helpers import SAMPLE, import_workbook, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def write_from_another_connection() -> list[str]:
    """An audit row written on another thread, so on another connection, as a page view would; its outcome."""
    outcome: list[str] = []

    def write() -> None:
        try:
            record(Action.SYSTEM, detail="written while the preview rehearsed")
            outcome.append("written")
        except Exception as exc:  # the lock held: SQLite's shared-cache test database refuses at once
            outcome.append(type(exc).__name__)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=120)
    return outcome


def test_the_preview_rehearses_without_the_service_databases_write_lock(monkeypatch, uploads):
    seen: list[tuple[str, bool, list[str]]] = []
    process = AnnexAImporter._process

    def watched(self, rows):
        process(self, rows)
        if not seen:  # once, after the first chunk has been written in the rehearsal
            seen.append(
                (rehearsal.alias(), connections[DEFAULT_DB_ALIAS].in_atomic_block, write_from_another_connection())
            )

    monkeypatch.setattr(AnnexAImporter, "_process", watched)
    run = import_workbook(SAMPLE, commit=False)

    assert run.status == Status.PREVIEWED
    [(where, service_in_transaction, outcome)] = seen
    assert outcome == ["written"]
    assert AuditEvent.objects.filter(detail="written while the preview rehearsed").exists()
    if connection.vendor == "sqlite":
        assert where != DEFAULT_DB_ALIAS and not service_in_transaction
    else:
        assert where == DEFAULT_DB_ALIAS
    assert Child.objects.count() == 0
    assert not list(uploads.glob("rehearsal-*")), "the snapshot is removed"
    assert DEFAULT_DB_ALIAS in connections.databases and len(connections.databases) == 1


def test_the_preview_counts_what_the_commit_then_does():
    run = import_workbook(SAMPLE, commit=False)
    previewed = run.summary
    assert previewed["children"] == {"new": 48}
    run = services.commit(run)
    assert run.status == Status.COMMITTED
    assert run.summary == previewed
    facts = snapshot()

    again = import_workbook(SAMPLE, commit=False)  # a rehearsal over a register that now holds the workbook
    assert set(again.summary["children"]) == {"unchanged"}
    assert snapshot() == facts


def test_a_failed_rehearsal_removes_its_snapshot(monkeypatch, uploads):
    def broken(self, rows):
        raise RuntimeError("a bug in the importer")

    monkeypatch.setattr(AnnexAImporter, "_process", broken)
    run = import_workbook(SAMPLE, commit=False)
    assert run.status == Status.REJECTED
    assert run.problems.filter(rule="internal").exists()
    assert not list(uploads.glob("rehearsal-*"))
    assert len(connections.databases) == 1
    assert rehearsal.alias() == DEFAULT_DB_ALIAS
