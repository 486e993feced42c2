"""Directory of people and organisations: web views."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
