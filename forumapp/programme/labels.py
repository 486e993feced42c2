"""Names of programme kinds, roles and statuses in the visitor's language."""

from forumapp.escaping import lazy_gettext as _l

ITEM_KIND_LABELS = {
    "opening": _l("Opening"),
    "plenary": _l("Plenary session"),
    "session": _l("Session"),
    "round_table": _l("Round table"),
    "panel": _l("Panel discussion"),
    "workshop": _l("Workshop"),
    "presentation": _l("Presentation"),
    "award_ceremony": _l("Award ceremony"),
    "collection_show": _l("Collection show"),
    "exhibition": _l("Exhibition"),
    "networking": _l("Networking"),
    "break": _l("Break"),
}
PERSON_ROLE_LABELS = {
    "speaker": _l("Speaker"),
    "moderator": _l("Moderator"),
    "panelist": _l("Panelist"),
    "host": _l("Host"),
    "designer": _l("Designer"),
    "presenter": _l("Presenter"),
    "jury_member": _l("Jury member"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "archived": _l("Archived"),
    "cancelled": _l("Cancelled"),
}
