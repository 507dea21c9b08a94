"""The flow through the front door, month by month over the window: contacts,
referrals and unaccompanied children arriving, in Bromley's seasonal pattern."""

from datetime import date, timedelta

from .calendar import add_months
from .config import (
    CONTACT_SEASON,
    CONTACTS_PER_YEAR,
    REFERRAL_SEASON,
    REFERRALS_PER_YEAR,
    UASC_PER_YEAR,
)
from .sim import Sim


def months(sim: Sim) -> list[tuple[date, date, float]]:
    """(first day, last day, share of the month) for each month in the window."""
    out = []
    month = date(sim.start.year, sim.start.month, 1)
    while month <= sim.end:
        following = add_months(month, 1)
        lo, hi = max(month, sim.start), min(following - timedelta(days=1), sim.end)
        out.append((lo, hi, ((hi - lo).days + 1) / (following - month).days))
        month = following
    return out


def schedule(sim: Sim) -> list[tuple[date, int, str]]:
    rng = sim.rng
    events: list[tuple[date, int, str]] = []
    for lo, hi, share in months(sim):
        season = (lo.month - 4) % 12  # April is the first month of the year in Figure 10
        noise = rng.gauss(1, 0.05)
        contacts = CONTACTS_PER_YEAR * sim.scale * CONTACT_SEASON[season] / sum(CONTACT_SEASON) * share * noise
        referrals = REFERRALS_PER_YEAR * sim.scale * REFERRAL_SEASON[season] / sum(REFERRAL_SEASON) * share * noise
        uasc = UASC_PER_YEAR * sim.scale / 12 * share
        days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
        weights = [1.0 if sim.cal.is_working(d) else 0.15 for d in days]
        for kind, expected in (("contact", contacts - referrals), ("referral", referrals), ("uasc", uasc)):
            for d in rng.choices(days, weights, k=sim.count(max(0.0, expected))):
                events.append((d, len(events), kind))
    events.sort()
    return events
