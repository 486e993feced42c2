"""Two browsers on the same site: an anonymous visitor and a signed-in organiser."""

import pytest

from tests.programme.conftest import small_forum  # noqa: F401  (the forum these tests edit)


@pytest.fixture
def visitor(app):
    """An anonymous visitor reading English, with cookies of their own."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
