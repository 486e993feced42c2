"""A web address (slug) suggested from an event's title: the English title, or the Russian or
Kazakh one transliterated, with the year of the first day, made unique."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

# Cyrillic of Russian and Kazakh to Latin, as Kazakhstan's web addresses usually spell them.
_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q", "n", "o", "u",
     "u", "h", "i"],
    strict=True,
))
MAX_LENGTH = 60


def slugify(text: str) -> str:
    latin = "".join(_LATIN.get(char, char) for char in text.lower())
    words = re.findall(r"[a-z0-9]+", latin)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def suggest_slug(title: dict, starts_on: date | None, taken: Callable[[str], bool]) -> str:
    """e.g. {"en": "Light Industry Forum"}, 2016-06-09 -> "light-industry-forum-2016"."""
    text = next((title.get(code) for code in ("en", "ru", "kk") if (title.get(code) or "").strip()), "") or ""
    base = slugify(text) or "event"
    if starts_on and not base.endswith(str(starts_on.year)):
        base = f"{base}-{starts_on.year}"
    slug, number = base, 2
    while taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug
