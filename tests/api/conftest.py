from __future__ import annotations

import pytest

from tests.api.helpers import build_api_world


@pytest.fixture
def world(app):
    return build_api_world()
