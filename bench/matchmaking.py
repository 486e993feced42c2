"""The matchmaking scheduler: meetings placed, time, and distance from the exact optimum.

    .venv/bin/python bench/matchmaking.py [--participants 2000] [--requests 6000] [--tables 40]
                                          [--slots 18] [--small 20] [--seed 1]

1. The issue's instance: 2,000 participants, 6,000 accepted requests (a few popular buyers get
   many), 40 tables, 18 slots over two days (9 a day), each participant with 0-3 programme
   sign-ups that block 1-3 slots, and a fifth of them "not before 11:00" (the day's first two
   slots). The scheduler (forumapp/matchmaking/scheduling.py) and a naive first-come-first-served
   placement run side by side. 40 tables x 18 slots = 720 cells for 6,000 meetings, so the tables
   are what binds there; the same instance with 400 tables shows how each copes when the
   participants' own calendars bind instead.
2. Incremental placement: one more acceptance into the published schedule (every placed meeting
   fixed), timed over 200 new meetings.
3. Small instances solved exactly by a MIP (HiGHS) for the ratio placed / optimum. HiGHS is for
   the bench only, never in requirements.txt:

       .venv/bin/python -m pip install --target /tmp/bench-deps highspy
       PYTHONPATH=/tmp/bench-deps .venv/bin/python bench/matchmaking.py

   Without it, part 3 says so and is skipped.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forumapp.matchmaking.scheduling import (  # noqa: E402
    Problem,
    check,
    first_come_first_served,
    place_one,
    schedule,
)


def make_instance(rng: random.Random, participants: int, requests: int, tables: int, slots: int) -> Problem:
    per_day = max(1, slots // 2)
    # Popularity: a tenth of the participants (buyers, procurement) are asked far more often.
    weights = [8 if rng.random() < 0.1 else 1 for _ in range(participants)]
    people = list(range(participants))
    meetings: dict[int, tuple[int, int]] = {}
    pairs = set()
    while len(meetings) < requests:
        a = rng.randrange(participants)
        b = rng.choices(people, weights)[0]
        if a == b or (a, b) in pairs or (b, a) in pairs:
            continue
        pairs.add((a, b))
        meetings[len(meetings)] = (a, b)
    blocked: dict[int, set[int]] = {}
    for person in people:
        busy = set()
        for _ in range(rng.randint(0, 3)):  # programme sign-ups, each over 1-3 slots
            start = rng.randrange(slots)
            busy.update(range(start, min(slots, start + rng.randint(1, 3))))
        if rng.random() < 0.2:  # "not before 11:00": the first two slots of each day
            busy.update(s for s in range(slots) if s % per_day < 2)
        if busy:
            blocked[person] = busy
    preferred = {p: {rng.randrange(slots)} for p in people if rng.random() < 0.2}
    return Problem(slots, tuple(range(1, tables + 1)), meetings, blocked, preferred)


def exact_optimum(problem: Problem) -> int | None:
    """The most meetings any valid placement holds (a MIP: x[m, s] binary, each meeting at most
    once, each participant at most once per slot, at most `tables` per slot)."""
    try:
        import highspy
    except ImportError:
        return None
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", 60.0)
    x = {}
    for m, (a, b) in problem.meetings.items():
        for s in range(problem.slots):
            if s not in problem.blocked.get(a, ()) and s not in problem.blocked.get(b, ()):
                x[m, s] = h.addBinary()
    by_meeting: dict[int, list] = {}
    by_person_slot: dict[tuple, list] = {}
    by_slot: dict[int, list] = {}
    for (m, s), var in x.items():
        by_meeting.setdefault(m, []).append(var)
        by_slot.setdefault(s, []).append(var)
        for person in problem.meetings[m]:
            by_person_slot.setdefault((person, s), []).append(var)
    for group in list(by_meeting.values()) + list(by_person_slot.values()):
        if len(group) > 1:
            h.addConstr(sum(group) <= 1)
    for s, group in by_slot.items():
        if len(group) > len(problem.tables_at(s)):
            h.addConstr(sum(group) <= len(problem.tables_at(s)))
    h.maximize(sum(x.values()))
    return round(h.getInfo().objective_function_value)


def report(name: str, problem: Problem) -> None:
    for label, run in (("scheduler", schedule), ("first come, first served", first_come_first_served)):
        result = run(problem)
        assert check(problem, result.placed) == [], "broken rule"
        print(f"  {name:<22} {label:<26} placed {len(result.placed):>5} of {len(problem.meetings)}"
              f"   {result.seconds:7.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--slots", type=int, default=18)
    parser.add_argument("--small", type=int, default=20, help="small instances solved exactly")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    print(f"1. {args.participants} participants, {args.requests} accepted requests, {args.slots} slots")
    big = make_instance(rng, args.participants, args.requests, args.tables, args.slots)
    report(f"{args.tables} tables", big)
    roomy = Problem(big.slots, tuple(range(1, 10 * args.tables + 1)), big.meetings, big.blocked, big.preferred)
    report(f"{10 * args.tables} tables", roomy)

    print("2. incremental placement of one new acceptance into the published schedule")
    published = schedule(big)
    timings = []
    for n in range(200):
        a, b = rng.sample(range(args.participants), 2)
        new_id = len(big.meetings) + n
        problem = Problem(big.slots, big.tables, {**big.meetings, new_id: (a, b)}, big.blocked,
                          big.preferred, fixed=published.placed)
        started = time.perf_counter()
        place_one(problem, new_id)
        timings.append(time.perf_counter() - started)
    print(f"  median {statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms "
          "(the pure function, with the schedule's state built from scratch each time)")

    print(f"3. small instances against the optimum, {args.small} of each")
    for people, requests, tables, slots in ((30, 70, 3, 6), (30, 90, 8, 6), (60, 200, 10, 8)):
        if not compare_with_optimum(args, people, requests, tables, slots):
            print("  highspy is not installed: skipped (see the docstring)")
            break


def compare_with_optimum(args, people: int, requests: int, tables: int, slots: int) -> bool:
    totals = {"optimum": 0, "scheduler": 0, "naive": 0}
    worst = {"scheduler": 1.0, "naive": 1.0}
    for n in range(args.small):
        small = make_instance(random.Random(args.seed * 1000 + n), people, requests, tables, slots)
        optimum = exact_optimum(small)
        if optimum is None:
            return False
        counts = {"scheduler": len(schedule(small).placed), "naive": len(first_come_first_served(small).placed)}
        assert counts["scheduler"] <= optimum
        totals["optimum"] += optimum
        for name, count in counts.items():
            totals[name] += count
            worst[name] = min(worst[name], count / optimum if optimum else 1.0)
    print(f"  {people} participants, {requests} requests, {tables} tables, {slots} slots: optimum {totals['optimum']}"
          f" meetings; scheduler {totals['scheduler'] / totals['optimum']:.1%} (worst {worst['scheduler']:.1%}),"
          f" first come first served {totals['naive'] / totals['optimum']:.1%} (worst {worst['naive']:.1%})")
    return True


if __name__ == "__main__":
    main()
