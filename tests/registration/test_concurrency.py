"""Places are never overbooked when many people register at the same moment (PostgreSQL).

First a control: with the lock switched off and a barrier holding every thread between counting
the places and committing its decision, the event IS overbooked. Then the same burst with the
lock: exactly the capacity is confirmed, the first to be decided got the places, and everyone else
waits in the order the server took them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration import newcomers, services
from forumapp.registration.models import ItemSignup, Registration
from tests.conftest import ON_POSTGRES, make_item
from tests.registration.helpers import open_event

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks and real concurrency need PostgreSQL")


def burst(app, event_id: int, n: int, item_ids=()) -> list:
    """n threads, each with its own app context and session, register at once."""
    start = threading.Barrier(n)

    def one(i: int):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                services.settings_for(event)
                db.session.commit()  # give the connection back to the pool while waiting
                start.wait(timeout=30)
                applicant = services.Applicant(
                    full_name=f"Қатысушы {i}", email=f"p{i}@example.kz", consent=True, item_ids=list(item_ids)
                )
                registration, created = newcomers.register(event, applicant)
                return registration.status if created else "not-created"
            except Exception as exc:  # noqa: BLE001 - reported to the test
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


@pytest.fixture
def no_lock(app):
    app.config["REGISTRATION_LOCK"] = False
    yield
    app.config["REGISTRATION_LOCK"] = True
    services.after_count_hook = None


def test_control_without_the_lock_the_event_is_overbooked(app, no_lock):
    event = open_event(capacity=5)
    n = 12  # within the connection pool, so every thread reaches the barrier
    racing = threading.Barrier(n)
    services.after_count_hook = lambda: racing.wait(timeout=30)
    results = burst(app, event.id, n)
    assert not [r for r in results if isinstance(r, Exception)]
    confirmed = db.session.scalar(db.select(db.func.count(Registration.id)).filter_by(status="confirmed"))
    assert confirmed > 5, "the race should overbook without the lock"


def test_control_without_the_lock_an_item_is_overbooked(app, no_lock):
    event = open_event()
    item = make_item(event, "Круглый стол", kind="round_table", takes_signups=True, capacity=3)
    n = 12
    racing = threading.Barrier(n)
    services.after_count_hook = lambda: racing.wait(timeout=30)
    burst(app, event.id, n, [item.id])
    confirmed = db.session.scalar(db.select(db.func.count(ItemSignup.id)).filter_by(status="confirmed"))
    assert confirmed > 3


def _assert_arrival_order(capacity: int, n: int):
    db.session.expire_all()
    regs = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
    assert len(regs) == n
    confirmed = [r for r in regs if r.status == "confirmed"]
    waiting = [r for r in regs if r.status == "waiting"]
    assert len(confirmed) == capacity and len(waiting) == n - capacity
    # The first decided got a place: every confirmed id is below every waiting id (a newcomer
    # whose count before the lock was outdated is written again, with a new id).
    assert max(r.id for r in confirmed) < min(r.id for r in waiting)
    event = regs[0].event
    queue = services.waiting_list(event)
    assert [r.id for r in queue] == [r.id for r in sorted(waiting, key=lambda r: (r.waiting_since, r.id))]
    assert [services.waiting_position(r) for r in queue] == list(range(1, n - capacity + 1))


def test_with_the_lock_exactly_the_capacity_is_confirmed_and_the_rest_wait_in_order(app):
    event = open_event(capacity=10)
    results = burst(app, event.id, 30)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results).count("confirmed") == 10 and results.count("waiting") == 20
    _assert_arrival_order(10, 30)


def test_with_the_lock_an_item_is_never_overbooked(app):
    event = open_event(capacity=10)
    item = make_item(event, "Показ коллекций", kind="collection_show", takes_signups=True, capacity=4)
    results = burst(app, event.id, 30, [item.id])
    assert not [r for r in results if isinstance(r, Exception)], results
    _assert_arrival_order(10, 30)
    signups = db.session.scalars(db.select(ItemSignup).order_by(ItemSignup.id)).all()
    assert len(signups) == 30
    confirmed = [s for s in signups if s.status == "confirmed"]
    assert len(confirmed) == 4
    # Only confirmed participants hold item places, and the first of them got them.
    assert all(s.registration.status == "confirmed" for s in confirmed)
    assert max(s.registration_id for s in confirmed) < min(
        s.registration_id for s in signups if s.status == "waiting"
    )


def test_the_same_email_on_both_paths_at_once_makes_one_registration(app, monkeypatch):
    """A newcomer writes before taking the lock; a registration with item choices writes under
    it. The same e-mail sent both ways at the same moment: the first waits for the lock the
    second holds, the second for the first's unwritten e-mail (unique per event). PostgreSQL
    breaks that cycle by failing one of them, which starts again and finds the e-mail taken."""
    event = open_event(capacity=10)
    item_id = make_item(event, "Круглый стол", kind="round_table", takes_signups=True, capacity=4).id
    event_id = event.id
    role = threading.local()
    written, locked = threading.Event(), threading.Event()
    real_lock, real_one_message = services.lock_event, newcomers._lock_check_commit_in_one_message

    def newcomer_waits(real):
        def lock(*args):
            if role.name == "newcomer":
                written.set()  # its registration is written, not committed
                assert locked.wait(timeout=30)
            return real(*args)
        return lock

    def lock_in_turn(event_id):
        if role.name == "with items":
            assert written.wait(timeout=30)
        real_lock(event_id)
        if role.name == "with items":
            locked.set()  # ... and goes on to write the same e-mail under the lock

    monkeypatch.setattr(services, "lock_event", newcomer_waits(lock_in_turn))
    monkeypatch.setattr(newcomers, "_lock_check_commit_in_one_message", newcomer_waits(real_one_message))

    def one(name: str, item_ids: list[int]):
        role.name = name
        with app.app_context():
            try:
                event_here = db.session.get(Event, event_id)
                services.settings_for(event_here)
                db.session.commit()
                applicant = services.Applicant(full_name="Гүлмира Уақытова", email="gulmira@example.kz",
                                               consent=True, item_ids=item_ids)
                return newcomers.register(event_here, applicant)[0].status
            except services.DuplicateEmail:
                return "duplicate"
            except Exception as exc:  # noqa: BLE001 - reported to the test
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, ["newcomer", "with items"], [[], [item_id]]))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == ["confirmed", "duplicate"], results
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_concurrent_cancellations_promote_each_waiting_person_once(app):
    event = open_event(capacity=5)
    burst(app, event.id, 15)
    confirmed_ids = db.session.scalars(db.select(Registration.id).filter_by(status="confirmed")).all()
    start = threading.Barrier(len(confirmed_ids))

    def cancel(reg_id):
        with app.app_context():
            try:
                registration = db.session.get(Registration, reg_id)
                registration.event  # noqa: B018 - loaded before the connection goes back
                db.session.commit()
                start.wait(timeout=30)
                return services.cancel(registration)
            except Exception as exc:  # noqa: BLE001
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(confirmed_ids)) as pool:
        results = list(pool.map(cancel, confirmed_ids))
    assert not [r for r in results if isinstance(r, Exception)]
    db.session.expire_all()
    counts = services.status_counts(db.session.get(Event, event.id))
    assert counts == {"cancelled": 5, "confirmed": 5, "waiting": 5}
    promoted = db.session.scalars(db.select(Registration.id).filter_by(status="confirmed").order_by(Registration.id)).all()
    waiting = db.session.scalars(db.select(Registration.id).filter_by(status="waiting")).all()
    assert max(promoted) < min(waiting)  # the first five waiting were promoted


def test_the_same_form_submitted_at_once_from_several_tabs_makes_one_registration(app):
    # The id is read here, once: `event` belongs to this thread's session, and reading an
    # expired attribute from six threads would use that one session concurrently.
    event_id = open_event(capacity=10).id
    start = threading.Barrier(6)

    def one(_i):
        with app.app_context():
            try:
                event_here = db.session.get(Event, event_id)
                services.settings_for(event_here)
                db.session.commit()
                start.wait(timeout=30)
                applicant = services.Applicant(full_name="Әсел Нұрланқызы", email="asel@example.kz", consent=True)
                registration, _created = newcomers.register(event_here, applicant, nonce="same-form")
                return registration.id
            except Exception as exc:  # noqa: BLE001
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(6)))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def _organisers_confirm_at_once(app, event_id: int, ids: list[int]) -> list:
    """Several organisers press "Confirm" for different waiting people at the same moment."""
    start = threading.Barrier(len(ids))

    def one(reg_id: int):
        with app.app_context():
            try:
                registration = db.session.get(Registration, reg_id)
                db.session.commit()
                start.wait(timeout=30)
                services.promote(registration)
                return "confirmed"
            except services.EventFull:
                return "full"
            except Exception as exc:  # noqa: BLE001 - reported to the test
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return list(pool.map(one, ids))


def _event_with_one_free_place_and_people_waiting(n_waiting: int):
    event = open_event(capacity=1)
    for i in range(n_waiting + 1):
        newcomers.register(event, services.Applicant(full_name=f"Қатысушы {i}", email=f"p{i}@example.kz", consent=True))
    services.settings_for(event).capacity = 2  # one place free, not filled automatically
    db.session.commit()
    return event, [r.id for r in services.waiting_list(event)]


def test_control_without_the_lock_confirming_by_hand_overbooks(app, no_lock):
    event, waiting = _event_with_one_free_place_and_people_waiting(6)
    racing = threading.Barrier(len(waiting))
    services.after_count_hook = lambda: racing.wait(timeout=30)
    results = _organisers_confirm_at_once(app, event.id, waiting)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count("confirmed") > 1, "the race should overbook without the lock"


def test_with_the_lock_confirming_by_hand_takes_only_the_free_place(app):
    event, waiting = _event_with_one_free_place_and_people_waiting(6)
    results = _organisers_confirm_at_once(app, event.id, waiting)
    assert sorted(results) == ["confirmed"] + ["full"] * 5, results
    assert services.confirmed_count(event.id) == 2


def test_registering_again_at_once_with_newcomers_never_overbooks(app):
    """People who cancelled come back through their private link while newcomers register: a
    renewed registration counts places under the same lock as a new one."""
    event = open_event(capacity=3)
    for i in range(3):
        registration, _ = newcomers.register(
            event, services.Applicant(full_name=f"Бұрынғы {i}", email=f"old{i}@example.kz", consent=True)
        )
        services.cancel(registration)
    old_ids = db.session.scalars(db.select(Registration.id).filter_by(status="cancelled")).all()
    event_id = event.id
    n = len(old_ids) + 6
    start = threading.Barrier(n)

    def one(i: int):
        with app.app_context():
            try:
                if i < len(old_ids):
                    registration = db.session.get(Registration, old_ids[i])
                    registration.event  # noqa: B018 - loaded before the connection goes back
                    db.session.commit()
                    start.wait(timeout=30)
                    return services.register_again(registration)
                event = db.session.get(Event, event_id)
                services.settings_for(event)
                db.session.commit()
                start.wait(timeout=30)
                applicant = services.Applicant(full_name=f"Жаңа {i}", email=f"new{i}@example.kz", consent=True)
                return newcomers.register(event, applicant)[0].status
            except Exception as exc:  # noqa: BLE001 - reported to the test
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(one, range(n)))
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    counts = services.status_counts(db.session.get(Event, event_id))
    assert counts == {"confirmed": 3, "waiting": n - 3}
