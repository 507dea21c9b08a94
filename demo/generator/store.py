"""Rows built in memory, with primary keys the generator assigns itself.

Keys start after the largest key already in each table, so the generator never
depends on what a database returns from a bulk insert, and the same seed gives
the same rows (and keys) on SQLite and PostgreSQL."""

from typing import Any

from django.db import models
from django.db.models import Max

from children import models as ch
from exploitation.models import CohortEntry
from organisation.models import PartnerAgency, Service, Team, Worker

# Parents before children, so that foreign keys always point backwards.
ORDER: list[type[models.Model]] = [
    Service,
    Team,
    Worker,
    PartnerAgency,
    ch.Child,
    ch.Disability,
    ch.Involvement,
    ch.Contact,
    ch.EarlyHelpEpisode,
    ch.Referral,
    ch.Assessment,
    ch.AssessmentFactor,
    ch.ChildInNeedPlan,
    ch.StrategyDiscussion,
    ch.Section47Enquiry,
    ch.ChildProtectionPlan,
    ch.ChildProtectionConference,
    ch.CoreGroupMeeting,
    ch.Visit,
    ch.LookedAfterEpisode,
    ch.LookedAfterReview,
    ch.HealthAssessment,
    ch.PersonalEducationPlan,
    ch.MissingEpisode,
    ch.OutcomesReturn,
    ch.UnaccompaniedAsylumSeeker,
    ch.PreviousPermanence,
    ch.CareProceedings,
    ch.PreProceedings,
    ch.PermanencePlan,
    ch.AdoptionMilestone,
    ch.PlacedForAdoption,
    ch.PathwayPlan,
    ch.CareLeaverContact,
    ch.Adopter,
    ch.CaseSupervision,
    CohortEntry,
]


class Store:
    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[Any]] = {m: [] for m in ORDER}
        self.next_id: dict[type[models.Model], int] = {m: 1 for m in ORDER}
        # Fields each model has today: the register may gain optional fields, and
        # the generator fills those it knows about only when they exist.
        self.fields = {m: {f.attname for f in m._meta.concrete_fields} for m in ORDER}

    def start_after_existing(self) -> None:
        for model in ORDER:
            self.next_id[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def add(self, model: type[models.Model], **values: Any) -> Any:
        obj = model(id=self.next_id[model], **values)
        self.next_id[model] += 1
        self.rows[model].append(obj)
        return obj

    def has(self, model: type[models.Model], attname: str) -> bool:
        return attname in self.fields[model]

    def counts(self) -> dict[str, int]:
        return {m._meta.label: len(rows) for m, rows in self.rows.items()}
