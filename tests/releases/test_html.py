"""The release pages are valid HTML by the Nu HTML Checker with every group of changes shown:
the public page, the organiser's page (changes pending, a rejected form) and the e-mail."""

from __future__ import annotations

from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage
from tests.conftest import make_item
from tests.quality.test_html_validity import _validate
from tests.registration.checkin_factories import make_registration, sign_up
from tests.releases.conftest import HOSTILE, RELEASES, move, release_through_page


def test_release_pages_and_mail_are_valid_html(visitor, admin_client, small_forum, tmp_path):
    event, (opening, round_table, cooperation) = small_forum["event"], small_forum["items"]
    sign_up(make_registration(event, "Әсел", locale="kk"), opening)
    release_through_page(admin_client, "1.0", HOSTILE)
    move(opening, hours=1)
    round_table.status = "cancelled"
    cooperation.title = {"ru": "Кооперация"}
    make_item(event, "Нетворкинг", start="18:00", end="19:00", kind="networking")
    pages = {f"{RELEASES} (pending)": admin_client.get(RELEASES).get_data(as_text=True)}
    release_through_page(admin_client, "1.1", "Две строки\nвторая")
    pages[f"{RELEASES} (rejected)"] = release_through_page(admin_client, "1.1").get_data(as_text=True)
    pages["/e/test-forum/changes"] = visitor.get("/e/test-forum/changes").get_data(as_text=True)
    pages["e-mail"] = db.session.scalar(db.select(OutgoingMessage.body_html))
    assert "Moved (1)" in pages["/e/test-forum/changes"] and "already has a version" in pages[f"{RELEASES} (rejected)"]
    assert _validate(pages, tmp_path) == []
