"""Backup and restore of the whole service: the database and the uploaded files, in one tar archive.

The archive holds manifest.json, the database (database.dump: pg_dump's custom format; or database.sqlite3:
a copy made with SQLite's online backup API, consistent while the server runs) and the uploaded files
(files/returns/: RETURNS_UPLOAD_DIR, files/media/: MEDIA_ROOT, the plans' evidence). The database is dumped
first and the files copied after, so every file a dumped row names is in the archive (uploads are written
once and never changed). Decision 0024; README "Backup and restore"."""

import contextlib
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connection
from django.db.models.sql import InsertQuery
from django.db.utils import ConnectionHandler
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.services import record

FORMAT = 1
FOLDERS = {"returns": "RETURNS_UPLOAD_DIR", "media": "MEDIA_ROOT"}  # archive folder -> setting
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if not candidates:
        raise BackupError(f"{name} not found: install Debian's postgresql-client, the server's major version or newer")
    return candidates[-1]


def _pg_command(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    for option, variable in LIBPQ_OPTIONS.items():  # e.g. ?sslmode=verify-full in DATABASE_URL
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # never on the command line, where ps shows it
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def _files(folder: Path) -> list[Path]:
    """Regular files under folder (symbolic links are not followed: they could point anywhere)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _dump_database(path: Path) -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_command(connection.settings_dict)
        dump = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"]
        _run([*dump, *args, "--dbname", connection.settings_dict["NAME"]], env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # page by page, consistent with concurrent writers
        finally:
            target.close()
    else:
        raise BackupError(f"backup of a {vendor} database is not supported (PostgreSQL or SQLite only)")
    return vendor


def backup(out: Path) -> dict[str, Any]:
    """Write the archive to `out` (readable by its owner only). Returns the manifest."""
    out = Path(out)
    files = {name: _files(Path(getattr(settings, setting))) for name, setting in FOLDERS.items()}
    counts = {name: len(found) for name, found in files.items()}
    # Audited before the dump, so the backup holds its own record; no path or personal data in it.
    detail = f"{counts['returns']} returns files, {counts['media']} evidence files"
    record(Action.SYSTEM, detail=f"backup: {connection.vendor} database, {detail}")
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        vendor = connection.vendor
        db_file = Path(tmp) / DUMP.get(vendor, "database")
        _dump_database(db_file)
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "database": db_file.name,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "files": counts,
        }
        partial = Path(tmp) / "archive.tar"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=2))
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            tar.add(db_file, arcname=db_file.name)
            for name, found in files.items():
                root = Path(getattr(settings, FOLDERS[name]))
                for path in found:
                    tar.add(path, arcname=f"files/{name}/{path.relative_to(root).as_posix()}", recursive=False)
        os.replace(partial, out)  # the archive appears whole or not at all
    return manifest


@contextlib.contextmanager
def _target(database_url: str | None) -> Iterator[Any]:
    """The connection to restore into: the service's own, or one to the database a URL names (a connection of
    its own, outside django.db.connections, closed at the end)."""
    if not database_url:
        yield connection
        return
    target = ConnectionHandler({"default": dj_database_url.parse(database_url)})["default"]
    try:
        yield target
    finally:
        target.close()


def _audit(target: Any, detail: str) -> None:
    """AuditEvent.objects.create(action=SYSTEM, detail=...) on a connection that need not be in connections."""
    fields = [f for f in AuditEvent._meta.local_concrete_fields if not f.primary_key]
    query = InsertQuery(AuditEvent)
    query.insert_values(fields, [AuditEvent(action=Action.SYSTEM, detail=detail[:300])])
    query.get_compiler(connection=target).execute_sql()


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError) as exc:
        raise BackupError("not a Line of Sight backup: manifest.json is missing or unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"not a Line of Sight backup of format {FORMAT}: manifest.json says {manifest!r:.80}")
    return manifest


def restore(archive: Path, *, database_url: str | None = None, force: bool = False) -> dict[str, Any]:
    """Restore the archive into an empty database (the service's own, or the one database_url names) and
    empty upload folders. With force, a database or folders that already hold data are replaced."""
    with tarfile.open(archive, mode="r") as tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(tar)
        tar.extractall(tmp, filter="data")  # refuses absolute paths, .. and links out of the folder
        with _target(database_url) as target:
            if manifest["vendor"] != target.vendor:
                raise BackupError(
                    f"the backup is of a {manifest['vendor']} database and cannot be restored into {target.vendor}"
                )
            tables = target.introspection.table_names()
            if tables and not force:
                raise BackupError(
                    f"the database {target.settings_dict['NAME']} is not empty ({len(tables)} tables): restore into "
                    "an empty database, or add --force to replace what it holds"
                )
            folders = {name: Path(getattr(settings, setting)) for name, setting in FOLDERS.items()}
            held = [str(folder) for folder in folders.values() if _files(folder)]
            if held and not force:
                raise BackupError(f"the upload folders are not empty ({', '.join(held)}): empty them or add --force")
            _restore_database(target, Path(tmp) / manifest["database"], force=bool(tables))
            for name, folder in folders.items():
                source = Path(tmp) / "files" / name
                if source.is_dir():
                    shutil.copytree(source, folder, dirs_exist_ok=True)
            files = manifest.get("files", {})
            _audit(
                target,
                f"restore: backup of {manifest['created_at']} ({manifest['vendor']}), "
                f"{files.get('returns', 0)} returns files, {files.get('media', 0)} evidence files",
            )
    return manifest


def _restore_database(target: Any, dump: Path, *, force: bool) -> None:
    if target.vendor == "postgresql":
        target.close()
        args, env = _pg_command(target.settings_dict)
        command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, *args, "--dbname", target.settings_dict["NAME"], str(dump)], env)
    else:
        target.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(target.connection)  # replaces every page of the target: its old tables go
        finally:
            source.close()
