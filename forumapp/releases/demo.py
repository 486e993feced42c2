"""Demo schedule version: the demo programme released as "1.0". Safe to run again."""

from __future__ import annotations

from forumapp.releases.services import latest_release, release

CHANGELOG = "Бағдарламаның алғашқы нұсқасы.\nПервая версия программы."


def load(event) -> None:
    if latest_release(event) is None:
        release(event, "1.0", CHANGELOG)
