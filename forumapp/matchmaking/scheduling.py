"""The meeting scheduler: accepted meetings into (slot, table) cells. Pure functions over plain
data, no database, so the bench, the property test and the organiser's "run" share one code.

The rules (hard): a participant has at most one meeting per slot; no meeting in a slot the
participant cannot attend (a programme item they signed up for overlaps it, or their own
"not before / not after" preference); a table hosts one meeting per slot; meetings already
published (`fixed`) keep their cell. Soft: preferred slots score higher.

Any free table serves any meeting, so tables only limit how many meetings a slot holds; the
table numbers are handed out at the end (keeping fixed meetings at theirs). The search is
greedy, least contested meeting first, into the best feasible slot, followed by repair: an
unplaced meeting gets a slot by moving what blocks it there (the two participants' other
meetings, or a meeting using the slot's last table) to other slots where they fit, in chains a
few moves deep; then trades, one placed meeting out for two unplaced in. bench/matchmaking.py
compares the result with the exact optimum (at least 98% on its small instances).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Problem", "Result", "schedule", "place_one", "check", "first_come_first_served"]


@dataclass(frozen=True)
class Problem:
    """slots: how many slots (0..slots-1); tables: their numbers; meetings: {id: (a, b)} of
    participant keys; blocked: {participant: set of slots they cannot meet in}; preferred:
    {participant: set of slots they would rather meet in}; fixed: {id: (slot, table)} that
    must not move. Meetings are listed in request order (ties, and the baseline). When slots
    belong to sessions with different tables, `slot_tables[slot]` lists that slot's tables."""

    slots: int
    tables: tuple[int, ...]
    meetings: dict[int, tuple[object, object]]
    blocked: dict[object, set[int]] = field(default_factory=dict)
    preferred: dict[object, set[int]] = field(default_factory=dict)
    fixed: dict[int, tuple[int, int]] = field(default_factory=dict)
    slot_tables: tuple[tuple[int, ...], ...] | None = None

    def tables_at(self, slot: int) -> tuple[int, ...]:
        return self.slot_tables[slot] if self.slot_tables is not None else self.tables


@dataclass
class Result:
    placed: dict[int, tuple[int, int]]  # meeting id -> (slot, table)
    unplaced: list[int]
    seconds: float = 0.0


class _State:
    """Who meets whom when, and how full each slot is, with O(1) checks."""

    def __init__(self, problem: Problem):
        self.p = problem
        self.capacity = [len(problem.tables_at(s)) for s in range(problem.slots)]
        self.busy: dict[object, dict[int, int]] = defaultdict(dict)  # participant -> slot -> meeting
        self.in_slot: list[set[int]] = [set() for _ in range(problem.slots)]
        self.slot_of: dict[int, int] = {}
        # (put?, meeting, slot) for every change, so a failed chain of moves can be undone.
        self.journal: list[tuple[bool, int, int]] = []
        for meeting_id, (slot, _table) in problem.fixed.items():
            self.put(meeting_id, slot)
        self.journal.clear()

    def free_for(self, participant, slot: int) -> bool:
        return slot not in self.busy[participant] and slot not in self.p.blocked.get(participant, ())

    def fits(self, meeting_id: int, slot: int) -> bool:
        a, b = self.p.meetings[meeting_id]
        return len(self.in_slot[slot]) < self.capacity[slot] and self.free_for(a, slot) and self.free_for(b, slot)

    def put(self, meeting_id: int, slot: int) -> None:
        a, b = self.p.meetings[meeting_id]
        self.busy[a][slot] = self.busy[b][slot] = meeting_id
        self.in_slot[slot].add(meeting_id)
        self.slot_of[meeting_id] = slot
        self.journal.append((True, meeting_id, slot))

    def take(self, meeting_id: int) -> int:
        slot = self.slot_of.pop(meeting_id)
        a, b = self.p.meetings[meeting_id]
        del self.busy[a][slot], self.busy[b][slot]
        self.in_slot[slot].discard(meeting_id)
        self.journal.append((False, meeting_id, slot))
        return slot

    def undo_to(self, mark: int) -> None:
        while len(self.journal) > mark:
            put, meeting_id, slot = self.journal.pop()
            if put:
                self.take(meeting_id)
            else:
                self.put(meeting_id, slot)
            self.journal.pop()  # the undoing itself is not journalled

    def score(self, meeting_id: int, slot: int) -> tuple:
        """Lower is better: preferred slots first, then the emptier slot (spreads load so later
        meetings find room), then the earlier slot."""
        a, b = self.p.meetings[meeting_id]
        liked = (slot in self.p.preferred.get(a, ())) + (slot in self.p.preferred.get(b, ()))
        return (-liked, len(self.in_slot[slot]), slot)

    def best_slot(self, meeting_id: int, avoid: int | None = None) -> int | None:
        options = [s for s in range(self.p.slots) if s != avoid and self.fits(meeting_id, s)]
        return min(options, key=lambda s: self.score(meeting_id, s)) if options else None


def _open_slots(problem: Problem, meeting_id: int) -> int:
    a, b = problem.meetings[meeting_id]
    blocked = problem.blocked.get(a, set()) | problem.blocked.get(b, set())
    return problem.slots - len(blocked)


def schedule(problem: Problem, *, repair_seconds: float = 3.0, seed: int = 0) -> Result:
    """Place as many meetings as the rules allow; fixed meetings stay where they are."""
    started = time.perf_counter()
    state = _State(problem)
    degree: dict[object, int] = defaultdict(int)
    for a, b in problem.meetings.values():
        degree[a] += 1
        degree[b] += 1
    position = {m: i for i, m in enumerate(problem.meetings)}
    pending = [m for m in problem.meetings if m not in problem.fixed]
    # Least contested first: a meeting whose busier participant has fewer requests comes first,
    # then the one with fewer slots both can attend, then request order. A participant asked
    # for more meetings than there are slots meets someone in each slot anyway; letting their
    # meetings go last keeps their partners' slots free for partners' other meetings (on the
    # bench's small instances this ordering is 2-10 points closer to the optimum than busiest
    # first).
    pending.sort(key=lambda m: (
        max(degree[problem.meetings[m][0]], degree[problem.meetings[m][1]]), _open_slots(problem, m), position[m]
    ))
    unplaced = []
    for meeting_id in pending:
        slot = state.best_slot(meeting_id)
        if slot is None:
            unplaced.append(meeting_id)
        else:
            state.put(meeting_id, slot)
    rng = random.Random(seed)
    deadline = started + repair_seconds
    unplaced = _repair(state, unplaced, deadline=deadline, rng=rng)
    unplaced = _trade(state, unplaced, deadline=deadline, rng=rng)
    return Result(_assign_tables(state), sorted(unplaced, key=position.get), time.perf_counter() - started)


def _repair(state: _State, unplaced: list[int], *, deadline: float, rng: random.Random) -> list[int]:
    """Ejection chains: an unplaced meeting takes a slot where the two participants' other
    meetings (or, in a full slot, one meeting at a table) are in the way, and those move on to
    other slots, pushing others in turn, up to MAX_DEPTH moves deep; a chain that ends nowhere is
    undone. Repeats, deeper each time, while a pass places something or until the deadline."""
    depth = 1
    while unplaced and time.perf_counter() < deadline and depth <= MAX_DEPTH:
        if all(len(state.in_slot[s]) >= state.capacity[s] for s in range(state.p.slots)):
            break  # every table of every slot is taken: no move can make room
        still = []
        for meeting_id in unplaced:
            if time.perf_counter() < deadline and _insert(state, meeting_id, depth, {meeting_id}, rng):
                continue
            still.append(meeting_id)
        if len(still) == len(unplaced):
            depth += 1  # nothing more at this depth: look further
        unplaced = still
    return unplaced


MAX_DEPTH = 3
TRADE_DEPTH = 2


def _trade(state: _State, unplaced: list[int], *, deadline: float, rng: random.Random) -> list[int]:
    """One out, two in: a placed meeting gives up its slot when that lets two (or more) of the
    unplaced meetings of its participants in. Repeats while it gains and time is left."""
    fixed = state.p.fixed
    improved = True
    while improved and unplaced and time.perf_counter() < deadline:
        if sum(state.capacity) - len(state.slot_of) < 1:
            break  # taking one out frees one table: with none free besides, two cannot come in
        improved = False
        waiting: dict[object, set[int]] = defaultdict(set)
        for meeting_id in unplaced:
            for person in state.p.meetings[meeting_id]:
                waiting[person].add(meeting_id)
        pool = set(unplaced)
        placed = [m for m in state.slot_of if m not in fixed]
        rng.shuffle(placed)
        for meeting_id in placed:
            if time.perf_counter() >= deadline:
                break
            a, b = state.p.meetings[meeting_id]
            hopefuls = sorted((waiting[a] | waiting[b]) & pool)
            if len(hopefuls) < 2:
                continue
            mark = len(state.journal)
            state.take(meeting_id)
            gained = [m for m in hopefuls if _insert(state, m, TRADE_DEPTH, {m, meeting_id}, rng)]
            if len(gained) >= 2:
                pool.difference_update(gained)
                pool.add(meeting_id)
                for person in (a, b):
                    waiting[person].add(meeting_id)
                improved = True
            else:
                state.undo_to(mark)
        unplaced = [m for m in unplaced if m in pool] + [m for m in pool if m not in set(unplaced)]
    return unplaced


def _insert(state: _State, meeting_id: int, depth: int, moving: set[int], rng: random.Random,
            avoid: int | None = None) -> bool:
    slot = state.best_slot(meeting_id, avoid=avoid)
    if slot is not None:
        state.put(meeting_id, slot)
        return True
    if depth == 0:
        return False
    a, b = state.p.meetings[meeting_id]
    fixed = state.p.fixed
    slots = [s for s in range(state.p.slots) if s != avoid
             and s not in state.p.blocked.get(a, ()) and s not in state.p.blocked.get(b, ())]
    rng.shuffle(slots)
    for slot in slots:
        in_way = {state.busy[a].get(slot), state.busy[b].get(slot)} - {None}
        if in_way & (fixed.keys() | moving):
            continue
        if in_way:
            options = [tuple(in_way)]
        elif len(state.in_slot[slot]) >= state.capacity[slot]:
            candidates = [m for m in state.in_slot[slot] if m not in fixed and m not in moving]
            options = [(m,) for m in rng.sample(candidates, min(3, len(candidates)))]
        else:
            continue
        for others in options:
            mark = len(state.journal)
            for other in others:
                state.take(other)
            state.put(meeting_id, slot)
            chain = moving | set(others)
            if all(_insert(state, other, depth - 1, chain, rng, avoid=slot) for other in others):
                return True
            state.undo_to(mark)
    return False


def _assign_tables(state: _State) -> dict[int, tuple[int, int]]:
    placed: dict[int, tuple[int, int]] = {}
    fixed = state.p.fixed
    for slot, meetings in enumerate(state.in_slot):
        taken = {fixed[m][1] for m in meetings if m in fixed}
        free = iter(t for t in state.p.tables_at(slot) if t not in taken)
        for meeting_id in sorted(meetings):
            placed[meeting_id] = fixed[meeting_id] if meeting_id in fixed else (slot, next(free))
    return placed


def place_one(problem: Problem, meeting_id: int) -> tuple[int, int] | None:
    """One new acceptance into a published schedule: the best free cell, nothing else moves.
    `problem.fixed` holds every meeting already placed."""
    state = _State(problem)
    slot = state.best_slot(meeting_id)
    if slot is None:
        return None
    taken = {table for m, (s, table) in problem.fixed.items() if s == slot}
    return slot, next(t for t in problem.tables_at(slot) if t not in taken)


def first_come_first_served(problem: Problem) -> Result:
    """The naive baseline: in request order, the first slot where it fits."""
    started = time.perf_counter()
    state = _State(problem)
    unplaced = []
    for meeting_id in problem.meetings:
        if meeting_id in problem.fixed:
            continue
        slot = next((s for s in range(problem.slots) if state.fits(meeting_id, s)), None)
        if slot is None:
            unplaced.append(meeting_id)
        else:
            state.put(meeting_id, slot)
    return Result(_assign_tables(state), unplaced, time.perf_counter() - started)


def check(problem: Problem, placed: dict[int, tuple[int, int]]) -> list[str]:
    """Every broken rule, as text (empty when the placement is valid). Used by tests and by the
    organiser's manual moves, which warn instead of refusing."""
    problems: list[str] = []
    cells: dict[tuple[int, int], int] = {}
    seen: dict[tuple[object, int], int] = {}
    for meeting_id, (slot, table) in placed.items():
        if not 0 <= slot < problem.slots or table not in problem.tables_at(slot):
            problems.append(f"meeting {meeting_id}: no such cell ({slot}, {table})")
            continue
        if (slot, table) in cells:
            problems.append(f"table {table} twice in slot {slot}: {cells[(slot, table)]}, {meeting_id}")
        cells[(slot, table)] = meeting_id
        for person in problem.meetings[meeting_id]:
            if slot in problem.blocked.get(person, ()):
                problems.append(f"meeting {meeting_id}: {person} cannot meet in slot {slot}")
            if (person, slot) in seen:
                problems.append(f"{person} has two meetings in slot {slot}: {seen[(person, slot)]}, {meeting_id}")
            seen[(person, slot)] = meeting_id
    for meeting_id, cell in problem.fixed.items():
        if placed.get(meeting_id) != cell:
            problems.append(f"published meeting {meeting_id} moved")
    return problems


def blocked_slots(slot_times: Iterable[tuple], busy: Iterable[tuple]) -> set[int]:
    """Indexes of the slots (start, end) that overlap any busy interval (start, end)."""
    busy = list(busy)
    return {i for i, (start, end) in enumerate(slot_times) if any(s < end and start < e for s, e in busy)}
