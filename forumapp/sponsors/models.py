"""Sponsors models."""
