"""ImageField: a file input whose upload is checked by the image service during validation, so a
bad file is a field-level error, and which writes the file only when the view calls save()."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from forumapp.media.images import (
    MAX_UPLOAD_BYTES,
    ImageRejected,
    PreparedImage,
    StoredImage,
    delete_image,
    prepare_image,
    store_image,
)


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

    def populate_obj(self, obj, name):
        """The view decides what to do with a stored image (save() then set the path)."""

    def save(self) -> StoredImage | None:
        """Write the checked upload in the storage (media/); None when no file was chosen."""
        if self.prepared is None:
            return None
        return store_image(self.prepared, self.purpose)


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
