"""Languages: which one the visitor reads, and how content written in several is shown.

UI strings go through Flask-Babel's gettext. Content that organisers write (titles,
descriptions) is stored as a small dict {"kk": ..., "ru": ..., "en": ...} in a JSON column and
shown in the visitor's language, falling back in the event's order, never as an empty title.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DEFAULT_FALLBACK = ("kk", "ru", "en")
LANG_COOKIE = "lang"


def select_locale() -> str:
    """?lang= (remembered in a cookie), else the cookie, else Accept-Language, else the event's.
    Outside a request (background tasks) the event's, else the default."""
    if not has_request_context():
        return getattr(g, "event_default_locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.remember_lang = asked
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(LANGUAGES)
    if best:
        return best
    event_default = getattr(g, "event_default_locale", None)
    return event_default or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response):
    lang = getattr(g, "remember_lang", None)
    if lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def current_language() -> str:
    try:
        locale = get_locale()
    except Exception:  # outside a request (CLI, background jobs)
        return "ru"
    if locale is None:
        return "ru"
    # Our languages are bare codes; str(locale) builds the identifier anew on every call, and
    # pick() asks for the language once per title on a page.
    return locale.language if locale.territory is None and locale.script is None else str(locale)


def pick(text: dict | str | None, lang: str | None = None, fallback=None) -> str:
    """The text in `lang`, else the first non-empty one in the fallback order, else any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = lang or current_language()
    order = [lang, *(fallback or getattr(g, "content_fallback", None) or DEFAULT_FALLBACK)]
    for code in order:
        value = (text.get(code) or "").strip()
        if value:
            return value
    return next((v for v in text.values() if v and v.strip()), "")


def clean_translations(values: dict) -> dict:
    """Keep only known languages and strip whitespace; empty strings are dropped."""
    return {code: values[code].strip() for code in LANGUAGES if (values.get(code) or "").strip()}
