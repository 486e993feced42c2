"""Registration: web views."""

from flask import Blueprint

bp = Blueprint("registration", __name__)
