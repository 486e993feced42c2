from forumapp.escaping import lazy_gettext as _l

ORGANISATION_KIND_LABELS = {
    "enterprise": _l("Enterprise"),
    "association": _l("Association"),
    "consortium": _l("Consortium"),
    "government_body": _l("Government body"),
    "fund": _l("Fund"),
    "university": _l("University"),
    "media": _l("Media"),
    "fashion_house": _l("Fashion house"),
}
