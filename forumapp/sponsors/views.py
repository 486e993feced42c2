"""Sponsors: web views."""

from flask import Blueprint

bp = Blueprint("sponsors", __name__)
