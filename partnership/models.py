"""Partnership business: allegations against adults who work with children (LADO),
multi-agency training with its evaluation, and board and sub-group attendance.

An allegation is personal data about an adult, and special-category data about a
child where it links one from the register: only the roles in
selectors.PARTNERSHIP_ROLES see these pages, and every view and change of an
allegation is in the audit log (with the child when one is linked)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Sector(models.TextChoices):
    """Where the adult works or volunteers (seed 001 section 4.5 reports education,
    health, early years, foster carers and 'other')."""

    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Children's social care"
    FOSTER_CARER = "foster_carer", "Foster carer"
    RESIDENTIAL = "residential", "Residential care"
    POLICE = "police", "Police"
    FAITH = "faith", "Faith groups"
    SPORT = "sport", "Sport and leisure"
    VOLUNTARY = "voluntary", "Voluntary sector"
    TRANSPORT = "transport", "Transport"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    """The primary abuse type alleged (seed 001 Figure 16), plus the fourth harm
    threshold of Keeping Children Safe in Education part four: behaviour that
    suggests the adult may not be suitable to work with children."""

    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    NEGLECT = "neglect", "Neglect"
    SUITABILITY = "suitability", "Suitability to work with children"


class Source(models.TextChoices):
    """How the allegation came to the designated officer."""

    EMPLOYER = "employer", "Employer or headteacher"
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    HEALTH = "health", "Health professional"
    OFSTED = "ofsted", "Ofsted or other regulator"
    PARENT = "parent", "Parent or carer"
    CHILD = "child", "Child or young person"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    """The outcome definitions of Keeping Children Safe in Education part four
    (decision 0015): substantiated, malicious, false, unsubstantiated, unfounded."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    UNFOUNDED = "unfounded", "Unfounded"
    FALSE = "false", "False"
    MALICIOUS = "malicious", "Malicious"


class LadoSettings(models.Model):
    """The council's target for closing an allegation (one row)."""

    target_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="An open allegation older than this many months is flagged for chasing",
    )


class Allegation(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    referral_date = models.DateField("date referred to the designated officer")
    employer_aware_date = models.DateField(
        "date the employer became aware",
        null=True,
        blank=True,
        help_text="The employer reports to the designated officer within 1 working day of becoming aware",
    )
    adult_name = models.CharField("name of the adult", max_length=120)
    adult_role = models.CharField("the adult's role", max_length=120, help_text="For example class teacher, nurse")
    employer = models.CharField("employer or setting", max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    agency = models.ForeignKey(
        "organisation.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
        verbose_name="partner agency",
    )
    category = models.CharField("category of allegation", max_length=20, choices=Category.choices)
    source = models.CharField("how it came to the designated officer", max_length=20, choices=Source.choices)
    children_count = models.PositiveSmallIntegerField(
        "number of children concerned", default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    child = models.ForeignKey(
        "children.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
        verbose_name="child on the register",
    )
    summary = models.TextField("what is alleged", blank=True)
    initial_consideration_date = models.DateField(
        "initial consideration date",
        null=True,
        blank=True,
        help_text="When the designated officer first considered it (local timescale: 1 working day of the referral)",
    )
    strategy_meeting_date = models.DateField(null=True, blank=True)
    evaluation_date = models.DateField(
        "evaluation or outcome meeting date", null=True, blank=True, help_text="When the outcome was agreed"
    )
    employer_action = models.BooleanField("referred back to the employer for management action", default=False)
    suspended = models.BooleanField("the adult was suspended", default=False)
    dismissed = models.BooleanField("the adult was dismissed", default=False)
    left_employment = models.BooleanField("the adult did not continue in employment", default=False)
    convicted_or_cautioned = models.BooleanField("criminal conviction or caution", default=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_date = models.DateField(null=True, blank=True)
    last_chased = models.DateField("employer last chased for the outcome", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referral_date", "-pk"]
        indexes = [models.Index(fields=["referral_date"]), models.Index(fields=["closed_date"])]

    def __str__(self) -> str:
        return self.reference


# --- training -----------------------------------------------------------------


class Level(models.TextChoices):
    """Seed 001 Figure 3: introductory, Group 3, Group 4/5 (and refreshers), and
    courses on a theme (CSE, domestic abuse, neglect ...)."""

    INTRODUCTORY = "introductory", "Introductory (Groups 1 and 2)"
    GROUP_3 = "group_3", "Group 3"
    GROUP_4_5 = "group_4_5", "Group 4/5"
    SPECIALIST = "specialist", "Specialist or themed"


class Course(models.Model):
    title = models.CharField(max_length=200, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    refresher = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    """One run of a course (seed 001 Figure 3 'No. of courses run')."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(500)])
    trainer = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-date", "course__title"]

    def __str__(self) -> str:
        return f"{self.course} {self.date:%d %b %Y}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Delegate(models.Model):
    """A professional booked on a session, their agency, whether they came, and their
    confidence (1-5) before, straight after and two months after (seed 001 section 3.3)."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(max_length=120)
    agency = models.ForeignKey("organisation.PartnerAgency", on_delete=models.PROTECT, related_name="delegates")
    attended = models.BooleanField(default=True)
    pre_score = models.PositiveSmallIntegerField("confidence before", null=True, blank=True, validators=SCORE)
    post_score = models.PositiveSmallIntegerField("confidence after", null=True, blank=True, validators=SCORE)
    follow_up_score = models.PositiveSmallIntegerField(
        "confidence at follow-up", null=True, blank=True, validators=SCORE
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# --- board and sub-groups -------------------------------------------------------


class Body(models.Model):
    """The board or one of its sub-groups."""

    name = models.CharField(max_length=120, unique=True)
    is_board = models.BooleanField("the board itself (not a sub-group)", default=False)

    class Meta:
        ordering = ["-is_board", "name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An agency's seat on a body, from a date (and to a date when it ends)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("organisation.PartnerAgency", on_delete=models.PROTECT, related_name="memberships")
    member_name = models.CharField(max_length=120, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "start_date"]


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["body", "date"], name="partnership_meeting_once_a_day")]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d %b %Y}"


class Attendance(models.Model):
    """Whether each member agency was represented at a meeting."""

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DEPUTY = "deputy", "Sent a deputy"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("organisation.PartnerAgency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="partnership_attendance_once")]
