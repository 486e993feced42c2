"""Uploaded media served at /media/<path> (the same URLs documents use through the safe fetcher),
read from the shared storage, so any host serves what any other host stored.

Only files the image service wrote live there: re-encoded JPEG and PNG, never an upload as sent.
Their names are random and never reused, so browsers and proxies may keep them for a week; the
ETag and Last-Modified answer revalidations with 304.
"""

from flask import Blueprint, abort

from forumapp.media.images import MAX_UPLOAD_BYTES, media_key
from forumapp.storage import InvalidKey, get_storage

bp = Blueprint("media", __name__)

_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
CACHE_SECONDS = 7 * 24 * 3600


@bp.route("/media/<path:path>")
def file(path: str):
    extension = path.rsplit(".", 1)[-1].lower()
    try:
        response = get_storage().send(
            media_key(path), mimetype=_TYPES.get(extension, "application/octet-stream"), max_age=CACHE_SECONDS
        )
    except (InvalidKey, FileNotFoundError):
        abort(404)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


def media_url(path: str | None, thumb: bool = False) -> str:
    """URL of a stored image (or of its thumbnail), '' when there is none."""
    from flask import url_for

    from forumapp.media.images import thumb_path

    if not path:
        return ""
    return url_for("media.file", path=thumb_path(path) if thumb else path)


bp.add_app_template_global(media_url, "media_url")
bp.add_app_template_global(MAX_UPLOAD_BYTES // (1024 * 1024), "IMAGE_MAX_MB")
