"""Uploaded media served at /media/<path> (the same URLs documents use through the safe fetcher).

Only files the image service wrote live there: re-encoded JPEG and PNG, never an upload as sent.
"""

from flask import Blueprint, current_app, send_from_directory

from forumapp.media.images import MAX_UPLOAD_BYTES

bp = Blueprint("media", __name__)


@bp.teardown_app_request
def _discard_unsaved_uploads(_error):
    from forumapp.media.forms import discard_unsaved_uploads

    discard_unsaved_uploads()

_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


@bp.route("/media/<path:path>")
def file(path: str):
    extension = path.rsplit(".", 1)[-1].lower()
    response = send_from_directory(
        current_app.config["MEDIA_DIR"], path, mimetype=_TYPES.get(extension, "application/octet-stream"),
        max_age=7 * 24 * 3600,
    )
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
