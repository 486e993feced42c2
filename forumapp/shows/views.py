"""Shows: web views."""

from flask import Blueprint

bp = Blueprint("shows", __name__)
