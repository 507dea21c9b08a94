"""The demonstration council generator: reproducible, plausible and consistent (small size only)."""

from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models, transaction

from audit.models import Action, AuditEvent
from children import models as ch
from demo.generator import DEFAULT_END_DATE, POPULATION_UNDER_18, SIZES, generate
from demo.generator.calendar import WorkingDays, add_months
from demo.generator.sim import upn_check_letter
from demo.generator.store import ORDER
from demo.generator.writer import digest
from exploitation.models import CohortEntry
from organisation.models import AgencyKind, PartnerAgency, Team, TeamType, Worker

pytestmark = pytest.mark.django_db

END = DEFAULT_END_DATE
START = date(2023, 11, 1)


class Rollback(Exception):
    pass


def digest_of(seed: int) -> str:
    """Generate, fingerprint, and roll back, so that each council starts from an empty database."""
    try:
        with transaction.atomic():
            generate("small", seed, progress=False)
            raise Rollback(digest())
    except Rollback as done:
        return done.args[0]


@pytest.fixture
def council():
    return generate("small", 7, progress=False)


def test_same_seed_gives_the_same_council_and_another_seed_a_different_one():
    first = digest_of(11)
    assert digest_of(11) == first
    assert digest_of(12) != first


def test_default_end_date_is_fixed_not_today():
    assert DEFAULT_END_DATE == date(2026, 10, 31)


def test_small_volumes_are_plausible(council):
    rows = council.rows
    assert council.start == START and council.end == END
    assert 500 <= rows["children.Child"] <= 2500
    assert 250 <= rows["children.Referral"] <= 700
    assert rows["children.Contact"] >= 3 * rows["children.Referral"]
    assert rows["children.Assessment"] >= 0.6 * rows["children.Referral"]
    assert rows["children.ChildProtectionPlan"] >= 15
    assert rows["children.LookedAfterEpisode"] >= 40
    assert rows["children.Visit"] >= 1000
    assert rows["children.MissingEpisode"] >= 10
    assert rows["exploitation.CohortEntry"] >= 1
    assert sum(rows.values()) < 30_000
    # Every table the generator owns is filled, except rare ones at this size.
    empty = [label for label, n in rows.items() if n == 0]
    assert set(empty) <= {
        "children.AdoptionMilestone",
        "children.PlacedForAdoption",
        "children.UnaccompaniedAsylumSeeker",
    }
    assert POPULATION_UNDER_18["small"] < POPULATION_UNDER_18["standard"] < POPULATION_UNDER_18["large"]


def test_organisation_has_every_team_type_with_a_manager_and_partner_agencies(council):
    assert set(Team.objects.values_list("team_type", flat=True)) == set(TeamType.values)
    for team in Team.objects.all():
        assert team.workers.filter(is_manager=True, active=True).count() == 1
        assert SIZES["small"].workers[0] <= team.workers.filter(active=True).count() <= SIZES["small"].workers[1]
    assert Worker.objects.filter(active=False).exists()  # some have left
    assert Worker.objects.filter(employment="agency").exists()
    assert Worker.objects.filter(qualified=False).exists()
    assert PartnerAgency.objects.filter(kind=AgencyKind.POLICE).exists()


def test_one_audit_event_records_the_run(council):
    events = AuditEvent.objects.filter(action=Action.SYSTEM, detail__startswith="demonstration council generated")
    assert events.count() == 1
    assert "size=small, seed=7" in events.get().detail


def test_dates_are_in_order_and_nothing_happens_after_the_end_date(council):
    for a in ch.Assessment.objects.select_related("referral"):
        assert a.referral.referral_date <= a.start_date
        assert a.authorisation_date is None or a.start_date <= a.authorisation_date
    for r in ch.Referral.objects.all():
        assert r.decision_date is None or r.referral_date <= r.decision_date
        assert r.closure_date is None or r.referral_date <= r.closure_date
    for e in ch.LookedAfterEpisode.objects.all():
        assert e.end_date is None or e.start_date < e.end_date
        assert (e.end_date is None) == (e.reason_ceased == "")
    for s in ch.Section47Enquiry.objects.select_related("strategy_discussion"):
        assert s.strategy_discussion.discussion_date == s.start_date
        assert s.icpc_date is None or s.start_date <= s.icpc_date
    for p in ch.ChildProtectionPlan.objects.all():
        assert p.end_date is None or p.start_date < p.end_date
    for m in ch.MissingEpisode.objects.exclude(returned_at=None):
        assert m.started_at < m.returned_at
    # Events (not targets) never fall after the end date.
    for model in apps.get_app_config("children").get_models():
        for field in model._meta.concrete_fields:
            if field.name in ("icpc_target_date", "expected_birth_date"):
                continue
            if isinstance(field, models.DateTimeField):
                assert not model.objects.filter(**{f"{field.name}__date__gt": END}).exists(), field
            elif isinstance(field, models.DateField):
                assert not model.objects.filter(**{f"{field.name}__gt": END}).exists(), field


def test_services_for_children_start_after_birth_and_end_by_18(council):
    for model, when, stop, child in (
        (ch.ChildInNeedPlan, "start_date", "end_date", "referral__child"),
        (ch.ChildProtectionPlan, "start_date", "end_date", "child"),
        (ch.LookedAfterEpisode, "start_date", "end_date", "child"),
    ):
        for start, end, born in model.objects.values_list(when, stop, f"{child}__birth_date"):
            if born is None:
                continue  # unborn at the end date: only plans can start before birth
            adult = add_months(born, 12 * 18)
            assert (end or END) <= adult, model
            if model is ch.LookedAfterEpisode:
                assert born <= start
    assert not ch.Visit.objects.filter(visit_date__lt=models.F("child__birth_date"), seen=True).exists()


def test_team_and_worker_follow_the_latest_involvement(council):
    involvements = defaultdict(list)
    for i in ch.Involvement.objects.order_by("start_date", "pk"):
        involvements[i.child_id].append(i)
    open_cases = 0
    for child in ch.Child.objects.all():
        history = involvements.get(child.id)
        if not history:
            assert child.team_id is None and child.worker_id is None
            continue
        latest = history[-1]
        assert child.team_id == latest.team_id
        if latest.end_date is None:
            open_cases += 1
            assert child.worker_id == latest.worker_id
        else:
            assert child.worker_id is None  # a closed case keeps its last team only
        for before, after in zip(history, history[1:], strict=False):
            assert before.end_date is not None and before.end_date <= after.start_date
    assert open_cases >= 30


def test_protection_plans_belong_to_their_referrals_child_and_use_census_codes(council):
    for plan in ch.ChildProtectionPlan.objects.select_related("referral"):
        assert plan.child_id == plan.referral.child_id
        codes = plan.categories.split(",")
        assert codes == sorted(codes) and set(codes) <= {"NEG", "PHY", "SAB", "EMO"}
        assert plan.initial_category == ("MUL" if len(codes) > 1 else codes[0])
    assert ch.ChildProtectionConference.objects.filter(kind="review", plan__isnull=False).exists()


def test_re_referrals_are_between_8_and_20_percent(council):
    referrals = list(ch.Referral.objects.order_by("referral_date", "pk").values_list("child_id", "referral_date"))
    last: dict[int, date] = {}
    in_window = re_referrals = 0
    for child_id, when in referrals:
        previous = last.get(child_id)
        if when >= START:
            in_window += 1
            if previous is not None and previous >= add_months(when, -12):
                re_referrals += 1
        last[child_id] = when
    assert 0.08 <= re_referrals / in_window <= 0.20


def test_about_seventy_percent_of_assessments_are_on_time(council):
    cal = WorkingDays(date(2015, 1, 1), date(2027, 12, 31))
    done = [
        cal.between(a.referral.referral_date, a.authorisation_date) <= 45
        for a in ch.Assessment.objects.select_related("referral").filter(authorisation_date__gte=START)
    ]
    assert 0.5 <= sum(done) / len(done) <= 0.9


def test_text_fits_every_column(council):
    for model in ORDER:
        limits = [(f.attname, f.max_length) for f in model._meta.concrete_fields if isinstance(f, models.CharField)]
        if not limits:
            continue
        for row in model.objects.values_list(*[name for name, _ in limits]):
            for (name, limit), value in zip(limits, row, strict=True):
                assert len(value) <= limit, (model, name, value)


def test_upns_carry_a_valid_check_letter(council):
    upns = list(ch.Child.objects.exclude(upn="").values_list("upn", flat=True))
    assert upns
    assert all(upn[0] == upn_check_letter(upn[1:]) for upn in upns)
    # Weights 2-13 on the twelve digits, sum modulo 23, letters without I, O and S: 266 % 23 = 13, P.
    assert upn_check_letter("207000016049") == "P"


def test_cohort_entries_have_a_referring_agency(council):
    assert not CohortEntry.objects.filter(referred_by=None).exists()


def test_command_if_empty_leaves_an_existing_register_alone():
    out = StringIO()
    call_command("generate_demo", "--size", "small", "--seed", "3", "--no-progress", stdout=out)
    assert "children.Child" in out.getvalue()
    children = ch.Child.objects.count()
    out = StringIO()
    call_command("generate_demo", "--size", "small", "--seed", "4", "--if-empty", stdout=out)
    assert "already holds children" in out.getvalue()
    assert ch.Child.objects.count() == children
    with pytest.raises(CommandError):
        call_command("generate_demo", "--size", "small", "--seed", "4")
