"""Exports of a published programme. Pure functions: event and items in, bytes or data out."""
