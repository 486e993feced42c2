"""The public part of the API shows exactly what the public pages show, in the documented shape."""

from __future__ import annotations

from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from tests.api.helpers import conforms

BASE = "/api/v1"


def ids(body) -> list[int]:
    return [row["id"] for row in body["data"]]


def test_events_lists_public_events_only(client, world):
    body = conforms(client.get(f"{BASE}/events"), "/events")
    assert {e["slug"] for e in body["data"]} == {"test-forum", "other-forum"}
    assert client.get(f"{BASE}/events/draft-forum").status_code == 404
    event = conforms(client.get(f"{BASE}/events/test-forum"), "/events/{slug}")
    assert event["title"]["kk"] == "Жеңіл өнеркәсіп форумы"
    assert event["url"] == "http://forum.test/e/test-forum/"
    for path in ("items", "halls", "people", "partners", "collections", "awards"):
        assert client.get(f"{BASE}/events/draft-forum/{path}").status_code == 404, path


def test_items_are_published_ones_and_cancelled_after_publication(client, world):
    body = conforms(client.get(f"{BASE}/events/test-forum/items"), "/events/{slug}/items")
    by_id = {row["id"]: row for row in body["data"]}
    assert world.ids["plenary"] in by_id and world.ids["withdrawn"] in by_id
    assert world.ids["draft"] not in by_id and world.ids["never"] not in by_id
    assert by_id[world.ids["withdrawn"]]["status"] == "cancelled"
    plenary = by_id[world.ids["plenary"]]
    assert plenary["hall"] == {"id": world.ids["hall"], "name": {"ru": "Большой зал", "en": "Main hall"}}
    assert plenary["people"][0]["role"] == "speaker"
    assert plenary["url"] == f"http://forum.test/e/test-forum/items/{world.ids['plenary']}"
    one = conforms(client.get(f"{BASE}/events/test-forum/items/{world.ids['plenary']}"),
                   "/events/{slug}/items/{item_id}")
    assert one == plenary
    assert client.get(f"{BASE}/events/test-forum/items/{world.ids['draft']}").status_code == 404
    filtered = client.get(f"{BASE}/events/test-forum/items?kind=award_ceremony").get_json()
    assert {row["kind"] for row in filtered["data"]} == {"award_ceremony"}
    by_hall = client.get(f"{BASE}/events/test-forum/items?hall={world.ids['hall']}").get_json()
    assert ids(by_hall) == [world.ids["plenary"]]


def test_people_are_those_of_published_items_without_private_fields(client, world):
    response = client.get(f"{BASE}/events/test-forum/people")
    body = conforms(response, "/events/{slug}/people")
    assert ids(body) == [world.ids["speaker"]]
    assert body["data"][0]["parts"] == [{"item_id": world.ids["plenary"], "role": "speaker"}]
    text = response.get_data(as_text=True)
    for private in ("gulmira@example.kz", "+7 701", "prefers tea", "Only in a draft"):
        assert private not in text
    conforms(client.get(f"{BASE}/events/test-forum/people/{world.ids['speaker']}"),
             "/events/{slug}/people/{person_id}")
    assert client.get(f"{BASE}/events/test-forum/people/{world.ids['hidden']}").status_code == 404


def test_award_results_only_when_published(client, world):
    body = conforms(client.get(f"{BASE}/events/test-forum/awards"), "/events/{slug}/awards")
    assert [c["item_id"] for c in body["data"]] == [world.ids["ceremony_item"]]
    laureate = body["data"][0]["nominations"][0]["laureates"][0]
    assert laureate["place"] == "first" and laureate["organisation"]["id"] == world.ids["brand"]
    assert "Тайная" not in str(body)
    assert client.get(f"{BASE}/events/test-forum/awards/{world.ids['secret_item']}").status_code == 404
    conforms(client.get(f"{BASE}/events/test-forum/awards/{world.ids['ceremony_item']}"),
             "/events/{slug}/awards/{item_id}")


def test_partners_collections_organisations_halls_tracks(client, world):
    partners = conforms(client.get(f"{BASE}/events/test-forum/partners"), "/events/{slug}/partners")
    assert partners["data"][0]["tier"]["name"] == {"en": "Official partner"}
    assert partners["data"][0]["url"] == "https://zhasampaz.kz"
    collections = conforms(client.get(f"{BASE}/events/test-forum/collections"), "/events/{slug}/collections")
    assert collections["data"][0]["season"] == "autumn_winter"
    assert collections["data"][0]["designers"][0]["id"] == world.ids["speaker"]
    conforms(client.get(f"{BASE}/events/test-forum/collections/{world.ids['collection']}"),
             "/events/{slug}/collections/{collection_id}")
    assert client.get(f"{BASE}/events/other-forum/collections/{world.ids['collection']}").status_code == 404
    organisations = conforms(client.get(f"{BASE}/organisations"), "/organisations")
    assert ids(organisations) == [world.ids["brand"]]
    conforms(client.get(f"{BASE}/organisations/{world.ids['brand']}"), "/organisations/{organisation_id}")
    conforms(client.get(f"{BASE}/events/test-forum/halls"), "/events/{slug}/halls")
    conforms(client.get(f"{BASE}/events/test-forum/tracks"), "/events/{slug}/tracks")


def test_pages_link_to_the_next_on_the_public_address(client, world):
    # Asked under another (allowed) host name: the links still name the configured address.
    response = client.get(f"{BASE}/events/test-forum/items?per_page=2&kind=plenary", base_url="http://127.0.0.1")
    first = conforms(response, "/events/{slug}/items")
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 2, "pages": 1}
    everything = client.get(f"{BASE}/events/test-forum/items?per_page=2").get_json()
    assert everything["meta"]["total"] == 4 and everything["meta"]["pages"] == 2
    next_link = everything["links"]["next"]
    assert next_link.startswith("http://forum.test/api/v1/events/test-forum/items?")
    assert "page=2" in next_link and "per_page=2" in next_link
    second = client.get(next_link.replace("http://forum.test", "")).get_json()
    assert second["links"]["next"] is None and second["links"]["prev"].startswith("http://forum.test/")
    seen = ids(everything) + ids(second)
    assert len(set(seen)) == 4


def test_updated_since_returns_what_changed(client, world):
    everything = client.get(f"{BASE}/events/test-forum/items").get_json()
    latest = max(row["updated_at"] for row in everything["data"])
    item = db.session.get(ProgrammeItem, world.ids["plenary"])
    from datetime import timedelta

    item.updated_at = item.updated_at + timedelta(hours=1)
    item.title = {"ru": "Пленарное заседание (обновлено)"}
    db.session.commit()
    after = item.updated_at.replace(microsecond=0).isoformat() + "Z"
    changed = client.get(f"{BASE}/events/test-forum/items?updated_since={after}").get_json()
    assert ids(changed) == [world.ids["plenary"]]
    assert latest < after
    offset = client.get(f"{BASE}/events/test-forum/items?updated_since=2000-01-01T06:00:00%2B06:00").get_json()
    assert offset["meta"]["total"] == 4


def test_etag_and_not_modified(client, world):
    first = client.get(f"{BASE}/events/test-forum/items")
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
    again = client.get(f"{BASE}/events/test-forum/items", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    item = db.session.get(ProgrammeItem, world.ids["plenary"])
    item.title = {"ru": "Новое название"}
    db.session.commit()
    changed = client.get(f"{BASE}/events/test-forum/items", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_errors_are_json_of_one_shape(client, world):
    cases = [
        ("GET", f"{BASE}/events/test-forum/items?page=0", 400, "invalid_parameter"),
        ("GET", f"{BASE}/events/test-forum/items?per_page=1000", 400, "invalid_parameter"),
        ("GET", f"{BASE}/events/test-forum/items?updated_since=yesterday", 400, "invalid_parameter"),
        ("GET", f"{BASE}/events/test-forum/items?kind=party", 400, "invalid_parameter"),
        ("GET", f"{BASE}/events/test-forum/items?q=%00", 400, "bad_request"),
        ("GET", f"{BASE}/events/nowhere", 404, "not_found"),
        ("GET", f"{BASE}/events/test-forum/items/99999999999", 404, "not_found"),
        ("GET", f"{BASE}/no-such-thing", 404, "not_found"),
        ("POST", f"{BASE}/events", 405, "method_not_allowed"),
        ("DELETE", f"{BASE}/events/test-forum/items", 405, "method_not_allowed"),
    ]
    for method, url, status, code in cases:
        response = client.open(url, method=method)
        assert response.status_code == status, url
        assert response.mimetype == "application/json", url
        assert response.get_json() == {"error": {"code": code, "message": response.get_json()["error"]["message"]}}
        assert response.get_json()["error"]["message"]
    assert "GET" in client.post(f"{BASE}/events").headers["Allow"]
    # Outside /api/ the pages stay HTML.
    assert client.get("/no-such-page").mimetype == "text/html"


def test_changes_inside_an_item_or_ceremony_count_as_its_changes(client, world):
    from datetime import timedelta

    from forumapp.awards.models import Ceremony, Laureate, Nomination
    from forumapp.programme.models import ItemPerson
    from forumapp.timeutil import utcnow

    long_ago = utcnow() - timedelta(days=1)
    for row in db.session.scalars(db.select(ProgrammeItem)):
        row.updated_at = long_ago
    for row in db.session.scalars(db.select(Ceremony)):
        row.updated_at = long_ago
    db.session.commit()
    since = (utcnow() - timedelta(minutes=1)).replace(microsecond=0).isoformat() + "Z"
    assert client.get(f"{BASE}/events/test-forum/items?updated_since={since}").get_json()["data"] == []

    sequence = db.session.get(ProgrammeItem, world.ids["withdrawn"]).sequence
    db.session.add(ItemPerson(item_id=world.ids["withdrawn"], person_id=world.ids["speaker"], role="moderator"))
    nomination = db.session.scalar(db.select(Nomination).join(Ceremony).filter(
        Ceremony.item_id == world.ids["ceremony_item"]))
    db.session.add(Laureate(nomination_id=nomination.id, organisation_id=world.ids["brand"], place="second"))
    db.session.commit()
    changed = client.get(f"{BASE}/events/test-forum/items?updated_since={since}").get_json()
    assert ids(changed) == [world.ids["withdrawn"]]
    assert changed["data"][0]["people"][0]["role"] == "moderator"
    awards = client.get(f"{BASE}/events/test-forum/awards?updated_since={since}").get_json()
    assert [c["item_id"] for c in awards["data"]] == [world.ids["ceremony_item"]]
    db.session.expire_all()  # the calendar's SEQUENCE is not bumped: the item itself was not edited
    assert db.session.get(ProgrammeItem, world.ids["withdrawn"]).sequence == sequence
