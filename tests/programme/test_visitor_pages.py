"""What a visitor reads on an event's pages: people with every appearance, an item's places and
results, chosen highlights, links to shows and results, dates and time zones in words."""

from __future__ import annotations

import re
from datetime import date

import pytest

from forumapp.extensions import db
from forumapp.programme.colours import contrast, text_on
from forumapp.programme.models import ProgrammeItem
from tests.conftest import csrf_token, make_event, make_item
from tests.programme.visitor_world import build_visitor_world
from tests.registration.checkin_factories import make_registration, sign_up


@pytest.fixture
def world(app):
    return build_visitor_world()


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# ---- people -------------------------------------------------------------------------------


def test_a_person_page_shows_photo_position_organisation_bio_and_every_appearance(client, world):
    page = html(client, f"/e/visitor-forum/people/{world.speaker.id}")
    assert "<h1>Gulmira Uakhitova</h1>" in page
    assert "Chair of the board" in page and "Zhasampaz consortium" in page
    assert "<p>Twenty years in the textile industry.</p><p>Founded the consortium.</p>" in page
    assert f'src="/media/{world.speaker.photo}"' in page
    parts = page.split('class="appearances-list"')[1].split("</ul>")[0]
    # Both parts, in programme order, with role, time and hall; never the draft item.
    assert parts.index("Пленарное заседание") < parts.index("Круглый стол «Экспорт»")
    assert "Speaker" in parts and "Moderator" in parts
    assert 'datetime="2016-06-09T10:00+06:00"' in parts and "Main hall" in parts and "Small hall" in parts
    assert f'href="/e/visitor-forum/items/{world.plenary.id}"' in parts
    # A designer appears in the show where a collection of theirs is on the catwalk.
    assert parts.index("Пленарное заседание") < parts.index("Показ коллекций") < parts.index("Круглый стол")
    assert "Designer · Collection show" in parts
    assert "Черновик" not in page


def test_people_only_in_drafts_or_unknown_have_no_page(client, world):
    assert client.get(f"/e/visitor-forum/people/{world.drafts_only.id}").status_code == 404
    assert client.get("/e/visitor-forum/people/99999").status_code == 404
    index = html(client, "/e/visitor-forum/people/")
    assert "Gulmira Uakhitova" in index and "Daulet Bakbergen" in index and "Secret Guest" not in index
    assert "Speaker, Designer, Moderator" in index


def test_a_designer_only_in_a_draft_show_has_no_page(client, world):
    from tests.shows.helpers import make_brand, make_collection, make_person, make_show

    designer = make_person({"en": "Aigerim Designer"})
    draft_show = make_item(world.event, "Черновой показ", start="20:00", end="21:00", kind="collection_show",
                           status="draft")
    make_show(draft_show, [(make_collection(world.event, make_brand("Other"), {"en": "X"}, designers=[designer]), None)])
    assert client.get(f"/e/visitor-forum/people/{designer.id}").status_code == 404
    assert "Aigerim Designer" not in html(client, "/e/visitor-forum/people/")
    db.session.get(ProgrammeItem, draft_show.id).status = "published"
    db.session.commit()
    assert "Черновой показ" in html(client, f"/e/visitor-forum/people/{designer.id}")


def test_a_person_of_a_draft_event_has_no_page(client):
    event = make_event("hidden-forum", status="draft")
    item = make_item(event)
    from forumapp.directory.models import Person
    from forumapp.programme.models import ItemPerson

    person = Person(name={"en": "Hidden"})
    db.session.add(person)
    db.session.commit()
    db.session.add(ItemPerson(item_id=item.id, person_id=person.id, role="speaker"))
    db.session.commit()
    assert client.get(f"/e/hidden-forum/people/{person.id}").status_code == 404


def test_item_pages_link_their_people_and_a_directory_edit_shows_at_once(client, world):
    item_page = html(client, f"/e/visitor-forum/items/{world.plenary.id}")
    assert f'href="/e/visitor-forum/people/{world.speaker.id}"' in item_page
    assert f'href="/e/visitor-forum/people/{world.moderator.id}"' in item_page
    before = html(client, f"/e/visitor-forum/people/{world.speaker.id}")
    assert "Chair of the board" in before
    world.speaker.position = {"en": "Honorary president"}
    db.session.commit()
    after = html(client, f"/e/visitor-forum/people/{world.speaker.id}")
    assert "Honorary president" in after and "Chair of the board" not in after


def test_the_programme_links_every_name_to_its_page(client, world):
    for view in ("list", "grid"):
        programme = html(client, f"/e/visitor-forum/programme?view={view}")
        for person in (world.speaker, world.moderator):
            assert f'href="/e/visitor-forum/people/{person.id}"' in programme, view
            html(client, f"/e/visitor-forum/people/{person.id}")


def test_publishing_the_draft_item_gives_its_person_a_page(client, world):
    assert client.get(f"/e/visitor-forum/people/{world.drafts_only.id}").status_code == 404
    db.session.get(ProgrammeItem, world.draft_item.id).status = "published"
    db.session.commit()
    assert "Secret Guest" in html(client, f"/e/visitor-forum/people/{world.drafts_only.id}")


# ---- one item -----------------------------------------------------------------------------


def places_text(client, item_id: int) -> str:
    page = html(client, f"/e/visitor-forum/items/{item_id}")
    match = re.search(r'<p class="places-state[^"]*">([^<]*)</p>', page)
    return match.group(1).strip() if match else ""


def test_an_item_page_shows_free_places_then_full_with_the_waiting_list(client, world):
    assert places_text(client, world.round_table.id) == "Free places: 2 of 2"
    event = world.event
    sign_up(make_registration(event, "One"), world.round_table)
    # A registration never bumps the data version: the cached page still follows the counts.
    assert places_text(client, world.round_table.id) == "Free places: 1 of 2"
    sign_up(make_registration(event, "Two"), world.round_table)
    assert places_text(client, world.round_table.id) == "Full. On the waiting list: 0"
    sign_up(make_registration(event, "Three"), world.round_table, status="waiting")
    sign_up(make_registration(event, "Four"), world.round_table, status="waiting")
    assert places_text(client, world.round_table.id) == "Full. On the waiting list: 2"
    assert "Join the waiting list" in html(client, f"/e/visitor-forum/items/{world.round_table.id}")
    # Items without sign-ups say nothing about places.
    assert places_text(client, world.plenary.id) == ""


def test_an_item_without_a_limit_says_so(client, world):
    world.round_table.capacity = None
    db.session.commit()
    assert places_text(client, world.round_table.id) == "Sign-up open, no limit on places."


def test_an_award_ceremony_links_its_published_results_only(client, world):
    page = html(client, f"/e/visitor-forum/items/{world.ceremony_item.id}")
    assert f'href="/e/visitor-forum/awards/{world.ceremony_item.id}"' in page
    from forumapp.awards.services import ceremony_for

    ceremony_for(world.ceremony_item).results_published = False
    db.session.commit()
    page = html(client, f"/e/visitor-forum/items/{world.ceremony_item.id}")
    assert "/awards/" not in page


def test_an_item_page_wears_its_track_colour_with_readable_text(client, world):
    page = html(client, f"/e/visitor-forum/items/{world.plenary.id}")
    assert 'style="background: #ffd23f; color: #000000"' in page and ">Exports</span>" in page


@pytest.mark.parametrize("colour", ["#ffd23f", "#4a6fa5", "#000000", "#ffffff", "#777777", "#e60000", "#00ff00"])
def test_text_on_a_track_colour_has_enough_contrast(colour):
    assert contrast(colour, text_on(colour)) >= 4.5


def test_a_hostile_track_colour_never_reaches_the_style_attribute():
    assert text_on('red;" onmouseover="x') in ("#000000", "#ffffff")
    from forumapp.programme.colours import safe_colour

    assert safe_colour('red;" onmouseover="x') == "#4a6fa5"


# ---- the event's home ---------------------------------------------------------------------


def highlight_titles(client) -> list[str]:
    page = html(client, "/e/visitor-forum/")
    block = page.split('class="highlights"')[1].split("</ul>")[0]
    return re.findall(r'/items/\d+">([^<]+)</a>', block)


def test_the_home_links_shows_and_award_results(client, world):
    page = html(client, "/e/visitor-forum/")
    assert f'href="/e/visitor-forum/shows/{world.show_item.id}"' in page
    assert f'href="/e/visitor-forum/awards/{world.ceremony_item.id}"' in page
    assert 'href="/e/visitor-forum/people/"' in page


def test_highlights_span_the_days_and_kinds_when_none_are_chosen(client, world):
    # Many plenaries on the first morning must not crowd out the second day.
    for n in range(8):
        make_item(world.event, f"Доклад {n}", start=f"0{n % 2 + 7}:{n:02d}", end="09:55")
    titles = highlight_titles(client)
    assert len(titles) <= 6
    assert "Круглый стол «Экспорт»" in titles and "Церемония награждения" in titles  # the second day
    assert "Показ коллекций" in titles  # another kind on the first day
    assert sum(title.startswith("Доклад") for title in titles) == 1  # one plenary, not eight


def test_organisers_choose_the_highlights(client, world):
    world.show_item.highlight = True
    world.round_table.highlight = True
    db.session.commit()
    assert highlight_titles(client) == ["Показ коллекций", "Круглый стол «Экспорт»"]


def test_the_home_reads_the_same_number_of_queries_whatever_the_programme_size(app, client, world):
    from sqlalchemy import event as sa_event

    def count_queries() -> int:
        app.extensions["page_cache"].clear()
        app.extensions["page_replay"].clear()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            html(client, "/e/visitor-forum/")
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    small = count_queries()
    for n in range(40):
        make_item(world.event, f"Сессия {n}", start="09:00", end="09:30", kind="session")
    assert count_queries() == small


def test_a_banner_uploaded_on_the_event_form_is_shown_and_a_bad_file_refused(admin_client, world):
    import io

    from tests.media import samples

    form_path = "/manage/e/visitor-forum/edit"
    data = {
        "csrf_token": csrf_token(admin_client, form_path), "title-en": "Light Industry Forum", "slug": "visitor-forum",
        "starts_on": "2016-06-09", "ends_on": "2016-06-10", "timezone": "Asia/Almaty", "status": "published",
        "default_locale": "ru", "locale_fallback": "kk,ru,en",
    }
    bad = admin_client.post(form_path, data={**data, "banner": (io.BytesIO(b"<svg onload=alert(1)>"), "b.svg")},
                            content_type="multipart/form-data")
    assert bad.status_code == 200 and 'class="error' in bad.get_data(as_text=True)
    db.session.expire_all()
    assert world.event.banner is None
    data["csrf_token"] = csrf_token(admin_client, form_path)
    good = admin_client.post(form_path, data={**data, "banner": (io.BytesIO(samples.png(1200, 400)), "b.png")},
                             content_type="multipart/form-data")
    assert good.status_code == 302
    db.session.expire_all()
    assert world.event.banner.startswith("banners/")
    admin_client.post("/logout", data={"csrf_token": csrf_token(admin_client, "/")})
    assert f'class="event-banner" src="/media/{world.event.banner}"' in html(admin_client, "/e/visitor-forum/")


# ---- dates and zones ----------------------------------------------------------------------


def test_a_one_day_event_shows_one_date_on_pages_and_in_the_pdf(client):
    from tests.shows.helpers import pdf_text

    build_visitor_world("one-day", one_day=True)
    home = html(client, "/e/one-day/")
    assert '<p class="event-when">9 June 2016 ·' in home and "9 June 2016 – 9 June 2016" not in home
    assert "9 June 2016 · Almaty" in html(client, "/")
    pdf = client.get("/e/one-day/programme.pdf?lang=ru")
    text = pdf_text(pdf.data)
    assert "9 июня 2016" in text and "– 9 июня" not in text


def test_a_two_day_event_shows_a_range(client, world):
    assert '<p class="event-when">9–10 June 2016 ·' in html(client, "/e/visitor-forum/")


def test_date_spans_across_months_and_years(app):
    from forumapp.programme.when import date_span

    with app.test_request_context("/?lang=en"):
        assert date_span(date(2016, 6, 30), date(2016, 7, 2)) == "30 June – 2 July 2016"
        assert date_span(date(2016, 12, 30), date(2017, 1, 2)) == "30 December 2016 – 2 January 2017"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Almaty time (UTC+06:00)"), ("ru", "время Алматы (UTC+06:00)"), ("kk", "Алматы уақыты (UTC+06:00)")],
)
def test_times_say_the_zone_in_words(client, world, lang, words):
    page = html(client, f"/e/visitor-forum/items/{world.plenary.id}?lang={lang}")
    assert words in page
    assert 'datetime="2016-06-09T10:00+06:00"' in page
    assert "local-times." in page  # the script that offers the visitor's own zone


def test_an_unnamed_zone_falls_back_to_its_name(client):
    event = make_event("lima-forum", timezone="America/Lima")
    item = make_item(event)
    assert "America/Lima (UTC-05:00)" in html(client, f"/e/lima-forum/items/{item.id}")


def test_organisers_tick_highlights_on_the_item_form(admin_client, world):
    from tests.programme.test_building_a_forum import post

    path = f"/manage/e/visitor-forum/items/{world.show_item.id}"
    data = {"kind": "collection_show", "title-ru": "Показ коллекций", "day": "2016-06-09", "start": "18:00",
            "end": "19:00", "hall_id": 0, "track_id": 0, "status": "published", "highlight": "y"}
    assert post(admin_client, path, data).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, world.show_item.id).highlight is True
    admin_client.post("/logout", data={"csrf_token": csrf_token(admin_client, "/")})
    assert highlight_titles(admin_client) == ["Показ коллекций"]
