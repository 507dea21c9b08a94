"""Timescale rules as data, the obligations they produce, and drift flags.

A rule's code ties the row to the function that finds its clock starts and
stops (timescales/rules.py); how long the clock runs, what counts as "due
soon", and whether the rule is on, are data a council can change without
code, and every change is kept (RuleChange)."""

import datetime as dt

from django.conf import settings
from django.db import models

from .calendar import WorkingCalendar, add_months, end_of_term


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "days", "calendar days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"
    HOURS = "hours", "hours"
    TERMS = "terms", "school terms"


class TimescaleRule(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    clock_start = models.CharField(max_length=200, help_text="what starts the clock")
    clock_stop = models.CharField(max_length=200, help_text="what stops it")
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=12, choices=Unit.choices)
    due_soon_days = models.PositiveIntegerField(default=5, help_text="calendar days before the due date")
    source = models.CharField(max_length=250)
    local = models.BooleanField(default=False, help_text="set by local policy, not by statute")
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def describe(self) -> str:
        return f"{self.amount} {self.get_unit_display()}"

    def due_from(self, start: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The due date for a clock started on `start` (HOURS rules use due_at_from)."""
        if self.unit == Unit.WORKING_DAYS:
            return calendar.add_working_days(start, self.amount)
        if self.unit == Unit.CALENDAR_DAYS:
            return start + dt.timedelta(days=self.amount)
        if self.unit == Unit.WEEKS:
            return start + dt.timedelta(weeks=self.amount)
        if self.unit == Unit.MONTHS:
            return add_months(start, self.amount)
        if self.unit == Unit.TERMS:
            return end_of_term(start, self.amount)
        raise ValueError(f"{self.code} counts {self.unit}: use a datetime clock")


class RuleChange(models.Model):
    rule = models.ForeignKey(TimescaleRule, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=30)
    old_value = models.CharField(max_length=60)
    new_value = models.CharField(max_length=60)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class LocalClosureDay(models.Model):
    """A day the council's offices are closed, beyond weekends and bank holidays."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=120)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]


class CaseloadPromise(models.Model):
    """The most cases a full-time worker in a team of this type should hold (seed 000)."""

    team_type = models.CharField(max_length=20, unique=True)
    max_cases = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.team_type}: {self.max_cases}"


class Status(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    DUE = "due", "Due"
    IN_TIME = "in_time", "Completed in time"
    LATE = "late", "Completed late"
    STOPPED = "stopped", "Stopped (case closed)"
    UNRECORDED = "unrecorded", "Not recorded in the source"


OPEN_STATUSES = (Status.OVERDUE, Status.DUE_SOON, Status.DUE)


class Obligation(models.Model):
    """One run of one rule's clock for one child, as last computed.

    Only the child is a foreign key the database checks. Rule, team and worker are not
    (db_constraint=False): the recompute writes some 170,000 rows at once, and the database
    checked each row's four keys one by one at commit (3-6 s of a large council's recompute).
    The recompute locks the rules, teams and workers and settles the rows it is about to write
    for any that went meanwhile (services.settled); Django's on_delete does the rest.
    Decisions 0034 and 0044."""

    # No index of their own: (child, status) and (rule, status) below serve lookups by child and by rule,
    # and each index is one more insert per row of the nightly rewrite (decision 0044).
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="obligations", db_index=False)
    rule = models.ForeignKey(TimescaleRule, on_delete=models.CASCADE, db_constraint=False, db_index=False)
    clock_start = models.DateField()
    due_date = models.DateField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="for rules counted in hours")
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    team = models.ForeignKey(
        "organisation.Team",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (team, completed_on) index below serves lookups by team as well
    )
    worker = models.ForeignKey(
        "organisation.Worker", null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    computed_on = models.DateField()
    ended_on = models.DateField(
        null=True, blank=True, help_text="the day the case, plan or period of care ended a clock not done"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "team"]),
            models.Index(fields=["status", "worker"]),
            models.Index(fields=["child", "status"]),
            models.Index(fields=["rule", "status"]),
            # Each team's timescales completed in a month (the trend, decision 0043): a range of this index,
            # not every completed row of the team. It replaces the team's own index: as many to rebuild.
            models.Index(fields=["team", "completed_on"]),
        ]

    @property
    def days_overdue(self) -> int | None:
        """Days past due on the day the timescales were computed (the lists' "as computed on"); None unless overdue."""
        return (self.computed_on - self.due_date).days if self.status == Status.OVERDUE else None


class DriftKind(models.TextChoices):
    CP_12_MONTHS = "cp_12_months", "Child protection plan at or beyond 12 months"
    SECOND_PLAN = "second_plan", "Second or subsequent child protection plan"
    CIN_12_MONTHS = "cin_12_months", "Child in need open 12 months without a formal review"
    PROCEEDINGS_26_WEEKS = "proceedings_26_weeks", "Care proceedings past 26 weeks"
    NO_PLAN_B = "no_plan_b", "Permanence plan without a contingency (Plan B)"
    REPEAT_MISSING = "repeat_missing", "Three or more missing episodes in 90 days"
    QUICK_RE_REFERRAL = "quick_re_referral", "Re-referred within 3 months of step-down or closure"
    UNALLOCATED = "unallocated", "Open case without an allocated worker"


class DriftFlag(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="drift_flags")
    kind = models.CharField(max_length=24, choices=DriftKind.choices)
    since = models.DateField(help_text="when the child crossed the line")
    detail = models.CharField(max_length=200)
    team = models.ForeignKey("organisation.Team", null=True, on_delete=models.SET_NULL, related_name="+")
    worker = models.ForeignKey("organisation.Worker", null=True, on_delete=models.SET_NULL, related_name="+")
    computed_on = models.DateField()

    class Meta:
        ordering = ["since", "pk"]
        indexes = [models.Index(fields=["kind", "team"]), models.Index(fields=["child"])]


class RecomputeRun(models.Model):
    """Each time stored timescales were (re)computed: the pages' cache version."""

    at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    children = models.PositiveIntegerField(default=0)
    obligations = models.PositiveIntegerField(default=0)
    coverage = models.JSONField(
        default=dict, blank=True, help_text="rule code -> first and last day the register holds its stop event"
    )


class LineOfSightSnapshot(models.Model):
    """One team's line of sight for one month (decision 0043): the month's trend point for each measure.

    The recompute writes the current month's row for every team, overwriting it each night, so a month's
    row holds the figures as counted on the last day it was computed (`as_of`); once a later month is
    recorded it is never written again (frozen). Months before the first recorded one are reconstructed
    from what the register holds (`reconstructed`), for the measures that can be (overdue, due soon, in
    timescale); a measure that cannot be is None: "not recorded", never a made-up figure. The definitions
    are in docs/timescales.md ("Trends")."""

    month = models.DateField(help_text="the first day of the month")
    team = models.ForeignKey("organisation.Team", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(help_text="the day the figures were counted to")
    reconstructed = models.BooleanField(default=False, help_text="worked out afterwards from the register")
    overdue = models.PositiveIntegerField(null=True, blank=True)
    due_soon = models.PositiveIntegerField(null=True, blank=True)
    drift = models.PositiveIntegerField(null=True, blank=True, help_text="drifting children")
    in_time = models.PositiveIntegerField(null=True, blank=True, help_text="timescales completed in time this month")
    completed = models.PositiveIntegerField(null=True, blank=True, help_text="timescales completed this month")
    cases = models.PositiveIntegerField(null=True, blank=True, help_text="open cases held by active workers")
    fte = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    promise = models.PositiveSmallIntegerField(null=True, blank=True, help_text="the caseload promise per FTE")

    class Meta:
        ordering = ["month", "team"]
        constraints = [models.UniqueConstraint(fields=["month", "team"], name="one_snapshot_per_team_month")]
