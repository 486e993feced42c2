"""ImageField: a file input whose upload is checked by the image service during validation, so a
bad file is a field-level error. Validation also writes the files under temporary names, so a full
disk is a field error too (not a 500 after the record was half saved); save() gives them their
real names, and a request that ends without save() has them removed (media.views)."""

from __future__ import annotations

import logging

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from forumapp.escaping import lazy_gettext as _l
from forumapp.media.images import (
    MAX_UPLOAD_BYTES,
    ImageRejected,
    PreparedImage,
    StagedImage,
    StoredImage,
    delete_image,
    discard_staged,
    prepare_image,
    publish_image,
    stage_image,
    store_image,
)

log = logging.getLogger(__name__)


class ValidImage:
    """Validator: the upload (if any) must be an acceptable image; keeps the re-encoded result on
    the field as `field.prepared`."""

    def __call__(self, form, field):
        field.prepared = None
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        try:
            field.prepared = prepare_image(upload)
        except ImageRejected as rejected:
            raise StopValidation(rejected.message) from None
        purpose = getattr(field, "purpose", None)
        if purpose is None:
            return
        try:
            field.staged = stage_image(field.prepared, purpose)
        except OSError:
            log.exception("an upload could not be written to the storage")
            field.prepared = None
            raise StopValidation(
                _("The image could not be saved: the server has no room for it right now. Please try again later.")
            ) from None
        if has_app_context():
            g.setdefault("staged_images", []).append(field.staged)


def discard_unsaved_uploads() -> None:
    """Remove the temporary files of uploads that were checked but never saved (another field
    was wrong, or the view failed): called when every request ends."""
    for staged in g.pop("staged_images", []):
        discard_staged(staged)


class ImageField(FileField):
    """An optional image upload. `purpose` names the folder in the storage (media/) (logos, photos...)."""

    def __init__(self, label=None, validators=None, *, purpose: str, **kwargs):
        kwargs.setdefault(
            "description",
            _l("JPEG, PNG or WebP, up to %(mb)s MB.", mb=MAX_UPLOAD_BYTES // (1024 * 1024)),
        )
        kwargs.setdefault("render_kw", {"accept": "image/jpeg,image/png,image/webp"})
        super().__init__(label, [*(validators or []), ValidImage()], **kwargs)
        self.purpose = purpose
        self.prepared: PreparedImage | None = None
        self.staged: StagedImage | None = None

    def populate_obj(self, obj, name):
        """The view decides what to do with a stored image (save() then set the path)."""

    def save(self) -> StoredImage | None:
        """Write the checked upload in the storage (media/); None when no file was chosen."""
        if self.prepared is None:
            return None
        if self.staged is None:  # validated without an app context: write now
            return store_image(self.prepared, self.purpose)
        staged, self.staged = self.staged, None
        if has_app_context() and staged in g.get("staged_images", []):
            g.staged_images.remove(staged)
        return publish_image(staged)


def commit_with_image(session, obj, attribute: str, field: ImageField, *, remove: bool = False) -> StoredImage | None:
    """Store the field's checked upload (if any) as `obj.<attribute>` and commit, as one action:
    if the commit fails the new files are removed; once it succeeds the replaced image is.
    remove=True (and no new upload) clears the image."""
    stored = field.save()
    old = getattr(obj, attribute)
    if stored:
        setattr(obj, attribute, stored.path)
    elif remove and old:
        setattr(obj, attribute, None)
    try:
        session.commit()
    except BaseException:
        session.rollback()
        if stored:
            delete_image(stored.path)
        raise
    if old and old != getattr(obj, attribute):
        delete_image(old)
    return stored
