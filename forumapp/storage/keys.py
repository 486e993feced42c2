"""Object keys and listing rows, the same for every backend."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

# Letters (any script), digits and a few marks per segment; no segment may start with a dot, so
# the directory backend's temporary files (".name.tmp-...") can never be named by a key.
_SEGMENT = re.compile(r"^[^\W.][\w.\-]{0,199}$")


class InvalidKey(ValueError):
    """A key that could escape the storage root or name something that is not an object."""


def check_key(key: str) -> str:
    """Return the key if it is a relative, '/'-separated path with no '..', '.', empty or
    hidden segments; raise InvalidKey otherwise (a view turns that into a 404)."""
    if not isinstance(key, str) or not key or len(key) > 1000:
        raise InvalidKey(repr(key))
    segments = key.split("/")
    if not all(_SEGMENT.match(segment) for segment in segments):
        raise InvalidKey(repr(key))
    return key


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int  # bytes
    modified: datetime  # timezone-aware, UTC
