"""One demonstration user for each role, with a scope that shows what the role sees.

    python manage.py create_demo_users [--force]

Run it after generate_demo. Re-running updates the same users (and resets their
password) rather than adding more. All share one published password, so the
command refuses to run unless DEBUG or LOS_INSECURE_LOCAL is set, or --force."""

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Q

from accounts.models import Role, Scope, User
from organisation.models import AgencyKind, PartnerAgency, Team, TeamType, Worker

PASSWORD = "demo-line-of-sight"

# username, role, scope
DEMO_USERS = (
    ("social.worker", Role.SOCIAL_WORKER, Scope.CASELOAD),
    ("team.manager", Role.TEAM_MANAGER, Scope.TEAM),
    ("head.of.service", Role.HEAD_OF_SERVICE, Scope.SERVICE),
    ("director", Role.DIRECTOR, Scope.COUNCIL),
    ("qa.officer", Role.QA_OFFICER, Scope.COUNCIL),
    ("mase.member", Role.MASE_MEMBER, Scope.AGENCY_COHORT),
    ("iro", Role.IRO, Scope.COUNCIL),
    ("board.manager", Role.BOARD_MANAGER, Scope.NONE),
    ("lado", Role.LADO, Scope.COUNCIL),
    ("analyst", Role.ANALYST, Scope.COUNCIL),
    ("info.governance", Role.INFO_GOVERNANCE, Scope.NONE),  # subject access, retention (decision 0030)
    ("administrator", Role.ADMINISTRATOR, Scope.NONE),
)
# What the administrator manages through the admin site.
ADMIN_APPS = ("accounts", "organisation")


def insecure_allowed() -> bool:
    local = getattr(settings, "LOCAL", None)
    if local is None:
        local = os.environ.get("LOS_INSECURE_LOCAL", "").lower() in {"1", "true", "yes"}
    return bool(settings.DEBUG or local)


class Command(BaseCommand):
    help = "Create or update one demonstration user per role (shared password; local demonstration only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="run even without DEBUG or LOS_INSECURE_LOCAL")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (insecure_allowed() or options["force"]):
            raise CommandError(
                "Demonstration users share a published password. Refusing to create them unless DEBUG or "
                "LOS_INSECURE_LOCAL=1 is set; pass --force if you really mean to."
            )
        with transaction.atomic():
            rows = self.create()
        self.stdout.write(f"Sign in with one of these usernames and the password {PASSWORD}")
        header = ("username", "role", "sees")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())

    def create(self) -> list[tuple[str, str, str]]:
        if not Worker.objects.exists():
            raise CommandError("No teams or workers yet: run `manage.py generate_demo` first.")
        ours = [u for u, _, _ in DEMO_USERS]
        taken = set(User.objects.exclude(username__in=ours).exclude(worker=None).values_list("worker_id", flat=True))

        # The team with most open cases among child in need and protection teams, and its manager.
        teams = Team.objects.filter(team_type=TeamType.CIN_CP).annotate(
            open_cases=Count("children", filter=Q(children__worker__isnull=False))
        )
        team = teams.order_by("-open_cases", "name").first() or Team.objects.order_by("name").first()
        assert team is not None
        manager = (
            Worker.objects.filter(team=team, is_manager=True, active=True).exclude(pk__in=taken).order_by("pk").first()
        )
        # A qualified social worker in that team with a full caseload.
        worker = (
            Worker.objects.filter(team=team, is_manager=False, active=True, qualified=True)
            .exclude(pk__in=taken)
            .annotate(caseload=Count("children"))
            .order_by("-caseload", "pk")
            .first()
        )
        # The force that referred most of the open cohort, so the demonstration MASE member has a share to see.
        police = (
            PartnerAgency.objects.filter(kind=AgencyKind.POLICE)
            .annotate(referred=Count("cohortentry", filter=Q(cohortentry__closed_date__isnull=True), distinct=True))
            .order_by("-referred", "name")
            .first()
        )
        links: dict[str, dict[str, Any]] = {
            "social.worker": {"worker": worker, "team": team, "service": team.service},
            "team.manager": {"worker": manager, "team": team, "service": team.service},
            "head.of.service": {"service": team.service},
            "mase.member": {"agency": police},
        }
        sees = {
            Scope.CASELOAD: f"caseload of {worker.name if worker else 'no worker'} ({team.name})",
            Scope.TEAM: team.name,
            Scope.SERVICE: team.service.name,
            Scope.COUNCIL: "the whole council",
            # a partner sees only the cohort children its agency works with (docs/entitlements.md)
            Scope.AGENCY_COHORT: f"the cohort children {police.name if police else 'no agency'} works with",
            Scope.NONE: "no children",
        }
        rows = []
        for username, role, scope in DEMO_USERS:
            link = links.get(username, {})
            worker_link = link.get("worker")
            first, _, last = (worker_link.name if worker_link else f"Demo {Role(role).label}").partition(" ")
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "scope": scope,
                    "worker": worker_link,
                    "team": link.get("team"),
                    "service": link.get("service"),
                    "agency": link.get("agency"),
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.invalid",
                    "is_active": True,
                    "is_staff": role == Role.ADMINISTRATOR,
                    "is_superuser": False,
                },
            )
            try:
                validate_password(PASSWORD, user)
            except ValidationError as e:
                raise CommandError(f"The demonstration password fails validation: {' '.join(e.messages)}") from e
            user.set_password(PASSWORD)
            user.save()
            if role == Role.ADMINISTRATOR:
                user.user_permissions.set(
                    Permission.objects.filter(content_type__app_label__in=ADMIN_APPS).order_by("pk")
                )
            else:
                user.user_permissions.clear()
            rows.append((username, Role(role).label, sees[Scope(scope)]))
        missing = [r for r in Role if r not in {role for _, role, _ in DEMO_USERS}]
        if missing:
            self.stderr.write(f"No demonstration user for: {', '.join(r.label for r in missing)}")
        return rows
