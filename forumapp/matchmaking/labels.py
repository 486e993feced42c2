"""Names of categories, kinds and statuses, as people read them."""

from forumapp.escaping import lazy_gettext as _l

CATEGORY_LABELS = {
    "school_uniform": _l("School uniform"),
    "workwear": _l("Workwear and special clothing"),
    "fabrics": _l("Fabrics and yarn"),
    "leather_footwear": _l("Leather and footwear"),
    "contract_manufacturing": _l("Sewing capacity, contract manufacturing"),
    "equipment": _l("Equipment"),
    "logistics": _l("Logistics"),
    "export": _l("Export"),
    "investment": _l("Investment"),
    "public_procurement": _l("Public procurement"),
    "other": _l("Other"),
}
KIND_LABELS = {
    "producer": _l("Producer"),
    "buyer": _l("Buyer"),
    "consortium": _l("Consortium"),
    "association": _l("Association"),
    "government": _l("Government body"),
    "investor": _l("Investor"),
    "other": _l("Other organisation"),
}
DIRECTION_LABELS = {"offer": _l("Offers"), "seek": _l("Seeks")}
REQUEST_STATUS_LABELS = {
    "pending": _l("awaiting an answer"),
    "accepted": _l("accepted"),
    "declined": _l("declined"),
    "cancelled": _l("withdrawn"),
}
ATTENDANCE_LABELS = {"unknown": _l("not marked"), "held": _l("held"), "no_show": _l("no-show")}
OUTCOME_LABELS = {
    "none": _l("not reported"),
    "no_follow_up": _l("no follow-up"),
    "follow_up": _l("follow-up agreed"),
    "contract": _l("contract or order signed"),
}
