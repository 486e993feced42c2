"""Registration rules, independent of the request: places, waiting lists, approval, cancellation.

Every change that can take or free a place runs in one transaction that locks the event's
RegistrationSettings row (`lock_event`): on PostgreSQL an UPDATE of that row (a row lock held to
commit), on SQLite the same UPDATE takes the database write lock. Confirmed places are counted
after the lock, so two requests can never both take the last place. The e-mail about the change
is queued in the same transaction (outbox.queue) and delivered after commit.

A newcomer's registration from the public form is forumapp.registration.newcomers: it writes
before the lock and only counts and commits under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError

from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration import outbox
from forumapp.registration.models import (
    ItemSignup,
    ParticipantCategory,
    Question,
    Registration,
    RegistrationSettings,
)
from forumapp.timeutil import utcnow

# (code, name, flags): speakers are named by the organisers, not self-declared; press
# accreditation is approved by them.
DEFAULT_CATEGORIES = [
    ("delegate", {"kk": "Делегат", "ru": "Делегат", "en": "Delegate"}, {}),
    ("speaker", {"kk": "Спикер", "ru": "Спикер", "en": "Speaker"}, {"is_public": False}),
    ("press", {"kk": "Баспасөз", "ru": "Пресса", "en": "Press"}, {"requires_approval": True}),
    ("exhibitor", {"kk": "Көрмеге қатысушы", "ru": "Экспонент", "en": "Exhibitor"}, {}),
    ("guest", {"kk": "Қонақ", "ru": "Гость", "en": "Guest"}, {}),
]

# Tests (and only tests) set this to run code after places are counted and before the decision
# is written: with the lock switched off, a barrier here makes the race reliable.
after_count_hook: Callable[[], None] | None = None

# Called with the event's id just before a registration takes the lock, to read what the
# transaction will need under it ahead of time (forumapp.api.webhooks: the event's endpoints).
BEFORE_LOCK: list[Callable[[int], None]] = []


class RegistrationError(Exception):
    """A rule refused the change; the message is shown to the user."""


class RegistrationClosed(RegistrationError):
    pass


class DuplicateEmail(RegistrationError):
    pass


class EventFull(RegistrationError):
    """No place is free for a confirmation by hand."""

    def __init__(self, taken: int, capacity: int):
        super().__init__("full")
        self.taken, self.capacity = taken, capacity


class AtTheEnd(RegistrationError):
    """A move on the waiting list past its first or last place."""

    def __init__(self, first: bool):
        super().__init__("first" if first else "last")
        self.first = first


@dataclass
class Applicant:
    full_name: str
    email: str
    consent: bool
    phone: str = ""
    organisation_name: str = ""
    position: str = ""
    city: str = ""
    category_id: int | None = None
    locale: str = "ru"
    answers: dict = field(default_factory=dict)
    item_ids: list[int] = field(default_factory=list)


# ---- set-up --------------------------------------------------------------------------------


def settings_for(event: Event) -> RegistrationSettings:
    """The event's settings, created (closed to nobody, unlimited) with default categories."""
    settings = db.session.scalar(db.select(RegistrationSettings).filter_by(event_id=event.id))
    if settings is None:
        settings = RegistrationSettings(event_id=event.id)
        db.session.add(settings)
        if not categories(event):
            for position, (code, name, flags) in enumerate(DEFAULT_CATEGORIES):
                db.session.add(ParticipantCategory(event_id=event.id, code=code, name=name, position=position, **flags))
        try:
            db.session.commit()
        except IntegrityError:  # created by a concurrent request
            db.session.rollback()
            settings = db.session.scalar(db.select(RegistrationSettings).filter_by(event_id=event.id))
    return settings


def public_event_and_settings(slug: str) -> tuple[Event | None, RegistrationSettings | None]:
    """A public event and its registration settings in one query (the public registration pages
    need both on every request). (None, None) when there is no such public event."""
    row = db.session.execute(_event_and_settings_statement(), {"slug": slug}).first()
    if row is None or not row[0].is_public:
        return None, None
    event, settings = row
    return event, settings or settings_for(event)


@cache
def _event_and_settings_statement():
    return (db.select(Event, RegistrationSettings)
            .outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id)
            .where(Event.slug == bindparam("slug")))


def categories(event: Event) -> list[ParticipantCategory]:
    return list(
        db.session.scalars(
            db.select(ParticipantCategory)
            .filter_by(event_id=event.id)
            .order_by(ParticipantCategory.position, ParticipantCategory.id)
        )
    )


def public_categories(event: Event, keep: int | None = None) -> list[ParticipantCategory]:
    """The categories a participant may choose: the public ones, and `keep` (the category the
    organisers gave them) so that saving their page does not take it away."""
    return [c for c in categories(event) if c.is_public or c.id == keep]


def category_of(event_id: int, category_id: int | None, loaded=()) -> ParticipantCategory | None:
    """The event's category (among `loaded`, the categories the form was built from, else from
    the database); a category of another event is refused."""
    if category_id is None:
        return None
    category = next((c for c in loaded if c.id == category_id), None) or db.session.get(ParticipantCategory, category_id)
    if category is None or category.event_id != event_id:
        raise RegistrationError("category")
    return category


def needs_approval(settings: RegistrationSettings, category: ParticipantCategory | None) -> bool:
    return settings.requires_approval or bool(category and category.requires_approval)


def questions(event: Event) -> list[Question]:
    return list(
        db.session.scalars(db.select(Question).filter_by(event_id=event.id).order_by(Question.position, Question.id))
    )


def signup_items(event: Event) -> list[ProgrammeItem]:
    """Published items participants may sign up for, in programme order."""
    return list(
        db.session.scalars(
            db.select(ProgrammeItem)
            .filter_by(event_id=event.id, takes_signups=True, status="published")
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.id)
        )
    )


# ---- searching -----------------------------------------------------------------------------


def contains_text(columns, text: str):
    """A condition: one of `columns` contains `text`, in any case and any script. Both sides go
    through lower(): PostgreSQL's follows the database's LC_CTYPE (any UTF-8 locale folds
    Cyrillic); on SQLite, where the built-in one folds ASCII only, forumapp registers Python's
    (extensions.init_database). % and _ are matched literally."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return db.or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


# ---- counting ------------------------------------------------------------------------------


def confirmed_count(event_id: int) -> int:
    return db.session.scalar(
        db.select(func.count(Registration.id)).filter_by(event_id=event_id, status="confirmed")
    )


def item_confirmed_count(item_id: int) -> int:
    return db.session.scalar(db.select(func.count(ItemSignup.id)).filter_by(item_id=item_id, status="confirmed"))


def item_counts(event: Event) -> dict[int, dict[str, int]]:
    rows = db.session.execute(
        db.select(ItemSignup.item_id, ItemSignup.status, func.count(ItemSignup.id))
        .join(ProgrammeItem, ProgrammeItem.id == ItemSignup.item_id)
        .where(ProgrammeItem.event_id == event.id)
        .group_by(ItemSignup.item_id, ItemSignup.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for item_id, status, n in rows:
        counts.setdefault(item_id, {})[status] = n
    return counts


def status_counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Registration.status, func.count(Registration.id)).filter_by(event_id=event.id).group_by(Registration.status)
    )
    return dict(rows.all())


@dataclass
class Places:
    """What the form says before it is filled in: free places, or the waiting list to join."""

    capacity: int | None
    free: int | None  # None: unlimited
    waiting: int
    approval: bool

    @property
    def full(self) -> bool:
        return self.free is not None and self.free <= 0


def places_left(event: Event, settings: RegistrationSettings) -> Places:
    """Free places and the length of the waiting list, as they are now (a hint: the decision is
    taken under the lock when the form is sent)."""
    if settings.capacity is None:
        return Places(None, None, 0, settings.requires_approval)
    counts = status_counts(event)
    return Places(
        settings.capacity, max(settings.capacity - counts.get("confirmed", 0), 0), counts.get("waiting", 0),
        settings.requires_approval,
    )


def waiting_list(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            db.select(Registration)
            .filter_by(event_id=event.id, status="waiting")
            .order_by(Registration.waiting_since, Registration.id)
        )
    )


def waiting_numbers(event: Event) -> dict[int, int]:
    """{registration id: its number on the waiting list}, for the organisers' list."""
    ids = db.session.scalars(
        db.select(Registration.id)
        .filter_by(event_id=event.id, status="waiting")
        .order_by(Registration.waiting_since, Registration.id)
    )
    return {reg_id: n for n, reg_id in enumerate(ids, 1)}


def waiting_position(registration: Registration) -> int | None:
    if registration.status != "waiting":
        return None
    ahead = db.session.scalar(
        db.select(func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == "waiting",
            db.or_(
                Registration.waiting_since < registration.waiting_since,
                db.and_(Registration.waiting_since == registration.waiting_since, Registration.id < registration.id),
            ),
        )
    )
    return ahead + 1


# ---- the lock ------------------------------------------------------------------------------


def lock_event(event_id: int) -> None:
    """Serialise every change of places for one event until this transaction ends."""
    if not current_app.config.get("REGISTRATION_LOCK", True):
        return  # the naive baseline (bench and the control test only)
    db.session.execute(
        db.update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id)
        .values(updated_at=RegistrationSettings.updated_at)
        .execution_options(synchronize_session=False)
    )


def place_free(capacity: int | None, taken: int) -> bool:
    return capacity is None or taken < capacity


# ---- registering ---------------------------------------------------------------------------


def find_by_email(event: Event, email: str) -> Registration | None:
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, email=email.strip().lower()))


def find_by_token(event: Event, token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, token=token))


def take_place_or_queue(registration: Registration, *, approval: bool, has_place: bool, now) -> str:
    """The status of a (new or renewed) registration; returns the kind of e-mail it gets."""
    registration.waiting_since = None
    if approval:
        registration.status = "pending"
        return "received"
    if has_place:
        registration.status = "confirmed"
        return "confirmed"
    registration.status = "waiting"
    registration.waiting_since = now
    return "waiting"


def register_again(registration: Registration) -> str:
    """A participant who cancelled comes back through their private link, with the details they
    had. Like a newcomer: approval if the event or their category asks for it, else a free place
    or the end of the waiting list (never their old place in the queue). Returns the new status.
    Their item choices are not restored: places at items went to others; they choose again."""
    settings = settings_for(registration.event)
    if not settings.is_open():
        raise RegistrationClosed("closed")
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "cancelled":
        db.session.rollback()
        raise RegistrationError("not-cancelled")
    approval = needs_approval(settings, registration.category)
    taken = confirmed_count(registration.event_id) if settings.capacity is not None and not approval else 0
    if after_count_hook:
        after_count_hook()
    now = utcnow()
    kind = take_place_or_queue(
        registration, approval=approval, has_place=place_free(settings.capacity, taken), now=now
    )
    registration.updated_at = now
    outbox.queue(registration, kind)
    db.session.commit()
    return registration.status


def commit_keeping_loaded() -> None:
    """Commit without expiring the objects in the session. The new rows hold exactly what this
    request wrote (every default is computed in Python, the id came back with the INSERT), so
    reading them back, as the next attribute access after a plain commit would, costs queries
    and tells nothing new."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def valid_items(event: Event, item_ids, candidates=None) -> list[ProgrammeItem]:
    wanted = {int(i) for i in item_ids or []}
    if not wanted:
        return []
    return [item for item in (candidates if candidates is not None else signup_items(event)) if item.id in wanted]


def sign_up(registration: Registration, items: list[ProgrammeItem], now) -> list[ItemSignup]:
    """Places at items are held only by confirmed participants; others queue for them."""
    made = []
    for item in items:
        signup = ItemSignup(registration_id=registration.id, item_id=item.id, created_at=now)
        if registration.status == "confirmed" and place_free(item.capacity, item_confirmed_count(item.id)):
            signup.status = "confirmed"
        else:
            signup.status = "waiting"
            signup.waiting_since = now
        db.session.add(signup)
        made.append(signup)
    db.session.flush()
    if made:  # the sign-ups were made by id: read the collection again (the e-mail lists them)
        db.session.expire(registration, ["signups"])
    return made


def update_details(registration: Registration, applicant: Applicant) -> bool:
    """The participant edits their details and item choices (not the e-mail), only while
    registration is open: once the organisers have closed the lists, they stay as they are.

    A new category is one the participant may choose (a public one). When it needs approval (the
    event approves everyone, or the category does), a confirmed or waiting registration goes
    back to approval: its place goes to the next person waiting and it is e-mailed. Returns True
    then. Otherwise a participant approved as a delegate could call themselves press."""
    if not registration.is_active:
        raise RegistrationError("inactive")
    settings = settings_for(registration.event)
    if not settings.is_open():
        raise RegistrationClosed("closed")
    changed = applicant.category_id != registration.category_id
    category = category_of(registration.event_id, applicant.category_id) if changed else None
    if changed and category is not None and not category.is_public:
        raise RegistrationError("category")
    lock_event(registration.event_id)
    db.session.refresh(registration)
    for name in ("full_name", "phone", "organisation_name", "position", "city"):
        setattr(registration, name, getattr(applicant, name).strip())
    if changed:  # the object, so that the e-mail below names the new category
        registration.category = category
    registration.locale = applicant.locale
    back_to_review = changed and registration.status in ("confirmed", "waiting") and needs_approval(settings, category)
    freed = []
    if back_to_review:
        freed = _back_to_approval(registration)
    registration.answers = applicant.answers
    now = utcnow()
    wanted = {item.id: item for item in valid_items(registration.event, applicant.item_ids)}
    current = {s.item_id: s for s in registration.signups}
    for item_id, signup in current.items():
        if item_id not in wanted and signup.status != "cancelled":
            if signup.status == "confirmed":
                freed.append(signup.item)
            signup.status = "cancelled"
    new_items = []
    for item_id, item in wanted.items():
        signup = current.get(item_id)
        if signup is None:
            new_items.append(item)
        elif signup.status == "cancelled":
            db.session.delete(signup)
            db.session.flush()
            new_items.append(item)
    sign_up(registration, new_items, now)
    for item in freed:
        _promote_item(item)
    db.session.commit()
    db.session.refresh(registration)
    return back_to_review


def set_category(registration: Registration, category_id: int) -> None:
    """An organiser's choice of category (any of the event's): no new approval is needed."""
    registration.category = category_of(registration.event_id, category_id)
    db.session.commit()


def _back_to_approval(registration: Registration) -> list[ProgrammeItem]:
    """confirmed/waiting → pending (caller holds the lock): the event place and the item places
    go to the next people waiting; returns the items whose places were freed."""
    held_place = registration.status == "confirmed"
    registration.status = "pending"
    registration.waiting_since = None
    now = utcnow()
    freed = []
    for signup in registration.signups:
        if signup.status == "confirmed":
            signup.status = "waiting"
            signup.waiting_since = now
            freed.append(signup.item)
    outbox.queue(registration, "category_review")
    db.session.flush()
    if held_place:
        _promote_event(registration.event, exclude=registration.id)
    return freed


# ---- leaving, approval and promotion -------------------------------------------------------


def cancel(registration: Registration, *, by_participant: bool = True) -> list[Registration]:
    """Cancel and free the places; returns the people promoted from the waiting lists."""
    return _leave(registration, "cancelled", message="cancelled")


def reject(registration: Registration) -> list[Registration]:
    return _leave(registration, "rejected", message="rejected")


def _leave(registration: Registration, status: str, *, message: str) -> list[Registration]:
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status in ("cancelled", "rejected"):
        db.session.rollback()
        raise RegistrationError("inactive")
    held_place = registration.status == "confirmed"
    registration.status = status
    registration.waiting_since = None
    freed_items = []
    for signup in registration.signups:
        if signup.status == "confirmed":
            freed_items.append(signup.item)
        signup.status = "cancelled"
    outbox.queue(registration, message)
    db.session.flush()
    promoted = _promote_event(registration.event) if held_place else []
    for item in freed_items:
        _promote_item(item)
    db.session.commit()
    return promoted


def approve(registration: Registration) -> None:
    """pending → confirmed if a place is free, else to the end of the waiting list."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "pending":
        db.session.rollback()
        raise RegistrationError("not-pending")
    now = utcnow()
    if place_free(settings_for(registration.event).capacity, confirmed_count(registration.event_id)):
        _confirm(registration, now)
        outbox.queue(registration, "approved")
    else:
        registration.status = "waiting"
        registration.waiting_since = now
        outbox.queue(registration, "waiting")
    db.session.commit()


def promote(registration: Registration, *, beyond_capacity: bool = False) -> None:
    """The organiser confirms a waiting (or pending) person by hand: into a free place, counted
    under the lock (EventFull when there is none), or `beyond_capacity` when they mean to."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status not in ("waiting", "pending"):
        db.session.rollback()
        raise RegistrationError("not-waiting")
    if not beyond_capacity:
        capacity = settings_for(registration.event).capacity
        taken = confirmed_count(registration.event_id)
        if after_count_hook:
            after_count_hook()
        if not place_free(capacity, taken):
            db.session.rollback()
            raise EventFull(taken, capacity)
    _confirm(registration, utcnow())
    outbox.queue(registration, "promoted")
    db.session.commit()


def move_on_waiting_list(registration: Registration, where: str) -> int:
    """The organiser moves a waiting person one place "up" or "down", or to the "top" of the
    waiting list; returns their new number and e-mails them.

    The list is ordered by (waiting_since, id): the people concerned exchange their times, so
    everyone else keeps their place and later arrivals still queue behind. Times that are equal
    are made one microsecond apart first, so the order never depends on ids."""
    if where not in ("up", "down", "top"):
        raise ValueError(where)
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "waiting":
        db.session.rollback()
        raise RegistrationError("not-waiting")
    queue = waiting_list(registration.event)
    index = queue.index(registration)
    target = {"up": index - 1, "down": index + 1, "top": 0}[where]
    if target == index or not 0 <= target < len(queue):
        db.session.rollback()
        raise AtTheEnd(first=where != "down")
    times = sorted(r.waiting_since or r.created_at for r in queue)
    for n in range(1, len(times)):
        if times[n] <= times[n - 1]:
            times[n] = times[n - 1] + timedelta(microseconds=1)
    queue.insert(target, queue.pop(index))
    for person, since in zip(queue, times, strict=True):
        if person.waiting_since != since:
            person.waiting_since = since
    outbox.queue(registration, "waiting_moved", position=target + 1)
    db.session.commit()
    return target + 1


def move_to_waiting(registration: Registration) -> list[Registration]:
    """The organiser moves a confirmed person to the end of the waiting list."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status not in ("confirmed", "pending"):
        db.session.rollback()
        raise RegistrationError("not-confirmed")
    was_confirmed = registration.status == "confirmed"
    registration.status = "waiting"
    registration.waiting_since = utcnow()
    freed = []
    for signup in registration.signups:
        if signup.status == "confirmed":
            signup.status = "waiting"
            signup.waiting_since = registration.waiting_since
            freed.append(signup.item)
    outbox.queue(registration, "waiting")
    db.session.flush()
    if was_confirmed:
        _promote_event(registration.event, exclude=registration.id)
    for item in freed:
        _promote_item(item)
    db.session.commit()
    return []


def _confirm(registration: Registration, now) -> None:
    registration.status = "confirmed"
    registration.waiting_since = None
    db.session.flush()
    for signup in registration.signups:
        if signup.status == "waiting" and place_free(signup.item.capacity, item_confirmed_count(signup.item_id)):
            signup.status = "confirmed"
            signup.waiting_since = None
    db.session.flush()


def _promote_event(event: Event, exclude: int | None = None) -> list[Registration]:
    """Fill free places from the head of the waiting list (caller holds the lock)."""
    settings = settings_for(event)
    promoted = []
    now = utcnow()
    while place_free(settings.capacity, confirmed_count(event.id)):
        query = (
            db.select(Registration)
            .filter_by(event_id=event.id, status="waiting")
            .order_by(Registration.waiting_since, Registration.id)
            .limit(1)
        )
        if exclude is not None:
            query = query.where(Registration.id != exclude)
        first = db.session.scalar(query)
        if first is None:
            break
        _confirm(first, now)
        outbox.queue(first, "promoted")
        promoted.append(first)
    return promoted


def _promote_item(item: ProgrammeItem) -> list[ItemSignup]:
    """Give free places at an item to the first confirmed participants waiting for it."""
    promoted = []
    while place_free(item.capacity, item_confirmed_count(item.id)):
        first = db.session.scalar(
            db.select(ItemSignup)
            .join(Registration, Registration.id == ItemSignup.registration_id)
            .where(ItemSignup.item_id == item.id, ItemSignup.status == "waiting", Registration.status == "confirmed")
            .order_by(ItemSignup.waiting_since, ItemSignup.id)
            .limit(1)
        )
        if first is None:
            break
        first.status = "confirmed"
        first.waiting_since = None
        db.session.flush()
        outbox.queue(first.registration, "item_promoted", item=item)
        promoted.append(first)
    return promoted


def cancel_signup(signup: ItemSignup) -> None:
    lock_event(signup.item.event_id)
    db.session.refresh(signup)
    held = signup.status == "confirmed"
    signup.status = "cancelled"
    signup.waiting_since = None
    db.session.flush()
    if held:
        _promote_item(signup.item)
    db.session.commit()


def promote_signup(signup: ItemSignup) -> None:
    lock_event(signup.item.event_id)
    db.session.refresh(signup)
    if signup.status != "waiting":
        db.session.rollback()
        raise RegistrationError("not-waiting")
    signup.status = "confirmed"
    signup.waiting_since = None
    outbox.queue(signup.registration, "item_promoted", item=signup.item)
    db.session.commit()


def resend_link(event: Event, email: str) -> bool:
    registration = find_by_email(event, email)
    if registration is None:
        return False
    outbox.queue(registration, "link")
    db.session.commit()
    return True


def fill_places(event: Event) -> list[Registration]:
    """After the organiser raises the capacity: promote from the waiting list."""
    lock_event(event.id)
    promoted = _promote_event(event)
    for item in signup_items(event):
        _promote_item(item)
    db.session.commit()
    return promoted
