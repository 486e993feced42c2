"""Names of statuses, as people read them."""

from forumapp.escaping import lazy_gettext as _l

STATUS_LABELS = {
    "pending": _l("awaiting approval"),
    "confirmed": _l("confirmed"),
    "waiting": _l("waiting list"),
    "rejected": _l("rejected"),
    "cancelled": _l("cancelled"),
}
MESSAGE_STATUS_LABELS = {"queued": _l("queued"), "sent": _l("sent"), "failed": _l("failed")}
