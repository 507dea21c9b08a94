"""Import runs of statutory returns, the problems found in them, and the
provenance of every register row they created or changed."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Kind(models.TextChoices):
    CIN = "cin", "CIN census (XML)"
    SSDA903 = "ssda903", "SSDA903 looked-after children return"
    ANNEX_A = "annex_a", "Ofsted Annex A (Excel)"
    SSD = "ssd", "Standard Safeguarding Dataset (CSV)"


class Status(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    CHECKING = "checking", "Checking"
    PREVIEWED = "previewed", "Ready to commit"
    REJECTED = "rejected", "Has errors"
    COMMITTING = "committing", "Committing"
    COMMITTED = "committed", "Committed"
    FAILED = "failed", "Failed"


# A run's status only moves forward: each status with the statuses a run may reach it from.
# services.advance applies this as a conditional UPDATE, so that a run another process has
# moved on (marked failed when its heartbeat looked stopped) is never turned back.
MOVES_FROM: dict[str, tuple[str, ...]] = {
    Status.CHECKING: (Status.UPLOADED,),
    Status.PREVIEWED: (Status.CHECKING,),
    Status.REJECTED: (Status.CHECKING,),
    Status.COMMITTING: (Status.PREVIEWED,),
    Status.COMMITTED: (Status.COMMITTING, Status.CHECKING),  # the command's --commit checks and writes in one pass
    Status.FAILED: (Status.UPLOADED, Status.CHECKING, Status.COMMITTING),
}


class ImportRun(models.Model):
    # Not stored: set by progress.current while the run's preview or commit waits on the queue for a worker.
    queued = False

    kind = models.CharField(max_length=8, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, help_text="where the uploaded file is kept")
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    collection_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="the year in which the collection ends on 31 March"
    )
    header = models.JSONField(default=dict, blank=True)
    processed = models.PositiveIntegerField(default=0, help_text="bytes read so far")
    records = models.PositiveIntegerField(default=0, help_text="children read so far")
    summary = models.JSONField(default=dict, blank=True, help_text="new / changed / unchanged by table")
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Per-child acceptance (docs/decisions/0028-per-child-acceptance.md): children without errors
    # are committed, each child with an error is held back whole. Null until the run has counted.
    children_committed = models.PositiveIntegerField(
        null=True, blank=True, help_text="children committed (in a preview: that a commit would commit)"
    )
    children_held_back = models.PositiveIntegerField(default=0, help_text="children held back for their errors")
    # The acceptance the run used, fixed when the file was uploaded (decision 0071): a change of the
    # kind's setting later does not change a run already under way. Null: a run from before it was recorded.
    all_or_nothing = models.BooleanField(
        null=True, blank=True, help_text="true: one error rejected the whole file; false: children held back one by one"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.processed / self.size)) if self.size else 0

    @property
    def busy(self) -> bool:
        return self.status in {Status.UPLOADED, Status.CHECKING, Status.COMMITTING}


class Severity(models.TextChoices):
    ERROR = "error", "Error"
    WARNING = "warning", "Warning"


class Problem(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    rule = models.CharField(max_length=80)
    file_name = models.CharField(max_length=255)
    child_id = models.CharField("child ID", max_length=36, blank=True)
    location = models.CharField(max_length=300, blank=True, help_text="XML path and line, or row")
    field = models.CharField(max_length=80, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["pk"]


class SourceRecord(models.Model):
    """Provenance: this register row was created or changed by this run, from this record."""

    # No foreign-key constraints in the database for run and content_type (db_constraint=False), as there is
    # none for object_id: an import writes one of these rows per fact (three million for England's CIN
    # census), all naming the one run and a dozen content types, and PostgreSQL's check of each row at
    # COMMIT (a locking read of the same parent row) was most of the commit. Only the importers write
    # these rows, from the run they are importing; on_delete is Django's, so a run with provenance is
    # still protected (decision 0060).
    # Its index is the (run, content_type, object_id) one below, not one of its own.
    run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="source_records", db_constraint=False, db_index=False
    )
    # No index of its own: the (content_type, object_id) index below serves it, and an
    # import writes one of these rows per fact, so each index costs.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False, db_constraint=False)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    record_path = models.CharField(max_length=200)
    created = models.BooleanField(help_text="true: the run created the row; false: it changed it")

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The rows a run wrote, per table, read from the index alone: children_touched asks for each
            # table's object ids of one run (six queries after a CIN import); through an index of run
            # alone each walked all the run's rows in the table (decision 0077).
            models.Index(fields=["run", "content_type", "object_id"], name="returns_sourcerecord_run_ct"),
        ]


class HeldBackChild(models.Model):
    """A child a committed run held back whole because its records have errors (its findings
    are the run's problems naming it). When a later run of the same kind commits the child,
    `committed_by` names that run."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="held_back")
    la_child_id = models.CharField("child ID", max_length=36)
    errors = models.PositiveIntegerField(default=0)
    committed_by = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="committed_held_back"
    )

    class Meta:
        ordering = ["run", "la_child_id"]
        constraints = [models.UniqueConstraint(fields=["run", "la_child_id"], name="held_back_once_per_run")]
        indexes = [models.Index(fields=["la_child_id"])]

    def __str__(self) -> str:
        return f"{self.la_child_id} held back by run {self.run_id}"


class InstalledSchema(models.Model):
    """A DfE XML schema an administrator installed for a collection year, from the returns pages,
    without a release (issue 13 point 6). Each upload for a year is a new version; the latest is
    the active one, and that year's files are checked against it instead of the bundled schema
    (returns/cin/schemas.py). Kept whole, never edited: a past run can say which version it met."""

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CIN)
    collection_year = models.PositiveSmallIntegerField(help_text="the year in which the collection ends on 31 March")
    version = models.PositiveIntegerField()
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="the XSD as uploaded")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "-collection_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "collection_year", "version"], name="schema_version_once"),
            models.UniqueConstraint(
                fields=["kind", "collection_year"],
                condition=models.Q(active=True),
                name="one_active_schema_per_year",
            ),
        ]

    def __str__(self) -> str:
        year = self.collection_year
        return f"the DfE {self.get_kind_display()} schema for {year - 1}-{str(year)[2:]}, version {self.version}"


class PreProceedingsCensus(models.Model):
    """What a CIN census's <PreProceedingsandFGDM> block (from 2026-27) says that the register's
    PreProceedings has no column for yet, kept beside it so that the export gives back what was
    imported (decision 0039). The element each field comes from is in its help text."""

    pre_proceedings = models.OneToOneField(
        "children.PreProceedings", on_delete=models.CASCADE, related_name="census", primary_key=True
    )
    fgdm_facilitated = models.BooleanField(
        "family group decision making meeting facilitated", null=True, blank=True, help_text="FGDMMeetingFac"
    )
    review_meetings = models.PositiveIntegerField(null=True, blank=True, help_text="ReviewMeetingsCount")
    outcome_code = models.CharField(
        max_length=2, blank=True, help_text="PPOutcome, as returned (the DfE's code set CS131: A, B or C)"
    )
    court_application_date = models.DateField(null=True, blank=True, help_text="CourtAppDate")
    letter_to_issue_date = models.DateField(
        null=True, blank=True, help_text="LetterInitCPDate: letter to parents or guardians to initiate care proceedings"
    )

    class Meta:
        verbose_name_plural = "pre-proceedings census details"


class PostcodeDirectory(models.Model):
    """An ONS Postcode Directory an administrator installed (manage.py install_postcodes), with the
    council's own local authority code. The SSDA903 rules that derive the placement's local
    authority, location and distance from HOME_POST and PL_POST (392a, 392c, 169, 179, 503G-J, ...)
    read it; without one they are not checked, and the run says so (decision 0057). Installing a
    directory replaces the postcodes of the one before; the rows of past installs stay as a record."""

    file_name = models.CharField(max_length=255)
    council = models.CharField(
        max_length=9, help_text="the council's own local authority code (9 characters, e.g. E09000027)"
    )
    postcodes = models.PositiveIntegerField(default=0)
    installed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    installed_by_name = models.CharField(max_length=150, blank=True)
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-installed_at", "-pk"]
        verbose_name_plural = "postcode directories"

    def __str__(self) -> str:
        return f"ONS Postcode Directory {self.file_name} ({self.postcodes} postcodes, council {self.council})"


class Postcode(models.Model):
    """One postcode of the installed ONS Postcode Directory: only what the 903 rules use. `postcode`
    is upper case without spaces (as the rules compare it); `district` the local authority district
    (ONSPD oslaua, lad25cd, ...), `county` the county for a two-tier district (oscty, cty25cd, ...;
    blank or a pseudo code E99999999 otherwise); easting and northing in metres (oseast1m, osnrth1m,
    east1m, north1m), blank where the directory gives none."""

    postcode = models.CharField(max_length=8, primary_key=True)
    district = models.CharField(max_length=9, blank=True)
    county = models.CharField(max_length=9, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.postcode


class OfstedRegister(models.Model):
    """Ofsted's lists of social care providers an administrator installed (manage.py
    install_ofsted_providers): the children's homes and social care providers spreadsheets. The
    SSDA903 rules on the placement's Ofsted URN (1008, 219, 221, 224, 227, 228, 229, 241) read it; without
    one they are not checked, and the run says so (decision 0059). Installing replaces the
    providers installed before."""

    file_names = models.CharField(max_length=500)
    providers = models.PositiveIntegerField(default=0)
    installed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    installed_by_name = models.CharField(max_length=150, blank=True)
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-installed_at", "-pk"]

    def __str__(self) -> str:
        return f"Ofsted provider register {self.file_names} ({self.providers} providers)"


class OfstedProvider(models.Model):
    """One provider (a row) of the installed Ofsted lists: only what the 903 rules use. `placement_codes`
    and `provider_codes` are the 903 PLACE and PLACE_PROVIDER codes Ofsted gives the provider, comma
    separated ("K1,K2"); `closed` its closing or deregistration date; `postcode` upper case without
    spaces. A URN may be listed more than once (in both lists)."""

    urn = models.CharField(max_length=10, db_index=True)
    placement_codes = models.CharField(max_length=100, blank=True)
    provider_codes = models.CharField(max_length=100, blank=True)
    closed = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    def __str__(self) -> str:
        return self.urn


class Acceptance(models.Model):
    """How a return kind is accepted, as the council's administrator set it on the returns pages (issue 13
    point 4, decision 0071): all-or-nothing (one error rejects the whole file) or per child (the children
    with errors are held back). A kind with no row takes the server's LOS_RETURNS_ALL_OR_NOTHING."""

    kind = models.CharField(max_length=8, choices=Kind.choices, unique=True)
    all_or_nothing = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_by_name = models.CharField(max_length=150, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        mode = "all-or-nothing" if self.all_or_nothing else "per child"
        return f"{Kind(self.kind).label}: {mode}"
