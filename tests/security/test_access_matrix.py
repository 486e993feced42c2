"""The access matrix (docs/SECURITY.md, "Who may do what"): every route of the URL map, for every
actor, with the URL arguments naming real objects of one event.

Actors: an anonymous visitor; a participant who has only their private link; an organiser of
ANOTHER event; check-in staff of THIS event; and, as the positive control, the organiser of this
event (and a site admin for the admin-only pages). Every route must be classified below: a new
route that is not makes this test fail, so whoever adds it decides who may reach it.

GET routes are requested with GET; POST routes (POST-only ones, and pages with a form) are
POSTed with a valid CSRF token, so a refusal is about access, never about the token; refused
requests must leave the database as it was. An organiser of another event also walks this
event's object ids under their own event's address: a row of another event is as good as missing
(404), never shown or changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumapp.extensions import db
from forumapp.storage import get_storage
from tests.conftest import csrf_token, login
from tests.security.world import PASSWORD, build_world

# ---- what each route is ----------------------------------------------------------------------

PUBLIC = "public"  # anyone: published pages, feeds, the directory's public pages, sign-in
PRIVATE_LINK = "private link"  # whoever holds a registration's secret token
SESSION = "session"  # sign out: signed-in users only
SIGNED_IN = "signed in"  # any signed-in user (the list of their own events)
DIRECTORY = "directory"  # site admins and organisers of some event (ownership.py decides edits)
EVENT = "event"  # organisers of this event (and site admins)
DESK = "desk"  # organisers and check-in staff of this event
ADMIN = "admin"  # site admins only
# The JSON API's registrations, check-in and waiting list: an organiser's API token in the
# Authorization header, never a cookie. Every actor here is a browser with a session, so every
# one of them (the organiser too: no CSRF bypass through the API) gets 401.
API_TOKEN = "api token"

ACCESS = {
    "static": PUBLIC,
    "favicon": PUBLIC,
    "operations.healthz": PUBLIC,
    "operations.readyz": PUBLIC,
    "media.file": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": SESSION,
    "programme.index": PUBLIC,
    "programme.event_home": PUBLIC,
    "programme.programme": PUBLIC,
    "programme.item": PUBLIC,
    "programme.people": PUBLIC,
    "programme.person": PUBLIC,
    "programme_exports.programme_ics": PUBLIC,
    "programme_exports.programme_pdf_view": PUBLIC,
    "programme_exports.schedule_json_view": PUBLIC,
    "programme_exports.schedule_xml_view": PUBLIC,
    "releases.changes": PUBLIC,
    "shows.show": PUBLIC,
    "shows.leaflet": PUBLIC,
    "shows.collection": PUBLIC,
    "awards.results": PUBLIC,
    "awards.verify": PUBLIC,
    "organisations.index": PUBLIC,
    "organisations.organisation": PUBLIC,
    "registration.register": PUBLIC,
    "registration.resend": PUBLIC,
    "registration.manage_registration": PRIVATE_LINK,
    "registration.cancel_registration": PRIVATE_LINK,
    "registration.register_again": PRIVATE_LINK,
    "registration.my_calendar": PRIVATE_LINK,
    "registration.my_certificate": PRIVATE_LINK,
    "registration_ticket.ticket": PRIVATE_LINK,
    "matchmaking.home": PRIVATE_LINK,
    "matchmaking.profile": PRIVATE_LINK,
    "matchmaking.withdraw": PRIVATE_LINK,
    "matchmaking.catalogue": PRIVATE_LINK,
    "matchmaking.other_profile": PRIVATE_LINK,
    "matchmaking.answer": PRIVATE_LINK,
    "matchmaking.outcome": PRIVATE_LINK,
    "matchmaking.schedule_pdf": PRIVATE_LINK,
    "matchmaking.schedule_ics": PRIVATE_LINK,
    "programme_manage.events": SIGNED_IN,
    "programme_manage.new_event": ADMIN,
    "directory.people": DIRECTORY,
    "directory.person": DIRECTORY,
    "directory.organisations": DIRECTORY,
    "directory.organisation": DIRECTORY,
    "directory.delete_person": DIRECTORY,
    "directory.delete_organisation": DIRECTORY,
    "programme_manage.delete_event": ADMIN,
    "registration_checkin.checkin": DESK,
    "registration_checkin.scan": DESK,
    "registration_checkin.counts": DESK,
    "matchmaking_manage.door_list": DESK,
    "matchmaking_manage.door": DESK,
    **{f"api.{name}": PUBLIC for name in (
        "openapi", "events", "event", "items", "item", "halls", "tracks", "people", "person", "partners",
        "collections", "collection", "awards", "award", "organisations", "organisation")},
    **{f"api.{name}": API_TOKEN for name in ("registrations", "registration", "scan", "undo_checkin", "promote")},
}
# Everything else under /manage/e/<slug>/ is the organisers' of that event, blueprint by
# blueprint (listed, so that a new blueprint is classified on purpose too).
EVENT_BLUEPRINTS = ("programme_manage", "registration_manage", "registration_checkin", "awards_manage",
                    "shows_manage", "sponsors", "releases_manage", "editions", "audit", "matchmaking_manage",
                    "api_manage")

ACTORS = ("anonymous", "participant", "other_organiser", "checkin_staff", "organiser")
# The organiser's own changes that would take away what later requests need run last.
DESTRUCTIVE = ("remove", "delete", "revoke", "reissue", "cancel", "publish", "undo", "to_waiting")


def access_of(rule) -> str | None:
    if rule.endpoint in ACCESS:
        return ACCESS[rule.endpoint]
    blueprint = rule.endpoint.split(".", 1)[0]
    if blueprint in EVENT_BLUEPRINTS and rule.rule.startswith("/manage/e/<slug>/"):
        return EVENT
    return None


# ---- URLs with real arguments ----------------------------------------------------------------

PART_IDS = {
    "programme_manage.halls": "hall",
    "programme_manage.tracks": "track",
    "programme_manage.delete_hall": "hall",
    "programme_manage.delete_track": "track",
    "registration_manage.categories": "category",
    "programme_manage.remove_item_person": "item_person",
}
ACTIONS = {"registration_manage.registration_action": "approve", "registration_manage.signup_action": "promote"}


def argument(rule, name: str, world, slug: str):
    endpoint, ids = rule.endpoint, world.ids
    if name == "slug":
        return slug
    if name == "item_id":
        area = endpoint.split(".")[0]
        return ids["ceremony_item"] if area.startswith("awards") or endpoint == "api.award" else ids["show_item"] if area.startswith("shows") \
            else ids["plenary"]
    if name == "part_id":
        return ids[PART_IDS[endpoint]]
    if name in ("reg_id", "registration_id"):
        return ids["registration"]
    if name == "token":
        return world.token
    if name == "certificate_id" and endpoint == "registration.my_certificate":
        return ids["own_certificate"]  # the participant's own, issued to their registration
    if name == "action":
        return ACTIONS[endpoint]
    if name == "fmt":
        return "csv"
    if name == "path":
        return world.media_path
    if name == "filename":
        return "css/app.css"
    return ids[name]


def urls(rule, world, slug: str) -> list[str]:
    """The URL of `rule` with this event's objects; both formats of the registrations export."""
    values = {name: argument(rule, name, world, slug) for name in rule.arguments}
    url = rule.build(values)[1]
    if rule.endpoint == "registration_manage.export":
        return [url, url.replace("export.csv", "export.xlsx")]
    return [url]


def method_of(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def methods_of(rule) -> list[str]:
    """GET, POST and DELETE: a page with a form is also sent its form (with only the CSRF token)."""
    return [m for m in ("GET", "POST", "DELETE") if m in rule.methods]


# ---- actors ----------------------------------------------------------------------------------


class Actor:
    """A browser: its own cookies, a CSRF token of its session, one app context per request
    (as in production, so nothing on `g` is shared between actors)."""

    def __init__(self, app, name: str, world):
        self.app, self.name = app, name
        self.client = app.test_client()
        self.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        with app.app_context():
            if name in world.users:
                assert login(self.client, world.users[name], PASSWORD).status_code == 302, name
                self.token = csrf_token(self.client, "/login")
            else:
                if name == "participant":
                    assert self.client.get(f"/e/{world.slug}/r/{world.token}").status_code == 200
                self.token = csrf_token(self.client, f"/e/{world.slug}/register")

    def request(self, method: str, url: str):
        with self.app.app_context():
            data = {"csrf_token": self.token} if method == "POST" else None
            return self.client.open(url, method=method, data=data)


def to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def allowed(response) -> bool:
    return response.status_code < 500 and response.status_code not in (401, 403, 404, 405) and not to_login(response)


def expectation(access: str, actor: str, method: str, rule) -> str:
    """"login" (sent to the sign-in page), "401", "403", "404" or "allowed"."""
    if access == API_TOKEN:
        return "401"
    if access in (SIGNED_IN, DIRECTORY, EVENT, DESK, ADMIN, SESSION) and actor in ("anonymous", "participant"):
        return "login"
    if access == ADMIN:
        return "allowed" if actor == "admin" else "403"
    if access == SIGNED_IN:
        return "allowed"
    if access == DIRECTORY:
        if actor == "checkin_staff":
            return "403"
        record = {"person_id", "organisation_id"} & set(rule.arguments)
        if actor == "other_organiser" and record and method == "POST":
            return "403"  # the record is used by this event, which they do not organise
        return "allowed"
    if access == DESK:
        return "allowed" if actor in ("organiser", "checkin_staff") else "403"
    if access == EVENT:
        return "allowed" if actor == "organiser" else "403"
    raise AssertionError(f"no expectation for {access} / {actor}")


def verdict(expected: str, response) -> bool:
    if expected == "login":
        return to_login(response)
    if expected == "allowed":
        return allowed(response)
    return response.status_code == int(expected)


# ---- the test --------------------------------------------------------------------------------


@pytest.fixture
def world(app):
    world = build_world()
    media = Path(app.config["STORAGE_DIR"]) / "media"  # the storage's media/ prefix
    world.media_path = "logos/matrix.png"

    (Path(media) / "logos").mkdir(parents=True, exist_ok=True)
    (Path(media) / world.media_path).write_bytes(b"\x89PNG\r\n\x1a\n")
    yield world  # (print jobs started here end within their request: JOBS_EAGER in tests)
    with app.app_context():
        for key in world.storage_keys:
            get_storage().delete(key)


def rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules()),
        key=lambda r: (any(word in r.rule for word in DESTRUCTIVE), r.endpoint == "shows_manage.remove_collection",
                       r.rule, r.endpoint),
    )


def test_every_route_is_classified(app):
    unclassified = [f"{r.endpoint} {r.rule}" for r in app.url_map.iter_rules() if access_of(r) is None]
    assert unclassified == [], "classify these routes in tests/security/test_access_matrix.py"


def test_the_access_matrix(app, world):
    failures = []
    checked = 0

    def check(actor: Actor, method: str, url: str, expected: str):
        nonlocal checked
        response = actor.request(method, url)
        checked += 1
        if response.status_code >= 500 or not verdict(expected, response):
            location = response.headers.get("Location", "")
            failures.append(f"{actor.name:16} {method:4} {url}: expected {expected}, got {response.status_code} {location}")

    management = [r for r in rules(app) if access_of(r) not in (PUBLIC, PRIVATE_LINK, None)]
    assert len(management) > 60  # the walk really covers the management pages

    before = database_contents(app)
    for name in ACTORS:
        if name == "organiser":  # the refused actors left every row as it was
            assert database_contents(app) == before, "a refused request changed the database"
        actor = Actor(app, name, world)
        for rule in management:
            if rule.endpoint == "accounts.logout" and name not in ("anonymous", "participant"):
                continue  # signing out would end the walk; the signed-in actors keep their session
            for method in methods_of(rule):
                for url in urls(rule, world, world.slug):
                    check(actor, method, url, expectation(access_of(rule), name, method, rule))
        if name in ("anonymous", "participant"):
            check_public_and_private(app, actor, world, check)
        if name == "other_organiser":
            check_other_events_ids(app, actor, world, check)

    admin = Actor(app, "admin", world)
    for rule in management:
        if access_of(rule) == ADMIN:
            for method in methods_of(rule):
                for url in urls(rule, world, world.slug):
                    check(admin, method, url, "allowed")

    assert failures == [], f"{len(failures)} of {checked} requests broke the matrix:\n" + "\n".join(failures)


# Written by any request that builds a feed (the installation's id is created on first use).
NOT_USER_DATA = {"installation"}


def database_contents(app) -> dict[str, list]:
    """Every row of every table but NOT_USER_DATA, in primary-key order."""
    with app.app_context():
        contents = {}
        for table in db.metadata.sorted_tables:
            if table.name in NOT_USER_DATA:
                continue
            query = db.select(table).order_by(*table.primary_key.columns)
            contents[table.name] = [tuple(row) for row in db.session.execute(query)]
        return contents


def check_public_and_private(app, actor: Actor, world, check) -> None:
    """Public pages answer everyone; the private link is the participant's alone."""
    for rule in rules(app):
        access, method = access_of(rule), method_of(rule)
        if access == PUBLIC and method == "GET":
            for url in urls(rule, world, world.slug):
                check(actor, "GET", url, "200")
        elif access == PRIVATE_LINK:
            for url in urls(rule, world, world.slug):
                forged = url.replace(world.token, "x" * 43)
                check(actor, method, forged, "404")  # nobody guesses a link
                if actor.name == "participant" and method == "GET":
                    check(actor, method, url, "200")


def check_other_events_ids(app, actor: Actor, world, check) -> None:
    """Under their own event's address, this event's object ids are missing (404)."""
    ignore = {"slug", "action", "fmt"}
    for rule in rules(app):
        if access_of(rule) in (EVENT, DESK) and set(rule.arguments) - ignore:
            for method in methods_of(rule):
                for url in urls(rule, world, "other-forum"):
                    check(actor, method, url, "404")
