"""Organisation pages link their people to the people pages of the events they appear in."""

from __future__ import annotations

from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from tests.programme.visitor_world import build_visitor_world


def test_an_organisation_page_links_its_people_to_their_event_page(client):
    world = build_visitor_world()
    organisation_id = world.speaker.organisation_id
    page = client.get(f"/organisations/{organisation_id}").get_data(as_text=True)
    assert f'href="/e/visitor-forum/people/{world.speaker.id}"' in page


def test_people_only_in_drafts_are_not_linked(client):
    world = build_visitor_world()
    world.drafts_only.organisation_id = world.speaker.organisation_id
    db.session.commit()
    page = client.get(f"/organisations/{world.speaker.organisation_id}").get_data(as_text=True)
    assert "Secret Guest" in page and f"/people/{world.drafts_only.id}" not in page
    db.session.get(ProgrammeItem, world.draft_item.id).status = "published"
    db.session.commit()
    page = client.get(f"/organisations/{world.speaker.organisation_id}").get_data(as_text=True)
    assert f'href="/e/visitor-forum/people/{world.drafts_only.id}"' in page
