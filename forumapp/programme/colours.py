"""Track colours on visitors' pages: text on a track's colour must stay readable (WCAG 2
contrast), whatever colour the organisers picked."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT = "#4a6fa5"


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def safe_colour(colour: str | None) -> str:
    """The colour when it is a #rrggbb value (what the track form accepts), else the default:
    it goes into a style attribute."""
    return colour if colour and _HEX.match(colour) else DEFAULT


def text_on(colour: str | None) -> str:
    """Black or white, whichever reads better on the colour (at least 4.5:1 for one of them)."""
    colour = safe_colour(colour)
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#ffffff") else "#ffffff"
