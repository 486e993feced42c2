"""Participants signed up for an item that moved or was cancelled in a release get one e-mail each,
in their language, listing only their changes, sent after commit through the outbox."""

from __future__ import annotations

import pytest

from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage
from tests.registration.checkin_factories import make_registration, sign_up
from tests.registration.fake_smtp import FakeSMTP
from tests.releases.conftest import HOSTILE, move, release_through_page


@pytest.fixture
def smtp(app):
    with FakeSMTP() as server:
        app.config["SMTP_URL"] = server.url
        yield server
    app.config["SMTP_URL"] = ""


@pytest.fixture
def signed_up(small_forum):
    """Who is signed up for what, before version 1.0 is released."""
    event, (opening, round_table, cooperation) = small_forum["event"], small_forum["items"]
    people = {
        "asel": make_registration(event, "Әсел", email="asel@example.kz", locale="kk"),
        "boris": make_registration(event, "Борис", email="boris@example.kz", locale="ru"),
        "clare": make_registration(event, "Clare", email="clare@example.kz", locale="en"),
        "dana": make_registration(event, "Дана", email="dana@example.kz", locale="ru"),
        "gone": make_registration(event, "Ушёл", email="gone@example.kz", locale="ru", status="cancelled"),
    }
    sign_up(people["asel"], opening)
    sign_up(people["boris"], opening, status="waiting")
    sign_up(people["boris"], round_table)
    sign_up(people["clare"], cooperation)  # only renamed below: not e-mailed
    sign_up(people["gone"], opening)  # cancelled registration: not e-mailed
    # dana is signed up for nothing
    return {**small_forum, "people": people}


def messages() -> dict[str, OutgoingMessage]:
    db.session.expire_all()
    found = {}
    for message in db.session.scalars(db.select(OutgoingMessage).filter_by(kind="schedule_changed")):
        assert message.to not in found, f"two e-mails to {message.to}"
        found[message.to] = message
    return found


def change_programme(signed_up):
    opening, round_table, cooperation = signed_up["items"]
    move(opening, hours=2)  # 09:30 → 11:30
    round_table.status = "cancelled"
    cooperation.title = {"ru": "Кооперация и кластеры"}
    db.session.commit()


def test_one_mail_per_affected_participant_in_their_language_with_only_their_changes(admin_client, signed_up, smtp):
    assert release_through_page(admin_client, "1.0").status_code == 302
    assert messages() == {}, "the first version moves nothing from anywhere"
    change_programme(signed_up)
    assert release_through_page(admin_client, "1.1", "Открытие перенесли.").status_code == 302

    sent = messages()
    assert sorted(sent) == ["asel@example.kz", "boris@example.kz"]
    assert all(m.status == "sent" for m in sent.values()), "sent after commit by the background task"
    received = {m["To"]: m for m in smtp.received}
    assert sorted(received) == ["asel@example.kz", "boris@example.kz"]

    asel = received["asel@example.kz"]
    asel_text = asel.get_body(preferencelist=("plain",)).get_content()
    assert "Жеңіл өнеркәсіп форумы" in sent["asel@example.kz"].subject and "Әсел" in asel_text
    assert "Открытие форума" in asel_text and "09:30" in asel_text and "11:30" in asel_text
    assert "Жасампаз" not in asel_text, "only the items she signed up for"
    assert "Открытие перенесли." in asel_text and "/e/test-forum/changes" in asel_text
    assert "/e/test-forum/r/" in asel_text, "her private link"

    boris_text = received["boris@example.kz"].get_body(preferencelist=("plain",)).get_content()
    assert "Форум лёгкой промышленности" in sent["boris@example.kz"].subject
    assert "Открытие форума" in boris_text and "Круглый стол «Жасампаз»" in boris_text
    assert "Кооперация" not in boris_text
    assert sent["boris@example.kz"].registration_id == signed_up["people"]["boris"].id


def test_the_language_of_the_mail_is_the_participants(admin_client, signed_up, smtp):
    release_through_page(admin_client, "1.0")
    change_programme(signed_up)
    release_through_page(admin_client, "1.1")
    kk, ru = messages()["asel@example.kz"], messages()["boris@example.kz"]
    assert kk.subject == "Жеңіл өнеркәсіп форумы бағдарламасы өзгерді"
    assert "Құрметті Әсел" in kk.body_text and "уақыты не орны өзгерді" in kk.body_text
    assert "маусым" in kk.body_text, "dates in Kazakh"
    assert ru.subject == "Программа «Форум лёгкой промышленности» изменилась"
    assert "Борис" in ru.body_text and "перенесено" in ru.body_text and "отменено" in ru.body_text
    assert "июня" in ru.body_text


def test_releasing_again_mails_nobody_twice(admin_client, signed_up, smtp):
    release_through_page(admin_client, "1.0")
    change_programme(signed_up)
    release_through_page(admin_client, "1.1")
    release_through_page(admin_client, "1.1")  # the same form sent twice: refused by its name
    release_through_page(admin_client, "1.2")  # nothing changed since 1.1
    assert sorted(messages()) == ["asel@example.kz", "boris@example.kz"]
    assert len(smtp.received) == 2


def test_a_hostile_changelog_is_escaped_in_the_mail(admin_client, signed_up, smtp):
    release_through_page(admin_client, "1.0")
    change_programme(signed_up)
    release_through_page(admin_client, "1.1", HOSTILE)
    message = messages()["asel@example.kz"]
    assert "<img src=x>" not in message.body_html
    assert "&lt;img src=x&gt;" in message.body_html
    assert HOSTILE in message.body_text, "the plain text part says what the organiser wrote"
    html = smtp.received[0].get_body(preferencelist=("html",)).get_content()
    assert "<img" not in html
