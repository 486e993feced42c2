"""Names of places, certificate kinds and the default certificate wording, translated."""

from flask_babel import get_locale
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


# Languages whose sentence ends with the verb (Kazakh): the certificate's sentence is split around
# the name, "[intro] NAME … [outro]", instead of "is awarded to NAME".
VERB_FINAL = frozenset({"kk"})


def certificate_texts() -> dict[str, str]:
    """The wording printed on certificates, in the current locale (see force_locale). The name
    stays in the nominative (it is printed as written), so each verb-final sentence is built
    around a nominative name: "NAME марапатталады", "Құрметті NAME! Сізге … алғыс білдіреміз"."""
    texts = {
        "award": _("Diploma"),
        "participation": _("Certificate"),
        "thanks": _("Letter of thanks"),
        "intro_award": _("is awarded to"),
        "intro_participation": _("is presented to"),
        "intro_thanks": _("We express our gratitude to"),
        "outro_award": "",
        "outro_participation": "",
        "outro_thanks": "",
        "support": _("With the support of"),
    }
    locale = get_locale()
    if locale is not None and locale.language in VERB_FINAL:
        texts.update({
            "intro_award": "",
            "outro_award": _("(after the name, verb-final languages) is awarded"),
            "intro_participation": _("(before the name, verb-final languages) This certificate confirms that"),
            "outro_participation": _("(after the name, verb-final languages) took part in the event"),
            "intro_thanks": _("(before the name, verb-final languages) Dear"),
            "outro_thanks": _("(after the name, verb-final languages) we express our sincere gratitude to you"),
        })
    return texts
