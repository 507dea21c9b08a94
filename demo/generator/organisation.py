"""The demonstration council's services, teams, workers and partner agencies.

Each team has posts; each post has a line of holders over time, so workers
join and leave (agency staff more often), cases move when their worker
leaves, and the workers who have left are kept as inactive rows."""

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from organisation.models import AgencyKind, Employment, PartnerAgency, Service, Team, TeamType, Worker

from . import names
from .config import Size
from .store import Store

SERVICES = {
    "Referral and Assessment": (TeamType.FRONT_DOOR, TeamType.ASSESSMENT),
    "Safeguarding and Care Planning": (TeamType.CIN_CP,),
    "Children Looked After and Leaving Care": (TeamType.LOOKED_AFTER, TeamType.LEAVING_CARE, TeamType.ADOPTION),
    "Exploitation and Missing": (TeamType.EXPLOITATION,),
}
TEAM_NAMES = {
    TeamType.FRONT_DOOR: "Multi-Agency Safeguarding Hub",
    TeamType.ASSESSMENT: "Assessment Team",
    TeamType.CIN_CP: "Safeguarding and Care Planning Team",
    TeamType.LOOKED_AFTER: "Children Looked After Team",
    TeamType.LEAVING_CARE: "Leaving Care Team",
    TeamType.ADOPTION: "Adoption and Permanence Team",
    TeamType.EXPLOITATION: "Exploitation and Missing Team",
}
# (share of posts for qualified social workers, share of agency staff)
STAFFING = {
    TeamType.FRONT_DOOR: (0.6, 0.15),
    TeamType.ASSESSMENT: (0.9, 0.3),
    TeamType.CIN_CP: (0.85, 0.22),
    TeamType.LOOKED_AFTER: (0.85, 0.12),
    TeamType.LEAVING_CARE: (0.3, 0.08),
    TeamType.ADOPTION: (0.9, 0.05),
    TeamType.EXPLOITATION: (0.7, 0.15),
}
AGENCIES = (
    ("Demonstration Borough Police", AgencyKind.POLICE),
    ("Demonstration Health NHS Foundation Trust", AgencyKind.HEALTH),
    ("Demonstration Integrated Care Board", AgencyKind.HEALTH),
    ("Demonstration Borough Education Service", AgencyKind.EDUCATION),
    ("Riverside Academy Trust", AgencyKind.EDUCATION),
    ("Demonstration Youth Justice Service", AgencyKind.YOUTH_OFFENDING),
    ("Safe Return Project", AgencyKind.VOLUNTARY),
    ("Harbour Young People's Project", AgencyKind.VOLUNTARY),
    ("Demonstration Borough Children's Social Care", AgencyKind.SOCIAL_CARE),
)


@dataclass
class Holder:
    worker: Worker
    start: date | None  # None: since before the generated history
    end: date | None  # None: still in post
    fte: float


@dataclass
class Post:
    qualified: bool
    manager: bool
    holders: list[Holder] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def holder_at(self, d: date) -> Holder:
        return self.holders[max(0, bisect_right(self.starts, d.toordinal()) - 1)]


@dataclass
class TeamInfo:
    team: Team
    kind: str
    locality: str
    quality: float  # this team's lean towards timely work
    posts: list[Post] = field(default_factory=list)
    caseholding: list[Post] = field(default_factory=list)
    qualified: list[Post] = field(default_factory=list)


class Org:
    def __init__(self) -> None:
        self.teams: dict[tuple[str, str], list[TeamInfo]] = {}
        self.by_id: dict[int, TeamInfo] = {}
        self.agencies: dict[str, list[PartnerAgency]] = {}
        self.services: dict[str, Service] = {}

    def team(self, rng: random.Random, kind: str, locality: str) -> TeamInfo:
        choices = self.teams[(kind, locality)]
        return choices[0] if len(choices) == 1 else rng.choice(choices)

    def worker(
        self, rng: random.Random, info: TeamInfo, d: date, qualified_only: bool = False, avoid: Worker | None = None
    ) -> Holder:
        posts = info.qualified if qualified_only else info.caseholding
        holders = [p.holder_at(d) for p in posts]
        # Not a worker leaving within three days: the DfE queries a social worker episode that short (903 SW09).
        holders = [h for h in holders if h.end is None or h.end >= d + timedelta(days=3)] or holders
        if avoid is not None and len(holders) > 1:
            holders = [h for h in holders if h.worker is not avoid] or holders
        return rng.choices(holders, weights=[h.fte for h in holders])[0]

    def agency(self, rng: random.Random, kind: str) -> PartnerAgency:
        return rng.choice(self.agencies[kind])


def build(size: Size, rng: random.Random, store: Store, history_start: date, end: date) -> Org:
    org = Org()
    staff_number = 0
    for service_name, kinds in SERVICES.items():
        service = store.add(Service, name=service_name)
        org.services[service_name] = service
        for locality in size.localities:
            for kind in kinds:
                count = size.teams[kind]
                infos = []
                for i in range(1, count + 1):
                    name = TEAM_NAMES[kind] + (f" {i}" if count > 1 else "")
                    name = f"{locality} {name}".strip()
                    team = store.add(Team, name=name, service_id=service.id, team_type=kind)
                    info = TeamInfo(team, kind, locality, quality=rng.gauss(0, 0.07))
                    qualified_share, agency_share = STAFFING[kind]
                    n_posts = rng.randint(*size.workers)
                    n_qualified = max(1, round((n_posts - 1) * qualified_share))
                    for p in range(n_posts):
                        manager = p == 0
                        post = Post(qualified=manager or p <= n_qualified, manager=manager)
                        # Holders from before the generated history to the end date.
                        start: date | None = None
                        cursor = history_start - timedelta(days=rng.randint(0, 4 * 365))
                        while True:
                            agency = not manager and rng.random() < agency_share
                            tenure = rng.expovariate(1 / (400 if agency else 1600))
                            leaves = cursor + timedelta(days=int(tenure) + 60)
                            staff_number += 1
                            fte = 1.0 if manager else rng.choices((1.0, 0.8, 0.6, 0.5), (75, 10, 8, 7))[0]
                            worker = store.add(
                                Worker,
                                staff_id=f"{'SW' if post.qualified else 'XX'}{100000 + staff_number}",
                                name=names.person(rng),
                                team_id=team.id,
                                fte=Decimal(f"{fte:.2f}"),
                                qualified=post.qualified,
                                employment=Employment.AGENCY if agency else Employment.PERMANENT,
                                is_manager=manager,
                                active=leaves > end,
                            )
                            holder = Holder(worker, start, leaves if leaves <= end else None, fte)
                            post.holders.append(holder)
                            post.starts.append(start.toordinal() if start else 0)
                            if leaves > end:
                                break
                            start = cursor = leaves
                        info.posts.append(post)
                    info.caseholding = [p for p in info.posts if not p.manager]
                    info.qualified = [p for p in info.caseholding if p.qualified] or info.caseholding
                    infos.append(info)
                    org.by_id[team.id] = info
                org.teams[(kind, locality)] = infos
    for name, agency_kind in AGENCIES:
        agency = store.add(PartnerAgency, name=name, kind=agency_kind)
        org.agencies.setdefault(agency_kind, []).append(agency)
    return org
