"""Awards models."""
