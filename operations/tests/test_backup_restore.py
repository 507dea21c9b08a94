"""A backup restored into an empty database holds every table's rows and the audit log as they were."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import ConnectionHandler

from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audit.services import record, record_shown
from children.tests.factories import AssessmentFactory, ChildFactory
from operations.services import beat

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(conn) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows ordered by primary key."""
    result = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            pk = conn.introspection.get_primary_key_column(cursor, table)
            order = f" ORDER BY {conn.ops.quote_name(pk)}" if pk else ""
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}{order}")
            rows = cursor.fetchall() if pk else sorted(cursor.fetchall(), key=repr)
            result[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def audit_rows(conn) -> list[tuple]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent ORDER BY id")
        return cursor.fetchall()


@pytest.fixture
def folders(tmp_path, settings):
    """Uploaded returns (nested, binary) and an evidence file; the restore then goes to empty folders."""
    returns, media = tmp_path / "returns", tmp_path / "media"
    (returns / "run-3").mkdir(parents=True)
    (returns / "run-3" / "cin.xml").write_bytes(b"<Message>\x00\xff</Message>")
    (returns / "annex_a.xlsx").write_bytes(bytes(range(256)) * 40)
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "minutes.docx").write_bytes(b"PK\x03\x04 minutes")
    settings.RETURNS_UPLOAD_DIR, settings.MEDIA_ROOT = returns, media
    return tmp_path


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database: on PostgreSQL on the same server as the test database, on SQLite a new file."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    sd = connection.settings_dict
    yield f"postgres://{sd['USER']}@{sd['HOST']}:{sd['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def council():
    worker = UserFactory(username="lead.sw")
    children = [ChildFactory(first_name=f"Amara{i}", last_name="Adeyemi") for i in range(3)]
    AssessmentFactory(referral__child=children[0])
    record(Action.VIEW, child=children[0], user=worker, detail="child record")
    record_shown(None, children, user=worker, detail="children list page 1")
    beat()
    return children


def test_restore_into_an_empty_database_holds_every_row_and_the_audit_log(folders, empty_database, settings):
    council()
    archive = folders / "backup.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "2 returns files and 1 evidence files" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # the owner's only: it holds children's records
    before = snapshot(connection)
    before_audit = audit_rows(connection)
    backup_event = AuditEvent.objects.get(detail__startswith="backup:")
    assert backup_event.action == Action.SYSTEM and "Amara" not in backup_event.detail and "Adeyemi" not in before

    settings.RETURNS_UPLOAD_DIR, settings.MEDIA_ROOT = folders / "new-returns", folders / "new-media"
    call_command("restore", str(archive), database_url=empty_database, stdout=io.StringIO())

    target = ConnectionHandler({"default": dj_database_url.parse(empty_database)})["default"]
    try:
        after = snapshot(target)
        after_audit = audit_rows(target)
    finally:
        target.close()
    assert set(after) == set(before) and len(before) > 50
    differing = {t for t in before if before[t] != after[t]}
    assert differing == {"audit_auditevent"}  # and there, only the restore's own event was added
    assert after_audit[: len(before_audit)] == before_audit
    [restore_event] = after_audit[len(before_audit) :]
    assert Action.SYSTEM in restore_event and any(str(v).startswith("restore: backup of ") for v in restore_event)
    assert before["children_child"][0] == 3 and before["audit_shownchild"][0] == 3
    for old, new in (("returns", "new-returns"), ("media", "new-media")):
        files = sorted(p.relative_to(folders / old) for p in (folders / old).rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(folders / new) for p in (folders / new).rglob("*") if p.is_file())
        assert all((folders / old / f).read_bytes() == (folders / new / f).read_bytes() for f in files)


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(folders, settings):
    council()
    archive = folders / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = snapshot(connection)
    settings.RETURNS_UPLOAD_DIR, settings.MEDIA_ROOT = folders / "new-returns", folders / "new-media"
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\).*--force.*Nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot(connection) == before
    assert not (folders / "new-returns").exists()


def test_restore_refuses_upload_folders_that_hold_files(folders, empty_database):
    council()
    archive = folders / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="upload folders are not empty"):
        call_command("restore", str(archive), database_url=empty_database, stdout=io.StringIO())
    target = ConnectionHandler({"default": dj_database_url.parse(empty_database)})["default"]
    try:
        assert target.introspection.table_names() == []
    finally:
        target.close()


def test_force_replaces_a_database_that_holds_data(folders, empty_database, settings):
    """Restore once, change the restored database, restore again with --force: it is the backup again."""
    council()
    archive = folders / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    settings.RETURNS_UPLOAD_DIR, settings.MEDIA_ROOT = folders / "new-returns", folders / "new-media"
    call_command("restore", str(archive), database_url=empty_database, stdout=io.StringIO())
    target = ConnectionHandler({"default": dj_database_url.parse(empty_database)})["default"]
    try:
        once = snapshot(target)
        with target.cursor() as cursor:
            cursor.execute("DELETE FROM audit_shownchild")
            cursor.execute("CREATE TABLE stray (id integer)" if target.vendor == "sqlite" else "SELECT 1")
        target.close()
        call_command("restore", str(archive), database_url=empty_database, force=True, stdout=io.StringIO())
        again = snapshot(target)
    finally:
        target.close()
    again.pop("stray", None)  # pg_restore --clean drops only what the backup holds
    assert {t: v for t, v in again.items() if t != "audit_auditevent"} == {
        t: v for t, v in once.items() if t != "audit_auditevent"
    }
    assert again["audit_auditevent"][0] == once["audit_auditevent"][0]  # the first restore's event replaced


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path, empty_database):
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        data = json.dumps({"format": 99}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a Line of Sight backup of format 1"):
        call_command("restore", str(bogus), database_url=empty_database, stdout=io.StringIO())


def test_backup_never_overwrites(tmp_path):
    existing = tmp_path / "backup.tar"
    existing.write_bytes(b"keep")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"keep"
    assert not list(Path(tmp_path).glob("tmp*"))


def test_libpq_options_from_the_database_url_reach_pg_dump():
    from operations.backup import _pg_command

    database = {"HOST": "db.internal", "PORT": 5432, "USER": "los", "PASSWORD": "s3cret"}
    args, env = _pg_command({**database, "OPTIONS": {"sslmode": "verify-full"}})
    assert args == ["--host", "db.internal", "--port", "5432", "--username", "los"]
    assert env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "verify-full"
    assert "s3cret" not in " ".join(args)
