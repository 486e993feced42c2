"""Names of the kinds of change, in the reader's language."""

from forumapp.escaping import lazy_gettext as _l

CHANGE_LABELS = {
    "new": _l("New"),
    "moved": _l("Moved"),
    "renamed": _l("Renamed"),
    "cancelled": _l("Cancelled"),
}
