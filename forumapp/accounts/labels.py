from forumapp.escaping import lazy_gettext as _l

ROLE_LABELS = {"organiser": _l("Organiser"), "checkin_staff": _l("Check-in staff")}
