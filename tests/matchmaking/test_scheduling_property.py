"""The scheduler's rules hold on every random instance: no participant twice in a slot, none in
a slot they cannot attend, a table once per slot, published meetings unmoved; and nothing is left
unplaced that would fit as it stands (the result is maximal)."""

import random

from forumapp.matchmaking.scheduling import Problem, check, first_come_first_served, place_one, schedule


def random_problem(rng: random.Random, *, with_fixed: bool) -> Problem:
    people = rng.randint(2, 30)
    slots = rng.randint(1, 8)
    tables = tuple(range(1, rng.randint(1, 6) + 1))
    meetings = {}
    for meeting_id in range(rng.randint(0, 60)):
        a, b = rng.sample(range(people), 2)
        meetings[meeting_id] = (a, b)
    blocked = {p: set(rng.sample(range(slots), rng.randint(0, slots))) for p in range(people) if rng.random() < 0.4}
    preferred = {p: {rng.randrange(slots)} for p in range(people) if rng.random() < 0.3}
    # Sometimes the slots belong to sessions with different tables.
    per_slot = tuple(tables[: rng.randint(1, len(tables))] for _ in range(slots)) if rng.random() < 0.3 else None
    problem = Problem(slots, tables, meetings, blocked, preferred, slot_tables=per_slot)
    if with_fixed and meetings:
        half = dict(list(meetings.items())[: len(meetings) // 2])
        earlier = schedule(Problem(slots, tables, half, blocked, slot_tables=per_slot))
        problem = Problem(slots, tables, meetings, blocked, preferred, fixed=earlier.placed, slot_tables=per_slot)
    return problem


def maximal(problem: Problem, placed) -> bool:
    busy = {(p, s) for m, (s, _t) in placed.items() for p in problem.meetings[m]}
    used = {}
    for s, _t in placed.values():
        used[s] = used.get(s, 0) + 1
    for m, (a, b) in problem.meetings.items():
        if m in placed:
            continue
        for s in range(problem.slots):
            if (used.get(s, 0) < len(problem.tables_at(s)) and (a, s) not in busy and (b, s) not in busy
                    and s not in problem.blocked.get(a, ()) and s not in problem.blocked.get(b, ())):
                return False
    return True


# (One test over many seeds rather than one test per seed: each test empties the database.)
SEEDS = range(400)


def test_schedule_keeps_every_rule_on_random_instances():
    for seed in SEEDS:
        rng = random.Random(seed)
        problem = random_problem(rng, with_fixed=seed % 2 == 1)
        for result in (schedule(problem), first_come_first_served(problem)):
            assert check(problem, result.placed) == [], f"seed {seed}"
            assert set(result.placed) | set(result.unplaced) == set(problem.meetings), f"seed {seed}"
            assert not set(result.placed) & set(result.unplaced), f"seed {seed}"
            assert maximal(problem, result.placed), f"seed {seed}"


def test_one_new_acceptance_fills_a_free_cell_without_moving_anything():
    for seed in SEEDS:
        one_new_acceptance(random.Random(1000 + seed))


def one_new_acceptance(rng):
    problem = random_problem(rng, with_fixed=False)
    if not problem.meetings:
        return
    new = max(problem.meetings)
    others = {m: p for m, p in problem.meetings.items() if m != new}
    before = schedule(Problem(problem.slots, problem.tables, others, problem.blocked, slot_tables=problem.slot_tables))
    published = Problem(problem.slots, problem.tables, problem.meetings, problem.blocked, fixed=before.placed,
                        slot_tables=problem.slot_tables)
    cell = place_one(published, new)
    if cell is None:
        assert maximal(published, before.placed)  # nowhere it fits
    else:
        assert check(published, {**before.placed, new: cell}) == []


def test_the_checker_notices_each_broken_rule():
    problem = Problem(2, (1, 2), {1: ("a", "b"), 2: ("a", "c"), 3: ("d", "e")}, blocked={"e": {1}}, fixed={3: (0, 2)})
    assert any("two meetings" in p for p in check(problem, {1: (0, 1), 2: (0, 2), 3: (0, 2)}))
    assert any("twice in slot" in p for p in check(problem, {1: (0, 1), 3: (0, 1)}))
    assert any("cannot meet" in p for p in check(problem, {3: (1, 1)}))
    assert any("moved" in p for p in check(problem, {3: (1, 2)}))


def test_greedy_beats_first_come_first_served_where_order_matters():
    # a meets b, then a meets c and b meets c, with c free only in slot 0: the baseline puts a-b
    # into slot 0 and then cannot place c's meetings; least-contested-first can.
    problem = Problem(2, (1,), {1: ("a", "b"), 2: ("c", "a")}, blocked={"c": {1}})
    assert len(first_come_first_served(problem).placed) == 1
    assert len(schedule(problem).placed) == 2
