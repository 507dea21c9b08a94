"""The demonstration council generator.

generate() builds a made-up council in memory from one seed (random.Random(seed),
nothing else random, no set iteration) and writes it in bulk in one
transaction. The same seed, size, years and end date give the same rows, keys
included, on SQLite and PostgreSQL. The end date defaults to a fixed day
(config.DEFAULT_END_DATE, 31 October 2026), not today, for the same reason."""

import gc
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from tqdm import tqdm

from .config import DEFAULT_END_DATE, DEFAULT_YEARS, POPULATION_0_19, POPULATION_UNDER_18, SIZES

__all__ = ["DEFAULT_END_DATE", "DEFAULT_YEARS", "POPULATION_0_19", "POPULATION_UNDER_18", "SIZES", "Result", "generate"]


@dataclass
class Result:
    size: str
    seed: int
    start: date
    end: date
    rows: dict[str, int] = field(default_factory=dict)
    write_seconds: dict[str, float] = field(default_factory=dict)
    build_seconds: float = 0.0
    total_seconds: float = 0.0


def generate(
    size: str = "standard",
    seed: int = 2015,
    *,
    end: date = DEFAULT_END_DATE,
    years: int = DEFAULT_YEARS,
    progress: bool | None = None,
) -> Result:
    from audit.models import Action
    from audit.services import record
    from organisation.models import Worker

    from . import exploitation, flows, journeys, looked_after, organisation, stock, writer
    from .sim import Sim
    from .writer import tqdm_disable

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: choose from {', '.join(SIZES)}")
    if years < 1:
        raise ValueError("years must be at least 1")
    started = time.perf_counter()
    disable = tqdm_disable(progress)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived objects; the collector only slows the build
    try:
        with transaction.atomic():
            sim = Sim(SIZES[size], seed, end, years)
            sim.store.start_after_existing()
            with tqdm(total=1, desc="organisation", disable=disable) as bar:
                sim.org = organisation.build(sim.size, sim.rng, sim.store, sim.floor, end)
                sim.worker_names = {w.id: w.name for w in sim.store.rows[Worker]}
                bar.update(1)
            with tqdm(total=1, desc="children open at the start", disable=disable) as bar:
                stock.opening_caseload(sim)
                bar.update(1)
            events = flows.schedule(sim)
            handlers = {
                "contact": journeys.front_door_contact,
                "referral": journeys.front_door_referral,
                "uasc": journeys.uasc_arrival,
            }
            for d, _, kind in tqdm(events, desc="children and journeys", unit=" events", disable=disable):
                handlers[kind](sim, d)
            with tqdm(total=1, desc="exploitation cohort", disable=disable) as bar:
                exploitation.cohort(sim)
                looked_after.adopters(sim)
                bar.update(1)
            for cs in sim.children:
                if cs.involvements:
                    last = cs.involvements[-1]
                    cs.child.team_id = last.team_id
                    cs.child.worker_id = last.worker_id if last.end_date is None else None
            build_seconds = time.perf_counter() - started
            written = writer.write(sim.store, progress)
            record(
                Action.SYSTEM,
                detail=(
                    f"demonstration council generated: size={size}, seed={seed}, "
                    f"from {sim.start.isoformat()} to {end.isoformat()}"
                ),
            )
    finally:
        if gc_was_enabled:
            gc.enable()
    return Result(
        size=size,
        seed=seed,
        start=sim.start,
        end=end,
        rows={label: n for label, (n, _) in written.items()},
        write_seconds={label: s for label, (_, s) in written.items()},
        build_seconds=build_seconds,
        total_seconds=time.perf_counter() - started,
    )
