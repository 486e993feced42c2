"""Uploaded images: checking, re-encoding, storing and serving them (see images.py)."""
