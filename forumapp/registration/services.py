"""Registration rules, independent of the request: places, waiting lists, approval, cancellation.

Every change that can take or free a place runs in one transaction that first locks the event's
RegistrationSettings row (`_lock_event`): on PostgreSQL an UPDATE of that row (a row lock held to
commit), on SQLite the same UPDATE takes the database write lock. Counting confirmed places and
inserting happen after the lock, so two requests can never both take the last place. The e-mail
about the change is queued in the same transaction (outbox.queue) and delivered after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration import outbox
from forumapp.registration.models import (
    ItemSignup,
    ParticipantCategory,
    Question,
    Registration,
    RegistrationSettings,
    new_token,
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


def _category_of(event_id: int, category_id: int | None, loaded=()) -> ParticipantCategory | None:
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


def _lock_event(event_id: int) -> None:
    """Serialise every change of places for one event until this transaction ends."""
    if not current_app.config.get("REGISTRATION_LOCK", True):
        return  # the naive baseline (bench and the control test only)
    db.session.execute(
        db.update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id)
        .values(updated_at=RegistrationSettings.updated_at)
        .execution_options(synchronize_session=False)
    )


def _has_place(capacity: int | None, taken: int) -> bool:
    return capacity is None or taken < capacity


# ---- registering ---------------------------------------------------------------------------


def find_by_email(event: Event, email: str) -> Registration | None:
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, email=email.strip().lower()))


def find_by_token(event: Event, token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, token=token))


def register(
    event: Event, applicant: Applicant, *, nonce: str | None = None, settings=None, items=None, categories=()
) -> tuple[Registration, bool]:
    """Register, confirmed if a place is free, else waiting (or pending when organisers approve).
    Returns (registration, created). The same form nonce returns the first registration.

    Everyone registering for one event passes through the lock one by one, so what happens under
    it decides how many registrations a second the event takes. A newcomer without item choices
    (`_write_then_lock`) writes everything before it, on the outcome the places counted just then
    predict, and under the lock only counts again and commits; the few whose prediction fails
    (the last places going) start again and are decided under the lock (`_decide_under_lock`),
    as are sign-ups for items and the renewal of a cancelled registration. A duplicate e-mail or
    form is caught by the unique constraints either way.

    An e-mail that is registered and active is refused (DuplicateEmail). One whose registration
    was cancelled registers again: the cancelled row is renewed with this form's details.
    `settings`, `items` and `categories`: what the caller has loaded already (the form's)."""
    settings = settings or settings_for(event)
    if not settings.is_open():
        if (earlier := _same_form_saved(event, nonce)) is not None:
            return earlier, False
        raise RegistrationClosed("closed")
    if not applicant.consent:
        raise RegistrationError("consent")
    email = applicant.email.strip().lower()
    category = _category_of(event.id, applicant.category_id, categories)
    if category is not None and not category.is_public:  # organisers give those (set_category)
        raise RegistrationError("category")
    items = _valid_items(event, applicant.item_ids, items)
    registration = Registration(
        event=event,
        token=new_token(),
        form_nonce=nonce,
        full_name=applicant.full_name.strip(),
        email=email,
        phone=applicant.phone.strip(),
        organisation_name=applicant.organisation_name.strip(),
        position=applicant.position.strip(),
        city=applicant.city.strip(),
        category_id=applicant.category_id,
        locale=applicant.locale,
        answers=applicant.answers,
    )
    capacity, approval = settings.capacity, needs_approval(settings, category)
    count = capacity is not None and not approval
    try:
        for attempt in (1, 2):
            try:
                return _register(event, settings, registration, items, nonce=nonce, count=count, approval=approval)
            except DBAPIError as error:
                if attempt == 2 or not _is_deadlock(error):
                    raise
                # Only when the same e-mail was sent twice at once, once on each path: the
                # database broke the cycle by failing one of them; that one starts again.
                _start_again(registration)
    except IntegrityError:
        # The same e-mail or the same form raced itself (the lock does not cover those when it is
        # switched off, and a registration of the same e-mail by an organiser takes no lock).
        db.session.rollback()
        if (earlier := _same_form_saved(event, nonce)) is not None:
            return earlier, False
        raise DuplicateEmail(email) from None
    raise AssertionError("unreachable")


def _register(event: Event, settings: RegistrationSettings, registration: Registration, items, *, nonce,
              count: bool, approval: bool) -> tuple[Registration, bool]:
    capacity, email = settings.capacity, registration.email
    # Before the lock, as things stand now: a form sent twice or an e-mail already registered is
    # answered without queueing for the lock.
    earlier_id, same_email, same_email_status, taken = _look_up(event.id, nonce, email, count=count)
    if earlier_id is not None:  # double click, retry, second tab
        return db.session.get(Registration, earlier_id), False
    if same_email is not None and same_email_status != "cancelled":
        raise DuplicateEmail(email)
    if same_email is None and not items:
        if _write_then_lock(event, settings, registration, has_place=_has_place(capacity, taken),
                            count=count, approval=approval):
            return registration, True
        # The places changed between the count and the lock (the last places went, or one was
        # freed): this registration starts again and is decided under the lock.
        _start_again(registration)
    return _decide_under_lock(event, settings, registration, items, nonce=nonce, count=count, approval=approval)


def _write_then_lock(event: Event, settings: RegistrationSettings, registration: Registration, *,
                     has_place: bool, count: bool, approval: bool) -> bool:
    """The common case, a newcomer without item choices: everything is written before the lock
    on the outcome the places counted just now predict (registration, e-mail, log entry, webhook
    deliveries), uncommitted and so unseen by anyone else. Then the lock is taken and only the
    confirmed places are counted again before the commit: when the prediction holds, which it
    does for all but the registrations that meet the last places, the lock is held for one
    count and the commit. Returns False, the transaction still open, when it did not hold."""
    now = utcnow()
    registration.consent_at = registration.updated_at = registration.created_at = now
    kind = _take_place_or_queue(registration, approval=approval, has_place=has_place, now=now)
    db.session.add(registration)
    outbox.attach(registration, outbox.render(registration, kind, settings=settings))
    db.session.flush()
    capacity = settings.capacity if count else None
    if _one_message_possible():
        if not _lock_check_commit_in_one_message(event.id, registration.id, capacity, has_place):
            return False
    else:
        _lock_event(event.id)
        if capacity is not None:
            taken = db.session.scalar(_confirmed_besides_statement(), {"event_id": event.id, "own": registration.id})
            if after_count_hook:
                after_count_hook()
            if _has_place(capacity, taken) != has_place:
                return False
    _commit_keeping_loaded()
    return True


PLACES_CHANGED = "FA001"  # the SQLSTATE of the check below: the prediction did not hold


def _one_message_possible() -> bool:
    return db.session.get_bind().dialect.name == "postgresql" and current_app.config.get("REGISTRATION_LOCK", True)


def _lock_check_commit_in_one_message(event_id: int, own_id: int, capacity: int | None, has_place: bool) -> bool:
    """Take the lock, check the confirmed places against the prediction and commit, as one
    message to PostgreSQL. Sent as three round trips, every registrant of the event also waited
    for the holder's process to be scheduled again after each answer, which on a busy server is
    most of the time the lock was held; here the lock is held only for PostgreSQL's own work.
    The check raises PLACES_CHANGED when the count disagrees with `has_place`: the COMMIT after it
    is then not run, and the transaction is rolled back (False). Every value in the text is an
    integer (no parameters: the simple query protocol, which takes several statements)."""
    statements = [
        f"UPDATE registration_settings SET updated_at = updated_at WHERE event_id = {int(event_id)}",
    ]
    if capacity is not None:
        # Its own statement after the lock (a new snapshot in READ COMMITTED: it sees the
        # registration the previous holder committed).
        disagrees = ">=" if has_place else "<"
        statements.append(
            f"DO $$ BEGIN IF (SELECT count(id) FROM registration WHERE event_id = {int(event_id)} AND status = 'confirmed'"
            f" AND id <> {int(own_id)}) {disagrees} {int(capacity)} THEN RAISE EXCEPTION 'the places changed' USING ERRCODE = '{PLACES_CHANGED}';"
            " END IF; END $$")
    statements.append("COMMIT")
    try:
        db.session.connection().exec_driver_sql("; ".join(statements))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == PLACES_CHANGED:
            return False
        raise
    return True


def _start_again(registration: Registration) -> None:
    """Roll back what was written of this registration; it can be added again as new."""
    db.session.rollback()
    if registration in db.session:
        db.session.expunge(registration)
    registration.id = None
    # Forget the rolled-back e-mail without a change to the collection: a removal would be
    # flushed with the registration (the message inserted again, its registration NULL).
    set_committed_value(registration, "messages", [])


def _is_deadlock(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) == "40P01"


def _decide_under_lock(event: Event, settings: RegistrationSettings, registration: Registration, items, *,
                       nonce, count: bool, approval: bool) -> tuple[Registration, bool]:
    """Sign-ups, a renewal of a cancelled registration, and a prediction that failed: looked up,
    decided and written under the lock."""
    capacity, email = settings.capacity, registration.email
    for prepare in BEFORE_LOCK:
        prepare(event.id)
    _lock_event(event.id)
    earlier_id, same_email, same_email_status, taken = _look_up(event.id, nonce, email, count=count)
    if earlier_id is not None:
        db.session.rollback()
        return db.session.get(Registration, earlier_id), False
    if same_email is not None:
        if same_email_status != "cancelled":
            db.session.rollback()
            raise DuplicateEmail(email)
        # Someone who cancelled registers again: the cancelled row (one per e-mail) becomes
        # this new registration, at the end of the queue like any newcomer.
        registration = _renew(db.session.get(Registration, same_email), registration)
    if after_count_hook:
        after_count_hook()
    now = utcnow()
    registration.consent_at = registration.updated_at = now
    if registration.id is None:
        registration.created_at = now
    kind = _take_place_or_queue(registration, approval=approval, has_place=_has_place(capacity, taken), now=now)
    db.session.add(registration)
    if items:
        db.session.flush()
        _sign_up(registration, items, now)
    outbox.queue(registration, kind)  # after the sign-ups: it lists them
    _commit_keeping_loaded()
    return registration, True


def _take_place_or_queue(registration: Registration, *, approval: bool, has_place: bool, now) -> str:
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


def _renew(cancelled: Registration, fresh: Registration) -> Registration:
    """The cancelled registration takes the new form's details (the caller holds the lock). Its
    private link changes: whoever typed the e-mail on the public form gets a new link, never the
    old one with what was written before. Old item choices are dropped, the new ones are made."""
    if fresh in db.session:
        db.session.expunge(fresh)
    for name in ("token", "form_nonce", "full_name", "phone", "organisation_name", "position", "city",
                 "category_id", "locale", "answers"):
        setattr(cancelled, name, getattr(fresh, name))
    cancelled.checked_in_at = None
    cancelled.checked_in_by_id = None
    cancelled.signups.clear()
    db.session.flush()
    return cancelled


def register_again(registration: Registration) -> str:
    """A participant who cancelled comes back through their private link, with the details they
    had. Like a newcomer: approval if the event or their category asks for it, else a free place
    or the end of the waiting list (never their old place in the queue). Returns the new status.
    Their item choices are not restored: places at items went to others; they choose again."""
    settings = settings_for(registration.event)
    if not settings.is_open():
        raise RegistrationClosed("closed")
    _lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "cancelled":
        db.session.rollback()
        raise RegistrationError("not-cancelled")
    approval = needs_approval(settings, registration.category)
    taken = confirmed_count(registration.event_id) if settings.capacity is not None and not approval else 0
    if after_count_hook:
        after_count_hook()
    now = utcnow()
    kind = _take_place_or_queue(
        registration, approval=approval, has_place=_has_place(settings.capacity, taken), now=now
    )
    registration.updated_at = now
    outbox.queue(registration, kind)
    db.session.commit()
    return registration.status


def _look_up(event_id: int, nonce: str | None, email: str, *, count: bool) -> tuple:
    """One statement (under the lock): the registration this very form already made, the id and
    status of one with the same e-mail, and, if `count`, how many places are confirmed."""
    return tuple(db.session.execute(_look_up_statement(bool(nonce), count),
                                    {"event_id": event_id, "nonce": nonce, "email": email}).one())


@cache
def _confirmed_besides_statement():
    return db.select(func.count(Registration.id)).where(
        Registration.event_id == bindparam("event_id"), Registration.status == "confirmed",
        Registration.id != bindparam("own"))


@cache
def _look_up_statement(with_nonce: bool, count: bool):
    """Built once for each shape: every registration runs it twice, and building its four
    subqueries cost more than running them."""
    event_id, nonce, email = bindparam("event_id"), bindparam("nonce"), bindparam("email")
    same_email = (Registration.event_id == event_id, Registration.email == email)
    return db.select(
        db.select(Registration.id).where(Registration.event_id == event_id, Registration.form_nonce == nonce)
        .scalar_subquery() if with_nonce else db.null(),
        db.select(Registration.id).where(*same_email).scalar_subquery(),
        db.select(Registration.status).where(*same_email).scalar_subquery(),
        db.select(func.count(Registration.id)).where(Registration.event_id == event_id, Registration.status == "confirmed")
        .scalar_subquery() if count else db.literal(0),
    )


def _commit_keeping_loaded() -> None:
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


def _same_form_saved(event: Event, nonce: str | None) -> Registration | None:
    """The registration this very form (double click, retry, second tab) already made."""
    if not nonce:
        return None
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, form_nonce=nonce))


def _valid_items(event: Event, item_ids, candidates=None) -> list[ProgrammeItem]:
    wanted = {int(i) for i in item_ids or []}
    if not wanted:
        return []
    return [item for item in (candidates if candidates is not None else signup_items(event)) if item.id in wanted]


def _sign_up(registration: Registration, items: list[ProgrammeItem], now) -> list[ItemSignup]:
    """Places at items are held only by confirmed participants; others queue for them."""
    made = []
    for item in items:
        signup = ItemSignup(registration_id=registration.id, item_id=item.id, created_at=now)
        if registration.status == "confirmed" and _has_place(item.capacity, item_confirmed_count(item.id)):
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
    category = _category_of(registration.event_id, applicant.category_id) if changed else None
    if changed and category is not None and not category.is_public:
        raise RegistrationError("category")
    _lock_event(registration.event_id)
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
    wanted = {item.id: item for item in _valid_items(registration.event, applicant.item_ids)}
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
    _sign_up(registration, new_items, now)
    for item in freed:
        _promote_item(item)
    db.session.commit()
    db.session.refresh(registration)
    return back_to_review


def set_category(registration: Registration, category_id: int) -> None:
    """An organiser's choice of category (any of the event's): no new approval is needed."""
    registration.category = _category_of(registration.event_id, category_id)
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
    _lock_event(registration.event_id)
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
    _lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "pending":
        db.session.rollback()
        raise RegistrationError("not-pending")
    now = utcnow()
    if _has_place(settings_for(registration.event).capacity, confirmed_count(registration.event_id)):
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
    _lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status not in ("waiting", "pending"):
        db.session.rollback()
        raise RegistrationError("not-waiting")
    if not beyond_capacity:
        capacity = settings_for(registration.event).capacity
        taken = confirmed_count(registration.event_id)
        if after_count_hook:
            after_count_hook()
        if not _has_place(capacity, taken):
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
    _lock_event(registration.event_id)
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
    _lock_event(registration.event_id)
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
        if signup.status == "waiting" and _has_place(signup.item.capacity, item_confirmed_count(signup.item_id)):
            signup.status = "confirmed"
            signup.waiting_since = None
    db.session.flush()


def _promote_event(event: Event, exclude: int | None = None) -> list[Registration]:
    """Fill free places from the head of the waiting list (caller holds the lock)."""
    settings = settings_for(event)
    promoted = []
    now = utcnow()
    while _has_place(settings.capacity, confirmed_count(event.id)):
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
    while _has_place(item.capacity, item_confirmed_count(item.id)):
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
    _lock_event(signup.item.event_id)
    db.session.refresh(signup)
    held = signup.status == "confirmed"
    signup.status = "cancelled"
    signup.waiting_since = None
    db.session.flush()
    if held:
        _promote_item(signup.item)
    db.session.commit()


def promote_signup(signup: ItemSignup) -> None:
    _lock_event(signup.item.event_id)
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
    _lock_event(event.id)
    promoted = _promote_event(event)
    for item in signup_items(event):
        _promote_item(item)
    db.session.commit()
    return promoted
