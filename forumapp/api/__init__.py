"""The public JSON API under /api/v1/: published data for anyone, registrations and check-in for
integrators holding an organiser's API token (docs/api.md)."""
