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
3. The same through the app on a temporary SQLite database (--app): the organiser's run and
   publish (planning.run / planning.publish, reading and writing the rows), then acceptances
   after publishing (meetings.answer: the request's answer, placing it with planning.place_new,
   the e-mails, the commit), each timed, and place_new's own share.
4. Small instances solved exactly by a MIP (HiGHS) for the ratio placed / optimum. HiGHS is for
   the bench only, never in requirements.txt:

       .venv/bin/python -m pip install --target /tmp/bench-deps highspy
       PYTHONPATH=/tmp/bench-deps .venv/bin/python bench/matchmaking.py

   Without it, part 4 says so and is skipped.
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


def through_the_app(big: Problem, args) -> None:
    """Part 3: the issue's instance as rows, scheduled, published, then 50 later acceptances."""
    import os
    import tempfile
    from datetime import date, datetime, timedelta

    os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")
    os.environ.setdefault("FORUMAPP_ENV", "test")
    from forumapp import create_app
    from forumapp.extensions import db
    from forumapp.matchmaking import meetings as meeting_services
    from forumapp.matchmaking import planning
    from forumapp.matchmaking.models import MatchSession, Meeting, MeetingRequest, Profile
    from forumapp.programme.models import Event
    from forumapp.registration.models import Registration
    from forumapp.timeutil import utcnow

    folder = tempfile.mkdtemp(prefix="b2b-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "STORAGE_DIR": folder,
                      "JOBS_EAGER": True, "BROKER_URL": "", "SERVER_NAME": "bench.test"})
    print("3. through the app (SQLite)")
    with app.app_context(), app.test_request_context():
        db.create_all()
        event = Event(slug="bench", title={"en": "Bench"}, starts_on=date(2026, 6, 9), ends_on=date(2026, 6, 10),
                      status="published")
        db.session.add(event)
        db.session.flush()
        per_day = big.slots // 2
        for day in range(2):  # 9 slots of 20 minutes a day
            start = datetime(2026, 6, 9 + day, 5, 0)
            db.session.add(MatchSession(event_id=event.id, name={"en": f"Day {day + 1}"}, starts_at=start,
                                        ends_at=start + timedelta(minutes=20 * per_day), slot_minutes=20,
                                        tables=len(big.tables)))
        now = utcnow()
        people = sorted({p for pair in big.meetings.values() for p in pair})
        db.session.execute(db.insert(Registration), [
            {"event_id": event.id, "token": f"t{p}", "full_name": f"Person {p}", "email": f"p{p}@example.kz",
             "locale": "ru", "consent_at": now, "status": "confirmed", "answers": {}} for p in people])
        registration = dict(db.session.execute(db.select(Registration.full_name, Registration.id)).all())
        db.session.execute(db.insert(Profile), [
            {"event_id": event.id, "registration_id": registration[f"Person {p}"], "organisation": f"Org {p}",
             "kind": "producer", "about": {}, "regions": [], "languages": ["ru"], "status": "visible",
             "created_at": now} for p in people])
        profile = {int(o[4:]): i for o, i in db.session.execute(db.select(Profile.organisation, Profile.id))}
        late = list(big.meetings)[-50:]  # accepted after publishing
        db.session.execute(db.insert(MeetingRequest), [
            {"event_id": event.id, "requester_id": profile[a], "recipient_id": profile[b], "message": "",
             "status": "pending" if m in late else "accepted", "created_at": now,
             "answered_at": None if m in late else now} for m, (a, b) in big.meetings.items()])
        db.session.execute(db.insert(Meeting), [
            {"event_id": event.id, "request_id": r, "attendance": "unknown", "requester_outcome": "none",
             "recipient_outcome": "none"}
            for r in db.session.scalars(db.select(MeetingRequest.id).filter_by(status="accepted"))])
        db.session.commit()
        started = time.perf_counter()
        result = planning.run(event)
        print(f"  run: placed {len(result.placed)} in {time.perf_counter() - started:.2f} s "
              f"(scheduler {result.seconds:.2f} s, the rest reading and writing rows)")
        started = time.perf_counter()
        count = planning.publish(event)
        print(f"  publish: {count} meetings, e-mails queued, in {time.perf_counter() - started:.2f} s")
        # Free some cells (meetings cancelled by the organiser) so that late ones have room.
        for meeting in db.session.scalars(db.select(Meeting).limit(60)):
            meeting.session_id = meeting.starts_at = meeting.table_number = None
        db.session.commit()
        answer_times, place_times = [], []
        original = planning.place_new

        def timed(meeting):
            started = time.perf_counter()
            try:
                return original(meeting)
            finally:
                place_times.append(time.perf_counter() - started)

        meeting_services.planning.place_new = timed
        requests = list(db.session.scalars(db.select(MeetingRequest).filter_by(status="pending")))
        for request in requests:
            started = time.perf_counter()
            meeting_services.answer(request.recipient, request, True)
            answer_times.append(time.perf_counter() - started)
        meeting_services.planning.place_new = original
        placed = db.session.scalar(db.select(db.func.count(Meeting.id)).join(MeetingRequest).where(
            MeetingRequest.id.in_([r.id for r in requests]), Meeting.table_number.is_not(None)))
        print(f"  {len(requests)} later acceptances, {placed} placed at once: place_new median "
              f"{statistics.median(place_times) * 1000:.1f} ms (max {max(place_times) * 1000:.1f}); the whole "
              f"answer median {statistics.median(answer_times) * 1000:.1f} ms (max {max(answer_times) * 1000:.1f})")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--slots", type=int, default=18)
    parser.add_argument("--small", type=int, default=20, help="small instances solved exactly")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--app", action="store_true", help="also through the app on a temporary SQLite database")
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

    if args.app:
        through_the_app(big, args)
    if args.small <= 0:
        return
    print(f"4. small instances against the optimum, {args.small} of each")
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
