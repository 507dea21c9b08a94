"""Import runs: store the upload, check and preview it, commit it in one transaction."""

import hashlib
import logging
import tempfile
import threading
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record

from . import progress as run_progress
from .formats import available_kinds, format_for, guess_kind_from_name
from .models import ImportRun, Problem, Status
from .problems import ProblemLog

log = logging.getLogger(__name__)
CHUNK = 1 << 20


class ImportFailed(Exception):
    pass


def upload_dir() -> Path:
    path = Path(getattr(settings, "RETURNS_UPLOAD_DIR", Path(settings.BASE_DIR) / "var" / "returns"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def guess_kind(name: str) -> str:
    kind = guess_kind_from_name(name)
    if kind is None:
        raise ImportFailed(f"{name}: cannot tell which return this is from its name; choose the kind of return.")
    return kind


def create_run(chunks, file_name: str, kind: str | None = None, user=None) -> ImportRun:
    """Store an upload (an iterable of byte chunks) and open a run for it."""
    kind = kind or guess_kind(file_name)
    if kind not in available_kinds():
        raise ImportFailed(f"{file_name}: cannot import returns of kind '{kind}' yet.")
    run = ImportRun.objects.create(
        kind=kind,
        file_name=Path(file_name).name[:255],
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "",
    )
    # Unique even across databases that share the folder (tests, benchmarks): never overwrite a stored copy.
    target = upload_dir() / f"run-{run.pk}-{uuid.uuid4().hex}.{kind}"
    digest = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        for block in chunks:
            digest.update(block)
            size += len(block)
            out.write(block)
    run.stored_path, run.sha256, run.size = str(target), digest.hexdigest(), size
    run.save(update_fields=["stored_path", "sha256", "size"])
    return run


def create_run_from_path(
    path: str | Path, kind: str | None = None, user=None, file_name: str | None = None
) -> ImportRun:
    path = Path(path)
    if path.is_dir():  # a folder of CSV tables (e.g. an SSD extract): stored as one zip
        tables = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        if not tables:
            raise ImportFailed(f"{path}: the folder holds no CSV files.")
        packed = f"{path.name}.ssd.zip" if (path / "ssd_person.csv").exists() else f"{path.name}.zip"
        return create_run_from_files(
            [(p.name, _file_chunks(p)) for p in tables], kind, user, file_name=file_name or packed
        )

    def chunks():
        with open(path, "rb") as handle:
            while block := handle.read(CHUNK):
                yield block

    return create_run(chunks(), file_name or path.name, kind, user)


def _file_chunks(path: Path):
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            yield block


def create_run_from_files(
    files: Iterable[tuple[str, Iterable[bytes]]],
    kind: str | None = None,
    user=None,
    file_name: str | None = None,
) -> ImportRun:
    """Open one run for a set of files (e.g. the CSV tables of a return): (name, byte chunks) each.
    One file is stored as it is; several are stored as one zip (members named by their base
    name), so that the run has one stored copy with one checksum, re-read as for any upload."""
    files = list(files)
    if not files:
        raise ImportFailed("No file was given.")
    if len(files) == 1 and file_name is None:
        name, chunks = files[0]
        return create_run(chunks, name, kind, user)
    names = [Path(name).name for name, _ in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ImportFailed(f"Two files have the same name: {', '.join(twice)}.")
    handle = tempfile.NamedTemporaryFile(dir=upload_dir(), suffix=".zip", delete=False)  # noqa: SIM115
    handle.close()
    packed = Path(handle.name)
    try:
        with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, (_original, chunks) in zip(names, files, strict=True):
                with archive.open(name, "w") as member:
                    for block in chunks:
                        member.write(block)
        return create_run_from_path(packed, kind, user, file_name=file_name or f"{kind or 'return'}-files.zip")
    finally:
        packed.unlink(missing_ok=True)


def _reader(run: ImportRun, problems: ProblemLog, progress):
    return format_for(run.kind).reader(run, problems, progress)


def _importer(run: ImportRun, problems: ProblemLog, dry_run: bool):
    return format_for(run.kind).importer(problems, run=None if dry_run else run, dry_run=dry_run)


def _progress_saver(run: ImportRun, callback=None):
    """Progress goes to the run's row (seen at once in a preview) and to the file beside the
    upload (seen during a commit too, whose row changes are invisible until it ends)."""
    run_progress.write(run, 0, 0)  # the heartbeat starts with the phase

    def progress(done: int, records: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(processed=done, records=records)
        run_progress.write(run, done, records)
        run.processed, run.records = done, records
        if callback:
            callback(done, records)

    return progress


def _save_problems(run: ImportRun, problems: ProblemLog) -> None:
    Problem.objects.filter(run=run).delete()
    Problem.objects.bulk_create(
        [
            Problem(
                run=run,
                severity=p.severity,
                rule=p.rule,
                file_name=(p.file or run.file_name)[:255],
                child_id=p.child_id[:36],
                location=p.location[:300],
                field=p.field[:80],
                message=p.message,
            )
            for p in problems.items
        ],
        batch_size=2000,
    )
    run.errors, run.warnings = problems.errors, problems.warnings


def preview(run: ImportRun, progress=None) -> ImportRun:
    """Read and check the whole file and count what it would change. Writes nothing to the register."""
    run.status = Status.CHECKING
    run.save(update_fields=["status"])
    problems = ProblemLog(run.file_name)
    reader = _reader(run, problems, _progress_saver(run, progress))
    importer = _importer(run, problems, dry_run=True)
    try:
        importer.consume(reader)
    except Exception as exc:  # a bug, not bad input: keep the run honest
        log.exception("preview of run %s failed", run.pk)
        problems.error("internal", f"The check stopped unexpectedly: {exc.__class__.__name__}")
    run.header = reader.header
    run.collection_year = reader.collection_year
    run.summary = importer.summary()
    run.records = reader.count
    _save_problems(run, problems)
    run.status = Status.REJECTED if problems.errors else Status.PREVIEWED
    run.finished_at = timezone.now()
    run.save()
    return run


def claim(run: ImportRun) -> bool:
    """Move a previewed run to 'committing', once: a second click or command finds it taken."""
    taken = ImportRun.objects.filter(pk=run.pk, status=Status.PREVIEWED).update(status=Status.COMMITTING)
    if taken:
        run.status = Status.COMMITTING
        run_progress.write(run, 0, 0)  # a fresh heartbeat, or the preview's old one looks stale
    return bool(taken)


def commit(run: ImportRun, progress=None, claimed: bool = False) -> ImportRun:
    """Write the previewed file into the register in one transaction. Any error rolls everything back."""
    if not claimed and not claim(run):
        raise ImportFailed(
            f"Run {run.pk} is '{run.get_status_display()}': only a previewed run without errors can be committed."
        )
    if sha256_of(Path(run.stored_path)) != run.sha256:
        run.status, run.message = Status.FAILED, "The stored file changed after it was checked; nothing was imported."
        run.save(update_fields=["status", "message"])
        raise ImportFailed(run.message)
    return _write(run, progress, one_pass=False)


def check_and_commit(run: ImportRun, progress=None) -> ImportRun:
    """Check and import in one pass over the file, in one transaction: when any error
    is found everything is rolled back and the run is rejected (the command line's --commit)."""
    run.status = Status.CHECKING
    run.save(update_fields=["status"])
    return _write(run, progress, one_pass=True)


class _Rejected(Exception):
    pass


def _write(run: ImportRun, progress, one_pass: bool) -> ImportRun:
    problems = ProblemLog(run.file_name)
    reader = _reader(run, problems, _progress_saver(run, progress))
    importer = _importer(run, problems, dry_run=False)
    try:
        with transaction.atomic():
            importer.consume(reader)
            if problems.errors:
                raise _Rejected(f"{problems.errors} errors found")
            run.header, run.collection_year, run.records = reader.header, reader.collection_year, reader.count
            run.summary = importer.summary() | _settle_placeholders(run)
            _save_problems(run, problems)
            run.status = Status.COMMITTED
            run.committed_at = run.finished_at = timezone.now()
            run.save()
            record(
                Action.SYSTEM,
                user=run.user,
                obj=run,
                detail=f"Imported {run.get_kind_display()} {run.file_name} (run {run.pk}, sha256 {run.sha256[:12]}): "
                + "; ".join(
                    f"{k} {v.get('new', 0)} new, {v.get('changed', 0)} changed" for k, v in run.summary.items()
                ),
            )
    except _Rejected:
        run.refresh_from_db()
        run.header, run.collection_year, run.records = reader.header, reader.collection_year, reader.count
        _save_problems(run, problems)
        run.status = Status.REJECTED if one_pass else Status.FAILED
        run.message = "The file has errors, so nothing was imported."
        run.finished_at = timezone.now()
        run.save()
    except Exception as exc:
        log.exception("import of run %s failed", run.pk)
        run.refresh_from_db()
        _save_problems(run, problems)
        run.status = Status.FAILED
        run.message = f"Nothing was imported: {exc.__class__.__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save()
    return run


def _settle_placeholders(run: ImportRun) -> dict:
    """After any import, in its transaction: referrals the Annex A import made up that this
    return now gives for real are settled (returns.placeholders). The Annex A importer has
    done it already, inside its own work, so that its preview counts it; a CIN census or SSD
    preview writes nothing, so for them this shows only in the committed run's summary."""
    from .placeholders import settle
    from .provenance import Provenance

    provenance = Provenance(run, dry_run=False)
    done = settle(provenance)
    provenance.flush()
    return done.summary()


def start_in_background(run: ImportRun, action) -> None:
    """Preview or commit in a thread so that the page can show progress. Tests set
    RETURNS_RUN_INLINE to run it in the request instead."""
    if getattr(settings, "RETURNS_RUN_INLINE", False):
        action(run)
        return

    def work():
        close_old_connections()
        try:
            action(ImportRun.objects.get(pk=run.pk))
        finally:
            close_old_connections()

    threading.Thread(target=work, name=f"returns-run-{run.pk}", daemon=True).start()
