"""Names of places, certificate kinds and the default certificate wording, translated."""

from flask_babel import gettext as _

from forumapp.escaping import lazy_gettext as _l

PLACE_LABELS = {
    "grand_prix": _l("Grand Prix"),
    "first": _l("1st place"),
    "second": _l("2nd place"),
    "third": _l("3rd place"),
    "diploma": _l("Diploma"),
}
JOB_STATUS_LABELS = {
    "queued": _l("waiting for a printer"),
    "running": _l("printing"),
    "done": _l("done"),
    "failed": _l("failed"),
}
CERTIFICATE_KIND_LABELS = {
    "award": _l("Award certificate"),
    "participation": _l("Certificate of participation"),
    "thanks": _l("Letter of thanks"),
}


def certificate_texts() -> dict[str, str]:
    """The wording printed on certificates, in the current locale (see force_locale)."""
    return {
        "award": _("Diploma"),
        "participation": _("Certificate"),
        "thanks": _("Letter of thanks"),
        "intro_award": _("is awarded to"),
        "intro_participation": _("is presented to"),
        "intro_thanks": _("We express our gratitude to"),
        "support": _("With the support of"),
    }
