"""A newcomer's registration from the public form: the path a crowd takes, and so the one that
decides how many registrations a second an event takes (docs/registration.md, "No overbooking
under concurrency"). The rules it applies (the lock, places, statuses, sign-ups, errors) are
forumapp.registration.services'; they are read from that module when used, so the tests that
put a barrier into them reach this path too."""

from __future__ import annotations

from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration import outbox, services
from forumapp.registration.models import Registration, RegistrationSettings, new_token
from forumapp.timeutil import utcnow


def register(
    event: Event, applicant: services.Applicant, *, nonce: str | None = None, settings=None, items=None, categories=()
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

    An e-mail that is registered and active is refused (services.DuplicateEmail). One whose registration
    was cancelled registers again: the cancelled row is renewed with this form's details.
    `settings`, `items` and `categories`: what the caller has loaded already (the form's)."""
    settings = settings or services.settings_for(event)
    if not settings.is_open():
        if (earlier := _same_form_saved(event, nonce)) is not None:
            return earlier, False
        raise services.RegistrationClosed("closed")
    if not applicant.consent:
        raise services.RegistrationError("consent")
    email = applicant.email.strip().lower()
    category = services.category_of(event.id, applicant.category_id, categories)
    if category is not None and not category.is_public:  # organisers give those (set_category)
        raise services.RegistrationError("category")
    items = services.valid_items(event, applicant.item_ids, items)
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
    capacity, approval = settings.capacity, services.needs_approval(settings, category)
    count = capacity is not None and not approval
    try:
        try:
            return _register(event, settings, registration, items, nonce=nonce, count=count, approval=approval)
        except DBAPIError as error:
            if _sqlstate(error) != DEADLOCK:
                raise
            # Only when the same e-mail was sent twice at once, once on each path: the database
            # broke the cycle by failing one of them; that one starts again, once.
            _start_again(registration)
        return _register(event, settings, registration, items, nonce=nonce, count=count, approval=approval)
    except IntegrityError:
        # The same e-mail or the same form raced itself (the lock does not cover those when it is
        # switched off, and a registration of the same e-mail by an organiser takes no lock).
        db.session.rollback()
        if (earlier := _same_form_saved(event, nonce)) is not None:
            return earlier, False
        raise services.DuplicateEmail(email) from None


def _register(event: Event, settings: RegistrationSettings, registration: Registration, items, *, nonce,
              count: bool, approval: bool) -> tuple[Registration, bool]:
    capacity, email = settings.capacity, registration.email
    # Before the lock, as things stand now: a form sent twice or an e-mail already registered is
    # answered without queueing for the lock.
    earlier_id, same_email, same_email_status, taken = _look_up(event.id, nonce, email, count=count)
    if earlier_id is not None:  # double click, retry, second tab
        return db.session.get(Registration, earlier_id), False
    if same_email is not None and same_email_status != "cancelled":
        raise services.DuplicateEmail(email)
    if same_email is None and not items:
        if _write_then_lock(event, settings, registration, has_place=services.place_free(capacity, taken),
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
    kind = services.take_place_or_queue(registration, approval=approval, has_place=has_place, now=now)
    db.session.add(registration)
    outbox.attach(registration, outbox.render(registration, kind, settings=settings))
    db.session.flush()
    capacity = settings.capacity if count else None
    if _one_message_possible():
        if not _lock_check_commit_in_one_message(event.id, registration.id, capacity, has_place):
            return False
    else:
        services.lock_event(event.id)
        if capacity is not None:
            taken = db.session.scalar(_confirmed_besides_statement(), {"event_id": event.id, "own": registration.id})
            if services.after_count_hook:
                services.after_count_hook()
            if services.place_free(capacity, taken) != has_place:
                return False
    services.commit_keeping_loaded()
    return True


PLACES_CHANGED = "FA001"  # the SQLSTATE of the check below: the prediction did not hold
DEADLOCK = "40P01"


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
    settings_table, registrations = RegistrationSettings.__tablename__, Registration.__tablename__
    statements = [  # the UPDATE of services.lock_event
        f"UPDATE {settings_table} SET updated_at = updated_at WHERE event_id = {int(event_id)}",
    ]
    if capacity is not None:
        # Its own statement after the lock (a new snapshot in READ COMMITTED: it sees the
        # registration the previous holder committed).
        disagrees = ">=" if has_place else "<"
        statements.append(
            f"DO $$ BEGIN IF (SELECT count(id) FROM {registrations} WHERE event_id = {int(event_id)} AND status = 'confirmed'"
            f" AND id <> {int(own_id)}) {disagrees} {int(capacity)} THEN RAISE EXCEPTION 'the places changed' USING ERRCODE = '{PLACES_CHANGED}';"
            " END IF; END $$")
    statements.append("COMMIT")
    try:
        db.session.connection().exec_driver_sql("; ".join(statements))
    except DBAPIError as error:
        if _sqlstate(error) == PLACES_CHANGED:
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


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def _decide_under_lock(event: Event, settings: RegistrationSettings, registration: Registration, items, *,
                       nonce, count: bool, approval: bool) -> tuple[Registration, bool]:
    """Sign-ups, a renewal of a cancelled registration, and a prediction that failed: looked up,
    decided and written under the lock."""
    capacity, email = settings.capacity, registration.email
    for prepare in services.BEFORE_LOCK:
        prepare(event.id)
    services.lock_event(event.id)
    earlier_id, same_email, same_email_status, taken = _look_up(event.id, nonce, email, count=count)
    if earlier_id is not None:
        db.session.rollback()
        return db.session.get(Registration, earlier_id), False
    if same_email is not None:
        if same_email_status != "cancelled":
            db.session.rollback()
            raise services.DuplicateEmail(email)
        # Someone who cancelled registers again: the cancelled row (one per e-mail) becomes
        # this new registration, at the end of the queue like any newcomer.
        registration = _renew(db.session.get(Registration, same_email), registration)
    if services.after_count_hook:
        services.after_count_hook()
    now = utcnow()
    registration.consent_at = registration.updated_at = now
    if registration.id is None:
        registration.created_at = now
    kind = services.take_place_or_queue(registration, approval=approval, has_place=services.place_free(capacity, taken), now=now)
    db.session.add(registration)
    if items:
        db.session.flush()
        services.sign_up(registration, items, now)
    outbox.queue(registration, kind)  # after the sign-ups: it lists them
    services.commit_keeping_loaded()
    return registration, True


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


def _look_up(event_id: int, nonce: str | None, email: str, *, count: bool) -> tuple:
    """One statement: the registration this very form already made, the id and status of one with
    the same e-mail, and, if `count`, how many places are confirmed. Run before the lock, and
    again under it on the path that decides there."""
    return tuple(db.session.execute(_look_up_statement(bool(nonce), count),
                                    {"event_id": event_id, "nonce": nonce, "email": email}).one())


@cache
def _confirmed_besides_statement():
    return db.select(func.count(Registration.id)).where(
        Registration.event_id == bindparam("event_id"), Registration.status == "confirmed",
        Registration.id != bindparam("own"))


@cache
def _look_up_statement(with_nonce: bool, count: bool):
    """Built once for each shape: every registration runs it, and building its four subqueries
    cost more than running them."""
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


def _same_form_saved(event: Event, nonce: str | None) -> Registration | None:
    """The registration this very form (double click, retry, second tab) already made."""
    if not nonce:
        return None
    return db.session.scalar(db.select(Registration).filter_by(event_id=event.id, form_nonce=nonce))
