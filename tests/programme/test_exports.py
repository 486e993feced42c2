"""The published programme as PDF, iCalendar, c3voc JSON and frab XML, read back and validated."""

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
from icalendar import Calendar
from lxml import etree
from pypdf import PdfReader

# Vendored (with their licence) so the schema tests run, and fail rather than skip, anywhere.
SPECS = Path(__file__).resolve().parent / "specs" / "c3voc-schedule"


def spec(name):
    path = SPECS / name
    assert path.exists(), f"format specification missing: {path}"
    return path


def test_ical_holds_each_published_item_in_the_event_time_zone(client, small_forum):
    response = client.get("/e/test-forum/programme.ics?lang=kk")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "«Жасампаз» дөңгелек үстелі" in summaries
    assert "Секретный черновик" not in summaries
    round_table = next(e for e in events if "Жасампаз" in str(e["SUMMARY"]))
    start = round_table["DTSTART"].dt
    assert start == datetime(2016, 6, 9, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    assert round_table["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert "Гүлмира Уақытова" in str(round_table["DESCRIPTION"])
    assert str(round_table["LOCATION"]) == "Малый зал"  # no Kazakh name: falls back to Russian
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Almaty"
    uids = {str(e["UID"]) for e in events}
    again = Calendar.from_ical(client.get("/e/test-forum/programme.ics").data)
    assert uids == {str(e["UID"]) for e in again.walk("VEVENT")}, "UIDs are stable"


def test_c3voc_json_is_valid_against_the_schema(client, small_forum):
    schema = json.loads(spec("schema.json").read_text())
    response = client.get("/e/test-forum/schedule.json?lang=ru")
    assert response.status_code == 200
    data = response.get_json()
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    conference = data["schedule"]["conference"]
    assert conference["time_zone_name"] == "Asia/Almaty"
    assert conference["daysCount"] == 2
    talks = [talk for day in conference["days"] for room in day["rooms"].values() for talk in room]
    assert len(talks) == 3
    round_table = next(t for t in talks if "Жасампаз" in t["title"])
    assert round_table["start"] == "10:00" and round_table["duration"] == "01:30"
    assert round_table["date"] == "2016-06-09T10:00:00+06:00"
    assert round_table["persons"][0]["name"] == "Гульмира Уахитова"
    assert round_table["room"] == "Малый зал"


def test_frab_xml_is_valid_against_the_xsd(client, small_forum):
    schema = etree.XMLSchema(etree.parse(str(spec("schedule.xml.xsd"))))
    response = client.get("/e/test-forum/schedule.xml?lang=kk")
    assert response.status_code == 200
    document = etree.fromstring(response.data)
    schema.assertValid(document)
    titles = document.xpath("//event/title/text()")
    assert "«Жасампаз» дөңгелек үстелі" in titles and len(titles) == 3
    assert "Гүлмира Уақытова" in document.xpath("//event/persons/person/text()")


def test_programme_pdf_holds_cover_agenda_and_speaker_index(client, small_forum):
    response = client.get("/e/test-forum/programme.pdf?lang=kk")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Жеңіл өнеркәсіп форумы" in text  # cover, in Kazakh
    assert "Алматы" in text
    assert "Гүлмира Уақытова" in text
    assert "«Жасампаз» дөңгелек үстелі" in text
    assert "<b>Bold</b>" in text, "HTML in a title is printed as text"
    assert "Секретный черновик" not in text
    assert "Алматы уақыты (UTC+06:00)" in text  # the zone in words
    index_page = reader.pages[-1].extract_text()
    assert "Даулет Бакберген" in index_page and "Гүлмира Уақытова" in index_page
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    # Only the bundled faces, declared by @font-face as "Forum Sans"/"Forum Serif", are embedded:
    # the PDF looks the same on a machine without any fonts installed.
    assert fonts and all("Forum-Sans" in name or "Forum-Serif" in name for name in fonts), fonts


def test_exports_of_draft_or_unknown_events_are_404(client, small_forum):
    from forumapp.extensions import db

    small_forum["event"].status = "draft"
    db.session.commit()
    for suffix in ("programme.pdf", "programme.ics", "schedule.json", "schedule.xml"):
        assert client.get(f"/e/test-forum/{suffix}").status_code == 404
        assert client.get(f"/e/nowhere/{suffix}").status_code == 404


def test_public_item_page_and_fallback_language(client, small_forum):
    round_table = small_forum["items"][1]
    page = client.get(f"/e/test-forum/items/{round_table.id}?lang=en").get_data(as_text=True)
    # No English title: the event's fallback order (kk, ru, en) shows Kazakh, never an empty title.
    assert "«Жасампаз» дөңгелек үстелі" in page
    assert "Gulmira Uakhitova" in page and "Moderator" in page
    assert client.get(f"/e/test-forum/items/{small_forum['draft'].id}").status_code == 404


def test_programme_pdf_pages_carry_the_event_title_as_running_header(client, small_forum):
    event = small_forum["event"]
    event.title = {**event.title, "kk": 'Форум "2016"; } body { color: red } </style>'}
    from forumapp.extensions import db

    db.session.commit()
    response = client.get("/e/test-forum/programme.pdf?lang=kk")
    reader = PdfReader(io.BytesIO(response.data))
    agenda_pages = [page.extract_text() for page in reader.pages[1:]]
    # Quotes, braces and tags in a title stay text in the header and cannot break the stylesheet.
    assert all('Форум "2016"; } body { color: red } </style>' in text for text in agenda_pages)


def test_programme_pdf_leaves_the_garbage_collector_as_it_found_it(client, small_forum):
    import gc

    # The collector is paused while the programme is laid out (forumapp.documents.render.gc_paused).
    assert gc.isenabled()
    assert client.get("/e/test-forum/programme.pdf?lang=kk").status_code == 200
    assert gc.isenabled()
    gc.disable()
    try:
        assert client.get("/e/test-forum/programme.pdf?lang=kk").status_code == 200
        assert not gc.isenabled(), "a collector switched off by someone else stays off"
    finally:
        gc.enable()


def test_programme_pdf_index_gives_each_appearance_its_page_and_links_each_name(client, small_forum):
    event = small_forum["event"]
    event.ends_on = event.starts_on + timedelta(days=2)  # an empty middle day prints no page
    from forumapp.extensions import db

    db.session.commit()
    reader = PdfReader(io.BytesIO(client.get("/e/test-forum/programme.pdf?lang=en").data))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 4, "cover, two days, index"
    round_table, cooperation = "«Жасампаз» дөңгелек үстелі", "<b>Bold</b> кооперация"
    assert round_table in texts[1] and cooperation in texts[2] and "Index of speakers" in texts[3]
    index = texts[3]
    # Page numbers of every appearance, in programme order; the agenda's are 2 and 3.
    assert "Gulmira Uakhitova, Zhasampaz consortium — 10:00, p. 2; 12:00, p. 3" in index
    assert "Daulet Bakbergen — 12:00, p. 3" in index
    # One link per person, from the name to the page of their first appearance.
    links = [annotation.get_object() for annotation in reader.pages[3]["/Annots"]]
    destinations = sorted(
        reader.get_destination_page_number(reader.named_destinations[link["/Dest"]]) + 1
        for link in links
        if link["/Subtype"] == "/Link"
    )
    assert destinations == [2, 3]  # Gulmira's round table (p. 2), Daulet's session (p. 3)
