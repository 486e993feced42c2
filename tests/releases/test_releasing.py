"""An organiser releases a schedule version; the exports carry it; the public page of changes
lists every version with what changed since the one before."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from forumapp.extensions import db
from forumapp.programme.models import Hall, ProgrammeItem, Track
from forumapp.releases.models import ScheduleRelease
from tests.conftest import make_item
from tests.releases.conftest import HOSTILE, RELEASES, move, release_names, release_through_page

CHANGES = "/e/test-forum/changes"


def export_versions(client):
    data = client.get("/e/test-forum/schedule.json").get_json()
    xml = ET.fromstring(client.get("/e/test-forum/schedule.xml").data)
    return data["schedule"]["version"], xml.findtext("version")


def test_the_page_shows_the_changes_before_the_organiser_confirms(admin_client, small_forum):
    event, (opening, round_table, _cooperation) = small_forum["event"], small_forum["items"]
    page = admin_client.get(RELEASES).get_data(as_text=True)
    assert "The first version" in page and "Открытие форума" in page
    assert "Секретный черновик" not in page, "a draft item is not public"
    assert release_names(event) == [], "opening the page releases nothing"
    assert release_through_page(admin_client, "1.0").status_code == 302
    move(opening, hours=2)
    round_table.status = "cancelled"
    db.session.commit()
    page = admin_client.get(RELEASES).get_data(as_text=True)
    assert "Changes since version 1.0" in page
    moved_section = page.split("Moved (1)")[1].split("</ul>")[0]
    assert "Открытие форума" in moved_section and "11:30" in moved_section  # 09:30 → 11:30
    assert "Жасампаз" in page.split("Cancelled (1)")[1]
    assert release_names(event) == ["1.0"]


def test_a_name_is_unique_per_event_and_a_second_submit_releases_nothing(admin_client, small_forum):
    event = small_forum["event"]
    assert release_through_page(admin_client, "1.0").status_code == 302
    again = release_through_page(admin_client, " 1.0 ")
    assert again.status_code == 200 and "already has a version with this name" in again.get_data(as_text=True)
    assert release_names(event) == ["1.0"]


def test_a_release_over_changes_the_organiser_has_not_seen_is_refused(admin_client, small_forum):
    event = small_forum["event"]
    page = admin_client.get(RELEASES).get_data(as_text=True)
    seen = re.search(r'name="seen_version" type="hidden" value="(\d+)"', page).group(1)
    move(small_forum["items"][0])  # another organiser moves an item meanwhile
    response = release_through_page(admin_client, "1.0", seen_version=seen)
    assert response.status_code == 200 and "changed while you were reading" in response.get_data(as_text=True)
    assert release_names(event) == []
    assert release_through_page(admin_client, "1.0").status_code == 302  # after reading them again
    assert release_names(event) == ["1.0"]


def test_bad_input_is_a_field_error(admin_client, small_forum):
    for data in ({"name": ""}, {"name": "x" * 61}, {"name": "1.0\x00"}, {"name": "1.0", "seen_version": "abc"}):
        response = release_through_page(admin_client, data["name"], seen_version=data.get("seen_version"))
        assert response.status_code == 200, data
    assert release_names(small_forum["event"]) == []


def test_exports_carry_the_release_name_until_the_next_public_change(visitor, admin_client, small_forum):
    event, opening = small_forum["event"], small_forum["items"][0]
    before = export_versions(visitor)
    assert before[0] == before[1] and "-v" in before[0], "before any release: the data version"
    release_through_page(admin_client, "1.0")
    assert export_versions(visitor) == ("1.0", "1.0")
    move(opening)
    moved = export_versions(visitor)
    assert moved[0] == moved[1] and moved[0].startswith("1.0+") and moved[0] != "1.0"
    db.session.add(Track(event_id=event.id, name={"en": "Textiles"}))  # public, not the programme
    db.session.commit()
    assert export_versions(visitor)[0] not in ("1.0", moved[0]), "still changes with every public change"
    release_through_page(admin_client, "Final")
    assert export_versions(visitor) == ("Final", "Final")


def test_the_public_page_lists_versions_grouped_and_shows_a_new_release_at_once(visitor, admin_client, small_forum):
    event, (opening, round_table, cooperation) = small_forum["event"], small_forum["items"]
    assert "not released a version" in visitor.get(CHANGES).get_data(as_text=True)
    release_through_page(admin_client, "1.0", "Первая версия")
    first = visitor.get(CHANGES)
    assert "Version 1.0" in first.get_data(as_text=True) and first.headers["Cache-Control"].startswith("public")
    assert visitor.get(CHANGES).get_data() == first.get_data()  # from the cache

    small = db.session.scalar(db.select(Hall).filter_by(event_id=event.id, position=1))
    move(opening, hours=0, hall_id=small.id)
    round_table.status = "cancelled"
    cooperation.title = {"ru": "Кооперация и кластеры"}
    make_item(event, "Нетворкинг", start="18:00", end="19:00", kind="networking")
    db.session.commit()
    assert "Version 1.1" not in visitor.get(CHANGES).get_data(as_text=True)
    release_through_page(admin_client, "1.1", "Зал открытия сменился.")

    page = visitor.get(CHANGES).get_data(as_text=True)
    assert page.index("Version 1.1") < page.index("Version 1.0"), "newest first"
    newest = page.split("Version 1.1")[1].split("Version 1.0")[0]
    assert "Зал открытия сменился." in newest
    for group, title in (("New (1)", "Нетворкинг"), ("Moved (1)", "Открытие форума"),
                         ("Renamed (1)", "Кооперация и кластеры"), ("Cancelled (1)", "Жасампаз")):
        assert title in newest.split(group)[1].split("</ul>")[0], group
    assert "Main hall" in newest and "Small hall" in newest, "old and new hall of the moved item"
    assert "&lt;b&gt;Bold&lt;/b&gt; кооперация" in newest, "the old title, escaped"
    assert "Секретный черновик" not in page
    assert f'href="/e/test-forum/items/{opening.id}"' in newest, "a published item is linked"
    assert f'href="/e/test-forum/items/{round_table.id}"' not in page, "a cancelled one is not (its page is gone)"


def test_the_programme_page_links_to_the_changes(visitor, small_forum):
    assert 'href="/e/test-forum/changes"' in visitor.get("/e/test-forum/programme").get_data(as_text=True)


def test_a_hostile_changelog_and_name_are_escaped_on_every_page(visitor, admin_client, small_forum):
    release_through_page(admin_client, HOSTILE[:30], HOSTILE)
    for page in (visitor.get(CHANGES), admin_client.get(RELEASES)):
        html = page.get_data(as_text=True)
        assert "<img src=x>" not in html
        assert "&lt;img src=x&gt;" in html
    assert db.session.scalar(db.select(ScheduleRelease.changelog)) == HOSTILE


def test_the_changes_page_of_a_draft_event_is_not_found(visitor, small_forum):
    small_forum["event"].status = "draft"
    db.session.commit()
    assert visitor.get(CHANGES).status_code == 404
    assert db.session.scalar(db.select(db.func.count(ProgrammeItem.id))) == 4
