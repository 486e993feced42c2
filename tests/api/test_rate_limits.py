"""The API is rate limited per client address (FORUMAPP_RATELIMIT_API), with a JSON 429."""

from __future__ import annotations

from forumapp.extensions import db
from tests.api.helpers import bearer
from tests.registration.test_rate_limits import limited_apps  # noqa: F401  (fixture)


def test_too_many_api_calls_get_a_json_429(limited_apps, world):  # noqa: F811
    app = limited_apps(RATELIMIT_API="3 per minute")
    client = app.test_client()
    with app.app_context():
        # Public and token calls share one allowance: a made-up token buys no fresh one.
        assert client.get("/api/v1/events").status_code == 200
        assert client.get("/api/v1/events/test-forum/registrations", headers=bearer(world.read_token)).status_code == 200
        assert client.get("/api/v1/events/test-forum/items",
                          headers=bearer("fa_made-up")).status_code == 200
        refused = client.get("/api/v1/events/test-forum/registrations", headers=bearer("fa_another-made-up"))
        assert refused.status_code == 429
        assert refused.get_json()["error"]["code"] == "rate_limited"
        assert int(refused.headers["Retry-After"]) > 0
        # Another address has its own allowance.
        other = client.get("/api/v1/events", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 200
        db.session.remove()
