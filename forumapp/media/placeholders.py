"""Small generated pictures for the demo forum (no files from the internet): a logo with a
name on a coloured background and lookbook placeholders. They go through the normal image
service, so they are stored exactly like uploads."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from forumapp.media.images import StoredImage, save_image


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def _png(image: Image.Image) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


def logo(text: str, colour: tuple[int, int, int]) -> StoredImage:
    image = Image.new("RGB", (480, 200), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 471, 191), outline=(255, 255, 255), width=4)
    draw.text((240, 100), text[:22], fill=(255, 255, 255), font=_font(40), anchor="mm")
    return save_image(_png(image), "logos")


def look(label: str, number: int, colour: tuple[int, int, int]) -> StoredImage:
    """A 2:3 placeholder "photo" of a look: a silhouette-like shape and the look's number."""
    image = Image.new("RGB", (600, 900), tuple(min(255, c + 150) for c in colour))
    draw = ImageDraw.Draw(image)
    draw.ellipse((255, 90, 345, 190), fill=colour)
    draw.polygon([(300, 200), (180, 700), (420, 700)], fill=colour)
    draw.text((300, 790), f"{label} · {number}", fill=(40, 40, 40), font=_font(34), anchor="mm")
    return save_image(_png(image), "lookbooks")
