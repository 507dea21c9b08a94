"""Import runs: store the upload, check and preview it, commit it in one transaction."""

import contextlib
import hashlib
import logging
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.logging import error_for_people
from audit.models import Action
from audit.services import record
from returns import progress as run_progress
from returns import rehearsal
from returns.formats import available_kinds, format_for, guess_kind_from_name
from returns.models import MOVES_FROM, Acceptance, HeldBackChild, ImportRun, Kind, Problem, Status
from returns.placeholders import Settled
from returns.problems import ProblemLog
from returns.provenance import children_touched
from returns.spool import ChildIds, Spool
from timescales.services import insert_rows

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
        all_or_nothing=all_or_nothing(kind),
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


class RunLost(Exception):
    """Someone else moved the run on (the stale check marked it failed): its work stops and keeps nothing."""


def advance(run: ImportRun, to: str, moves_from: Iterable[str] | None = None, **fields) -> bool:
    """Move the run to status `to`, with `fields`, only if its stored status is still one it may
    move from (models.MOVES_FROM, or the narrower `moves_from`): one conditional UPDATE, so the
    database, not this process's copy of the run, decides. False if the run was moved on meanwhile."""
    allowed = tuple(moves_from if moves_from is not None else MOVES_FROM[to])
    assert set(allowed) <= set(MOVES_FROM[to]), f"{allowed} -> {to} moves a run backwards"
    moved = ImportRun.objects.filter(pk=run.pk, status__in=allowed).update(status=to, **fields)
    if moved:
        run.status = to
        for name, value in fields.items():
            setattr(run, name, value)
    return bool(moved)


def _progress_saver(run: ImportRun, callback=None):
    """Progress goes to the run's row (seen at once in a preview) and to the file beside the
    upload (seen during a commit too, whose row changes are invisible until it ends). The row
    is updated only while the run still has the status it works under: when the stale check
    has marked it failed meanwhile, the work learns it has lost and stops (RunLost)."""
    working = run.status
    run_progress.write(run, 0, 0)  # the heartbeat starts with the phase

    def progress(done: int, records: int) -> None:
        if not ImportRun.objects.filter(pk=run.pk, status=working).update(processed=done, records=records):
            raise RunLost(f"run {run.pk} is no longer {working}")
        run_progress.write(run, done, records)
        run.processed, run.records = done, records
        if callback:
            callback(done, records)

    return progress


def _save_problems(run: ImportRun, problems: ProblemLog) -> None:
    Problem.objects.filter(run=run).delete()
    # Tuples in bulk (COPY on PostgreSQL): a model instance per problem cost more than the writing (up to 50,000).
    insert_rows(
        Problem,
        ("run_id", "severity", "rule", "file_name", "child_id", "location", "field", "message"),
        [
            (
                run.pk,
                p.severity,
                p.rule,
                (p.file or run.file_name)[:255],
                p.child_id[:36],
                p.location[:300],
                p.field[:80],
                p.message,
            )
            for p in problems.items
        ],
    )


def _finish(run: ImportRun, to: str, moves_from: Iterable[str], problems: ProblemLog, **fields) -> bool:
    """The run's outcome and its problems, in one short transaction, only if the run is still
    where this work left it; otherwise nothing is written and the run is read back as it is."""
    fields |= {"errors": problems.errors, "warnings": problems.warnings, "finished_at": timezone.now()}
    with transaction.atomic():
        if advance(run, to, moves_from, **fields):
            _save_problems(run, problems)
            return True
    _lost(run)
    return False


def _lost(run: ImportRun) -> None:
    log.warning("run %s was moved on by another process while it worked; its outcome was not kept", run.pk)
    run.refresh_from_db()


# Kinds whose preview rehearses its writes in a transaction it rolls back (the Annex A
# importer: its counts come from doing the work). Their file is read before that transaction
# opens, so that the write lock is held only while the rows are matched and counted.
_PREVIEW_IN_TRANSACTION = {Kind.ANNEX_A}
# Kinds whose reader can find a child's error after it has handed on some of the child's records
# (an Annex A child is on several lists, an SSD person in several tables): their preview reads
# the whole file first, as a commit does, so that it counts none of a held-back child's records.
_READ_FIRST = {Kind.ANNEX_A, Kind.SSD}


def preview(run: ImportRun, progress=None) -> ImportRun:
    """Read and check the whole file and count what it would change. Writes nothing to the
    register; the run's status and problems are written in short transactions of their own."""
    if not advance(run, Status.CHECKING):
        raise ImportFailed(f"Run {run.pk} is '{run.get_status_display()}': only an uploaded run can be checked.")
    problems = ProblemLog(run.file_name)
    reader = _reader(run, problems, _progress_saver(run, progress))
    importer = _importer(run, problems, dry_run=True)
    with ChildIds() as passed:
        with run_progress.beating(run):
            try:
                if run.kind in _READ_FIRST:
                    # The file is read first, then (Annex A) rehearsed in a snapshot (SQLite): no write lock held.
                    with Spool(reader, upload_dir()) as records:
                        read = held_back(run, problems, reader) or {}
                        rehearsing = run.kind in _PREVIEW_IN_TRANSACTION
                        with rehearsal.snapshot(upload_dir()) if rehearsing else contextlib.nullcontext():
                            importer.consume(_held_back_skipped(records, run, problems, read, passed))
                else:
                    importer.consume(_held_back_skipped(reader, run, problems, set(), passed))
            except RunLost:
                _lost(run)
                return run
            except Exception as exc:  # a bug, not bad input: keep the run honest
                log.exception("preview of run %s failed", run.pk)
                problems.error("internal", f"The check stopped unexpectedly: {exc.__class__.__name__}")
        held = held_back(run, problems, reader)
        committed = passed.count_without(held) if held is not None else 0
    if (held or problems.rows_skipped) and not committed:
        held = None  # every child (or row) has an error: no child would be committed, so the file is rejected
    _finish(
        run,
        Status.REJECTED if held is None else Status.PREVIEWED,
        (Status.CHECKING,),
        problems,
        header=reader.header,
        collection_year=reader.collection_year,
        records=reader.count,
        summary=importer.summary(),
        children_committed=committed if held is not None and not run_all_or_nothing(run) else None,
        children_held_back=len(held or ()),
        message=_held_message(len(held or ()), committed, problems.rows_skipped, done=False)
        if held is not None
        else "",
    )
    return run


# Kinds whose importers can leave out every record of one child, so that a child with an error can
# be held back whole while the others are committed: the CIN census and the 903 take the children
# one by one; the Annex A lists and the SSD tables are read whole before anything is written, and
# each row names its child (decision 0048).
PER_CHILD_KINDS = {Kind.CIN, Kind.SSDA903, Kind.ANNEX_A, Kind.SSD}


def all_or_nothing(kind: str) -> bool:
    """True when one error rejects the whole file of this kind: the council's administrator set it so on
    the returns pages, or, when nothing is stored for the kind, the server says so (LOS_RETURNS_ALL_OR_NOTHING;
    decision 0071); or the kind's importer cannot hold back one child."""
    if kind not in PER_CHILD_KINDS:
        return True
    stored = Acceptance.objects.filter(kind=kind).values_list("all_or_nothing", flat=True).first()
    return stored if stored is not None else kind in getattr(settings, "RETURNS_ALL_OR_NOTHING", ())


def run_all_or_nothing(run: ImportRun) -> bool:
    """The acceptance the run uses: the one recorded when its file was uploaded (a later change of the
    setting does not change a run under way), or today's for a run from before it was recorded."""
    return run.all_or_nothing if run.all_or_nothing is not None else all_or_nothing(run.kind)


def set_acceptance(kind: str, all_or_nothing_: bool, user) -> bool:
    """Set a return kind all-or-nothing or per child (administrators only: the view checks), audited with
    who, when and the old and new setting. Returns False when nothing changed."""
    if kind not in PER_CHILD_KINDS:
        raise ValueError(f"returns of kind '{kind}' are always imported all-or-nothing")
    with transaction.atomic():
        old = all_or_nothing(kind)
        if old == all_or_nothing_:
            return False
        setting, _ = Acceptance.objects.select_for_update().update_or_create(
            kind=kind,
            defaults={
                "all_or_nothing": all_or_nothing_,
                "changed_by": user,
                "changed_by_name": getattr(user, "username", "") or "",
            },
        )
        record(
            Action.CHANGE,
            obj=setting,
            user=user,
            detail=f"acceptance of {Kind(kind).label}: {_mode(old)} -> {_mode(all_or_nothing_)}",
        )
    return True


def _mode(all_or_nothing_: bool) -> str:
    return "all-or-nothing" if all_or_nothing_ else "per child"


def held_back(run: ImportRun, problems: ProblemLog, reader) -> dict[str, int] | None:
    """The children to hold back (child ID: number of errors), or None when the whole file must be
    rejected: an error that names no child (the file, a header, a column, a row with no child ID),
    a file that could not be read to the end, or a run imported all-or-nothing. Warnings never count."""
    if not problems.errors:
        return {}
    if problems.file_errors or getattr(reader, "fatal", False) or run_all_or_nothing(run):
        return None
    return dict(problems.error_children)


def _held_back_skipped(records, run: ImportRun, problems: ProblemLog, held, passed: ChildIds):
    """The records without those of a child held back: the children named in `held` and any child
    an error has named so far (the CIN reader reports a child's errors before it yields it).
    The ids of the children let through are added to `passed`. Attributes are the records'."""
    if run_all_or_nothing(run):
        return records
    return _Skipping(records, problems, held, passed)


class _Skipping:
    def __init__(self, records, problems: ProblemLog, held, passed: ChildIds) -> None:
        self._records, self._problems, self._held, self._passed = records, problems, held, passed

    def __iter__(self):
        for rec in self._records:
            child = getattr(rec, "la_child_id", "")
            if child and (child in self._held or child in self._problems.error_children):
                continue
            if child:
                self._passed.add(child)
            yield rec

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._records, name)


def _held_message(held: int, committed: int, skipped: int, done: bool) -> str:
    """What the run did with its children, for its page (numbers only: no child is named here); and
    the rows left out because they name no child (an Annex A row without a child ID, an adopter's row, an SSD
    row whose person cannot be told: decisions 0048, 0064)."""
    child = "child" if held == 1 else "children"
    text = ""
    if held and done:
        text = (
            f"{committed:,} children committed; {held:,} {child} held back whole because "
            f"{'its' if held == 1 else 'their'} records have errors (listed below). Correct them in the case "
            "management system: the next return of this kind commits each of them that has no error."
        )
    elif held:
        text = (
            f"{held:,} {child} with errors will be held back whole (listed below); committing imports the "
            f"other {committed:,} children."
        )
    if skipped:
        one = skipped == 1
        text += (
            f"{' ' if text else ''}{'1 row' if one else f'{skipped:,} rows'} {_left(one, done)} left "
            f"out because {'it has' if one else 'they have'} an error but no child to hold back (a row without a "
            "child ID, an adopter's row, or an SSD row that names no person); the rest of the file is not affected "
            "(see the problems)."
        )
    return text


def _left(one: bool, done: bool) -> str:
    if not done:
        return "will be"
    return "was" if one else "were"


def claim(run: ImportRun) -> bool:
    """Move a previewed run to 'committing', once: a second click or command finds it taken."""
    taken = advance(run, Status.COMMITTING)
    if taken:
        run_progress.write(run, 0, 0)  # a fresh heartbeat, or the preview's old one looks stale
    return taken


def commit(run: ImportRun, progress=None, claimed: bool = False) -> ImportRun:
    """Write the previewed file into the register in one transaction. Any error rolls everything back."""
    if not claimed and not claim(run):
        raise ImportFailed(
            f"Run {run.pk} is '{run.get_status_display()}': only a previewed run without errors can be committed."
        )
    if sha256_of(Path(run.stored_path)) != run.sha256:
        message = "The stored file changed after it was checked; nothing was imported."
        advance(run, Status.FAILED, (Status.COMMITTING,), message=message, finished_at=timezone.now())
        raise ImportFailed(message)
    return _write(run, progress, one_pass=False)


def check_and_commit(run: ImportRun, progress=None) -> ImportRun:
    """Check and import in one pass over the file, in one transaction: when any error
    is found everything is rolled back and the run is rejected (the command line's --commit)."""
    if not advance(run, Status.CHECKING):
        raise ImportFailed(f"Run {run.pk} is '{run.get_status_display()}': only an uploaded run can be imported.")
    return _write(run, progress, one_pass=True)


class _Rejected(Exception):
    pass


class _MoreHeldBack(Exception):
    """The write found errors naming children that were not held back: it is rolled back and
    tried again without them, so that none of a held-back child's records is written."""


ATTEMPTS = 3  # a second attempt is needed only when the importer itself finds a child's error


def _write(run: ImportRun, progress, one_pass: bool) -> ImportRun:
    """Read, parse and schema-check the whole file first, outside any transaction (Spool), then
    match and write in one transaction: a crash at any point leaves nothing half-written, and
    the write lock is held only for the writing (docs/decisions/0019-import-locking-and-status.md).
    Children with errors are held back whole: their records are skipped before the importer
    sees them (docs/decisions/0028-per-child-acceptance.md)."""
    working = run.status
    problems = ProblemLog(run.file_name)
    reader = None
    with run_progress.beating(run):
        try:
            reader = _reader(run, problems, _progress_saver(run, progress))
            with Spool(reader, upload_dir()) as records:
                held = held_back(run, problems, reader)
                if held is None:
                    raise _Rejected(f"{problems.errors} errors found")
                read = problems.mark()
                for attempt in range(ATTEMPTS):
                    try:
                        _write_attempt(run, problems, records, held, working)
                        break
                    except _MoreHeldBack:
                        found = held_back(run, problems, reader)
                        if found is None:
                            raise _Rejected(f"{problems.errors} errors found") from None
                        more = set(found) - set(held)
                        log.info("run %s: attempt %s held back %s more children", run.pk, attempt + 1, len(more))
                        # Keep what was found about the children now held back: the next attempt skips them.
                        problems.rewind(read, keep=_naming(more))
                        held = found
                else:
                    raise ImportFailed(f"the children with errors changed on each of {ATTEMPTS} attempts")
                log.info("run %s: committed", run.pk)
        except RunLost:
            _lost(run)
        except _Rejected:
            assert reader is not None
            _finish(
                run,
                Status.REJECTED if one_pass else Status.FAILED,
                (working,),
                problems,
                header=reader.header,
                collection_year=reader.collection_year,
                records=reader.count,
                message="The file has errors, so nothing was imported.",
            )
        except Exception as exc:
            log.exception("import of run %s failed", run.pk)
            _finish(run, Status.FAILED, (working,), problems, message=f"Nothing was imported: {_described(exc)}")
    if run.status == Status.COMMITTED:
        _recompute_after(run)
    return run


def _naming(children: set[str]):
    def names(found) -> bool:
        return found.child_id in children

    return names


def _write_attempt(run: ImportRun, problems: ProblemLog, records, held: dict[str, int], working: str) -> None:
    """One transaction: the records without the held-back children's, then the run's outcome."""
    reader = records
    importer = _importer(run, problems, dry_run=False)
    log.info("run %s: writing", run.pk)
    with ChildIds() as passed, transaction.atomic():
        importer.consume(_held_back_skipped(records, run, problems, held, passed))
        if problems.errors:
            found = held_back(run, problems, reader)
            if found is None:
                raise _Rejected(f"{problems.errors} errors found")
            if set(found) - set(held):
                raise _MoreHeldBack()
        committed = passed.count_without(held)
        if (held or problems.rows_skipped) and not committed:
            raise _Rejected("every child has an error")
        problems.drop_repeats()
        settled = _settle_placeholders(run)
        summary = importer.summary() | settled.summary()
        # Which children the recompute after the commit reads again (decision 0037), found while the run's
        # provenance is at hand, inside its transaction.
        run.touched_children = (  # type: ignore[attr-defined]  # not stored: read by _recompute_after
            children_touched(run) | settled.children | getattr(importer, "settled_children", set())
        )
        _save_problems(run, problems)
        now = timezone.now()
        fields = {
            "header": reader.header,
            "collection_year": reader.collection_year,
            "records": reader.count,
            "summary": summary,
            "errors": problems.errors,
            "warnings": problems.warnings,
            "committed_at": now,
            "finished_at": now,
            "children_committed": committed if not run_all_or_nothing(run) else None,
            "children_held_back": len(held),
            "message": _held_message(len(held), committed, problems.rows_skipped, done=True),
        }
        if not advance(run, Status.COMMITTED, (working,), **fields):
            raise RunLost(f"run {run.pk} is no longer {working}")
        _keep_held_back(run, held, passed)
        record(Action.SYSTEM, user=run.user, obj=run, detail=_imported(run, summary))


def _keep_held_back(run: ImportRun, held: dict[str, int], passed: ChildIds) -> None:
    """The children this run held back, and the children earlier runs of its kind held back
    that this one committed (let through and not held back): "tried again when the next return arrives",
    a held-back child is committed from the next return in which it has no error."""
    HeldBackChild.objects.bulk_create(
        [HeldBackChild(run=run, la_child_id=child[:36], errors=n) for child, n in sorted(held.items())],
        batch_size=2000,
    )
    waiting = HeldBackChild.objects.filter(run__kind=run.kind, committed_by__isnull=True).exclude(run=run)
    done = [pk for pk, child in waiting.values_list("pk", "la_child_id") if child in passed and child not in held]
    for start in range(0, len(done), 500):
        HeldBackChild.objects.filter(pk__in=done[start : start + 500]).update(committed_by=run)


def _imported(run: ImportRun, summary: dict) -> str:
    counts = "; ".join(f"{k} {v.get('new', 0)} new, {v.get('changed', 0)} changed" for k, v in summary.items())
    return f"Imported {run.get_kind_display()} {run.file_name} (run {run.pk}, sha256 {run.sha256[:12]}): {counts}"


def _described(exc: Exception) -> str:
    """What failed, for the run's page. A database error's text can quote the value it refused
    (a child's identifier), so only its kind is shown."""
    if isinstance(exc, DatabaseError):
        return f"{exc.__class__.__name__} (the database refused a value; the server log has the details)"
    return error_for_people(exc)  # no server path (a missing stored file's error quotes it)


def _settle_placeholders(run: ImportRun) -> Settled:
    """After any import, in its transaction: referrals the Annex A import made up that this
    return now gives for real are settled (returns.placeholders). The Annex A importer has
    done it already, inside its own work, so that its preview counts it; a CIN census or SSD
    preview writes nothing, so for them this shows only in the committed run's summary."""
    from returns.placeholders import settle
    from returns.provenance import Provenance

    provenance = Provenance(run, dry_run=False)
    done = settle(provenance)
    provenance.flush()
    return done


def queue_preview(run: ImportRun) -> None:
    """Queue the run's preview for the background worker (returns.tasks); the page shows it queued, then its
    progress. A task survives a restart of the web server (it is a row in the database)."""
    from returns.tasks import preview_run

    preview_run.enqueue(run_id=run.pk)


def queue_commit(run: ImportRun) -> None:
    """Queue the commit of a run already claimed (moved to 'committing')."""
    from returns.tasks import commit_run

    commit_run.enqueue(run_id=run.pk)


def _recompute_after(run: ImportRun) -> None:
    """After every committed import, the statutory timescales of the children it touched are recomputed on the
    queue, without anyone asking (every child's, when which were touched is not known, or when the task finds
    a subset not enough: timescales.services.why_full). Nothing is queued when a recompute of every child is
    queued already and not started: it will read this import too. A failure to queue it does not undo the
    import: the nightly recompute catches up."""
    from timescales.tasks import recompute_soon

    try:
        recompute_soon(reason=f"import run {run.pk}", children=getattr(run, "touched_children", None))
    except DatabaseError as exc:
        log.warning("run %s: could not queue the recompute (%s)", run.pk, exc.__class__.__name__)
