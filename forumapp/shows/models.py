"""Shows models."""
