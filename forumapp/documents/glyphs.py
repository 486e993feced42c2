"""Which characters the bundled fonts can draw, and what becomes of the others.

PDFs use only the fonts in static/fonts (Noto, SIL OFL 1.1): text faces for Latin, Cyrillic
with Kazakh letters, Greek and common punctuation; Noto Sans Symbols 2 for stars, check marks,
scissors, dingbats and similar symbols; Noto Sans Math for arrows and mathematical signs. A character none of them has (an emoji
such as 👗, a script we do not bundle) would otherwise be dropped silently by WeasyPrint or drawn
with whatever system font the machine has: it is replaced by a visible □ instead, the same on
every machine."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
TEXT_FACES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf")
# In order of preference: a symbol both have comes from the first.
SYMBOL_FACES = ("NotoSansSymbols2-Regular.ttf", "NotoSansMath-Regular.ttf")
REPLACEMENT = "\u25a1"  # □, drawn by the first symbol face
# Invisible characters that shape text rather than show a glyph: kept as they are.
_FORMAT_CHARACTERS = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10)}


def _cmap(name: str) -> set[int]:
    return set(TTFont(FONTS_DIR / name, lazy=True).getBestCmap())


@cache
def face_points(name: str) -> frozenset[int]:
    """The code points a bundled face draws."""
    return frozenset(_cmap(name))


@cache
def _symbol_face_by_point() -> dict[int, str]:
    return {point: face for face, ranges in symbol_face_ranges().items()
            for low, high in ranges for point in range(low, high + 1)}


@lru_cache(maxsize=65536)
def face_runs(text: str, face: str) -> tuple[tuple[str, str], ...]:
    """`text` (already `drawable`) cut into runs of one bundled face each, for a drawing library
    without font fallback (reportlab, forumapp.documents.stamping): a symbol comes from the
    symbol face WeasyPrint's unicode-range gives it (symbol_faces_css), every other character
    from `face`. An invisible format character `face` lacks (a zero-width joiner left between
    two □ of an emoji sequence) is left out, as it shows nothing."""
    own = face_points(face)
    symbols = _symbol_face_by_point()
    if not any(ord(ch) in symbols or ord(ch) not in own for ch in text):
        return ((text, face),)
    runs: list[list[str]] = []
    for ch in text:
        point = ord(ch)
        chosen = symbols.get(point) or face
        if chosen == face and point not in own and point in _FORMAT_CHARACTERS:
            continue
        if runs and runs[-1][1] == chosen:
            runs[-1][0] += ch
        else:
            runs.append([ch, chosen])
    return tuple((run, chosen) for run, chosen in runs)


@cache
def symbol_face_ranges() -> dict[str, list[tuple[int, int]]]:
    """For each symbol face, the code points it draws that no earlier face has, as ranges: its
    @font-face unicode-range, so text keeps the text face and a symbol in any family comes
    from a bundled symbol face."""
    taken = set.intersection(*(_cmap(face) for face in TEXT_FACES))
    ranges = {}
    for face in SYMBOL_FACES:
        own = _cmap(face) - taken
        ranges[face] = _ranges(sorted(own))
        taken |= own
    return ranges


@cache
def _drawable_characters() -> frozenset[str]:
    # Every face of a family must have a character for it to be safe in bold or italic too.
    points = set.intersection(*(_cmap(face) for face in TEXT_FACES)).union(*(_cmap(face) for face in SYMBOL_FACES))
    points |= set(range(0x80)) | _FORMAT_CHARACTERS
    return frozenset(map(chr, points))


@cache
def _beyond_common_letters() -> re.Pattern:
    """Characters outside the drawable part of U+0000–U+04FF (Latin, Greek, Cyrillic)."""
    common = sorted(ord(c) for c in _drawable_characters() if ord(c) < 0x500)
    parts = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in _ranges(common))
    return re.compile(f"[^{parts}]")


def drawable(text: str) -> str:
    """`text` with every character no bundled font draws replaced by □."""
    # Latin, Cyrillic (Kazakh included) and Greek are drawn by every text face: look only at the
    # rest, which is little, and rewrite the text only when something cannot be drawn (rarely).
    missing = set(_beyond_common_letters().findall(text)) - _drawable_characters()
    if not missing:
        return text
    return re.sub(f"[{''.join(map(re.escape, sorted(missing)))}]", REPLACEMENT, text)


def symbol_faces_css(families: tuple[str, ...]) -> str:
    """@font-face rules that add the symbol faces to each of `families`."""
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url(/static/fonts/{face}); unicode-range: '
        + ", ".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}" for low, high in ranges)
        + "; }\n"
        for family in families
        for face, ranges in symbol_face_ranges().items()
    )


def _ranges(points: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges
