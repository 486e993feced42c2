from forumapp.escaping import lazy_gettext as _l

KIND_LABELS = {
    "event": _l("Event settings"),
    "hall": _l("Hall"),
    "track": _l("Track"),
    "item": _l("Programme item"),
    "item_person": _l("Person in an item"),
    "registration_settings": _l("Registration settings"),
    "category": _l("Participant category"),
    "question": _l("Registration question"),
    "registration": _l("Registration"),
    "signup": _l("Sign-up for an item"),
    "ceremony": _l("Award ceremony"),
    "nomination": _l("Nomination"),
    "laureate": _l("Laureate"),
    "certificate_design": _l("Certificate design"),
    "certificate": _l("Certificate"),
    "team": _l("Team"),
    "sponsor_tier": _l("Partner tier"),
    "sponsor": _l("Partner"),
    "collection": _l("Collection"),
    "show": _l("Collection show"),
    "show_segment": _l("Show segment"),
}
ACTION_LABELS = {
    "created": _l("Created"),
    "changed": _l("Changed"),
    "deleted": _l("Deleted"),
    "copied": _l("Copied"),
}
