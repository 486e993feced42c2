"""Awards: web views."""

from flask import Blueprint

bp = Blueprint("awards", __name__)
