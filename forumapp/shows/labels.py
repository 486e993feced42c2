"""Names of collection categories and seasons in the visitor's language."""

from forumapp.escaping import lazy_gettext as _l

CATEGORY_LABELS = {
    "mens": _l("Men's wear"),
    "womens": _l("Women's wear"),
    "childrens": _l("Children's wear"),
    "outerwear": _l("Outerwear"),
    "sportswear": _l("Sportswear"),
    "school_uniform": _l("School uniform"),
    "workwear": _l("Workwear and special clothing"),
    "accessories": _l("Accessories"),
}
SEASON_LABELS = {
    "": _l("— no season —"),
    "spring_summer": _l("Spring–summer"),
    "autumn_winter": _l("Autumn–winter"),
    "resort": _l("Resort"),
    "all_season": _l("All seasons"),
}
