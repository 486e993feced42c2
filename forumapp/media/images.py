"""The one way uploaded images enter the app: logos, photos, lookbook pictures.

An upload is accepted only if Pillow DECODES it completely as JPEG, PNG or WebP (the file name and
the browser's MIME type are ignored). It must stay under a size limit in bytes and in pixels, so
a "decompression bomb" (a tiny file that claims enormous dimensions) is refused before it is
decoded. SVG is refused: it is a program, not a picture.

What is stored is never the uploaded file itself but fresh re-encodings with no metadata (EXIF,
GPS, comments are gone): a display copy at most DISPLAY_MAX px on its long side, for pages and
PDFs, and a thumbnail. Images with transparency are stored as PNG, the others as JPEG.

    prepared = prepare_image(file_storage)   # checks and re-encodes in memory; raises ImageRejected
    stored = store_image(prepared, "logos")  # writes both to the storage, or nothing
    save_image(file_storage, "logos")        # both steps

Forms use ImageField (forumapp.media.forms), which prepares in validation and stores on save().
"""

from __future__ import annotations

import io
import re
import secrets
import threading
import warnings
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import gettext
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from forumapp.storage import InvalidKey, get_storage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: any real camera photo, no bomb
MAX_SIDE = 20_000
DISPLAY_MAX = 1600
THUMB_MAX = 400
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
_PURPOSE = re.compile(r"^[a-z0-9_-]{1,40}$")

# WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES = True when it is imported; uploads are
# decoded with it off (under a lock, then restored), so half a picture is refused, not padded.
_strict_lock = threading.Lock()


def _(message: str, **params) -> str:
    """gettext in a request (the user's language); plain English in scripts and the demo loader."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


class ImageRejected(ValueError):
    """The upload is not an acceptable image; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedImage:
    """A checked image re-encoded in memory, ready to be written."""

    extension: str
    display: bytes
    thumb: bytes
    width: int
    height: int


@dataclass(frozen=True)
class StoredImage:
    path: str  # under the storage's media/ prefix, with forward slashes: logos/ab12cd.png
    width: int
    height: int
    thumb_path: str


def _read_limited(file_storage) -> bytes:
    stream = getattr(file_storage, "stream", file_storage)
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(
            _("The image is larger than %(mb)s MB. Please upload a smaller file.", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
        )
    if not data:
        raise ImageRejected(_("The file is empty."))
    return data


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<svg" in data[:65536].lower() or head.startswith(b"<?xml"))


def _not_an_image() -> ImageRejected:
    return ImageRejected(_("This file is not a JPEG, PNG or WebP image, or it is damaged."))


def _too_many_pixels(width: int, height: int) -> ImageRejected:
    return ImageRejected(
        _(
            "The image is too large: %(width)s × %(height)s pixels. At most %(megapixels)s megapixels are accepted.",
            width=width,
            height=height,
            megapixels=MAX_PIXELS // 1_000_000,
        )
    )


def _decode(data: bytes) -> Image.Image:
    """Open and fully decode; every failure becomes an ImageRejected with a clear message."""
    if _looks_like_svg(data):
        raise ImageRejected(_("SVG images are not accepted. Please upload a PNG, JPEG or WebP file."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(_("The image has too many pixels to be processed.")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
        width, height = image.size
        # Checked before decoding: this is what stops a decompression bomb.
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _too_many_pixels(width, height)
        if width < 1 or height < 1:
            raise _not_an_image()
        try:
            with _strict_lock:
                lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
                try:
                    image.load()
                finally:
                    ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(width, height) from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
            raise _not_an_image() from None
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _encode(image: Image.Image, max_side: int, extension: str) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    copy.info = {}  # no EXIF, ICC, text chunks or comments carried over
    out = io.BytesIO()
    if extension == "png":
        copy.save(out, "PNG", optimize=True)
    else:
        copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue(), copy.width, copy.height


def prepare_image(file_storage) -> PreparedImage:
    """Check an uploaded file and re-encode it in memory. Raises ImageRejected."""
    image = _decode(_read_limited(file_storage))
    image = ImageOps.exif_transpose(image)  # photos taken sideways stand upright once EXIF is gone
    if _has_alpha(image):
        image, extension = image.convert("RGBA"), "png"
    else:
        image, extension = image.convert("RGB"), "jpg"
    display, width, height = _encode(image, DISPLAY_MAX, extension)
    thumb, _w, _h = _encode(image, THUMB_MAX, extension)
    return PreparedImage(extension, display, thumb, width, height)


# Media live in the shared storage under this prefix; the database keeps the path after it
# ("logos/ab12.png"), as it did when media were files under instance/media, so the directory
# backend finds existing uploads where they always were (instance/media/logos/ab12.png).
MEDIA_PREFIX = "media/"
_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def media_key(path: str) -> str:
    """The storage key of a media path kept in the database."""
    return MEDIA_PREFIX + path


def store_image(prepared: PreparedImage, purpose: str) -> StoredImage:
    """Write the display copy and the thumbnail to the storage under media/<purpose>/, both or
    neither (each write is atomic; if the second fails the first is removed)."""
    if not _PURPOSE.match(purpose):
        raise ValueError(f"bad purpose {purpose!r}")
    storage = get_storage()
    name = secrets.token_hex(12)
    display = f"{purpose}/{name}.{prepared.extension}"
    thumb = f"{purpose}/{name}-thumb.{prepared.extension}"
    content_type = _CONTENT_TYPES[prepared.extension]
    try:
        storage.save(media_key(display), prepared.display, content_type)
        storage.save(media_key(thumb), prepared.thumb, content_type)
    except BaseException:
        for path in (display, thumb):
            try:
                storage.delete(media_key(path))
            except Exception:  # the storage is failing already; the first error is the one to see
                pass
        raise
    return StoredImage(display, prepared.width, prepared.height, thumb)


def save_image(file_storage, purpose: str) -> StoredImage:
    """Check, re-encode and store an upload. Raises ImageRejected, leaving nothing behind."""
    return store_image(prepare_image(file_storage), purpose)


def thumb_path(path: str | None) -> str | None:
    """The thumbnail stored next to a display copy."""
    if not path:
        return None
    stem, dot, extension = path.rpartition(".")
    return f"{stem}-thumb.{extension}" if dot else None


def delete_image(path: str | None) -> None:
    """Remove a stored image and its thumbnail (when a logo is replaced or a record deleted)."""
    if not path:
        return
    storage = get_storage()
    for relative in (path, thumb_path(path)):
        if not relative:
            continue
        try:
            storage.delete(media_key(relative))
        except InvalidKey:  # not a path the image service wrote: nothing of ours to remove
            pass
