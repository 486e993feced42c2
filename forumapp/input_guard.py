"""Control characters in a URL: refused before any view (or a blueprint's URL preprocessor, which
loads the event) hands them to the database. PostgreSQL cannot even compare a string holding a
NUL byte: `/e/x%00y/`, `/verify/a%00b` or `?q=a%00` were 500s. Form fields are checked by the
forms themselves (forumapp.forms), where the visitor gets a field error instead."""

from __future__ import annotations

from flask import abort, request

from forumapp.text import has_control_characters


def init_app(app) -> None:
    # An app-wide URL value preprocessor runs before the blueprints' (Flask runs the app's first).
    @app.url_value_preprocessor
    def refuse_control_characters(endpoint, values):
        if has_control_characters(request.path):
            abort(404)  # no page has such an address
        if any(has_control_characters(key) or has_control_characters(value)
               for key, value in request.args.items(multi=True)):
            abort(400)
