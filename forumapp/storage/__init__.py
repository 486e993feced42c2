"""Shared storage for uploaded media and generated documents, behind one small interface.

    storage = get_storage()                    # chosen by the app's configuration
    storage.save("media/logos/ab12.png", data, content_type="image/png")   # atomic
    storage.read_bytes(key) / storage.open(key)                             # FileNotFoundError
    storage.exists(key); storage.delete(key); storage.list("prints/")       # StoredObject rows
    return storage.send(key, download_name="badges.pdf", mimetype="application/pdf")

Two backends (forumapp.storage.directory, forumapp.storage.s3): a directory (default: the
instance folder, moved with FORUMAPP_STORAGE_DIR, which several hosts may share as a volume) and
S3-compatible object storage through boto3 (FORUMAPP_S3_BUCKET) for hosts without a shared
volume. Keys are relative, '/'-separated names (see keys.py); the same key means the same object
on every host.
"""

from __future__ import annotations

from flask import current_app

from forumapp.storage.keys import InvalidKey, StoredObject, check_key
from forumapp.storage.protocol import Storage

__all__ = ["InvalidKey", "Storage", "StoredObject", "check_key", "get_storage", "make_storage", "storage_settings"]

_EXTENSION = "forumapp.storage"
_SETTINGS = ("STORAGE_BACKEND", "STORAGE_DIR", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX", "S3_REGION")


def storage_settings(config) -> dict:
    """The part of an app's configuration that chooses the storage: plain data, so a worker
    process (a print pool, Celery) can build the same storage with make_storage()."""
    return {name: config.get(name) for name in _SETTINGS}


def make_storage(settings: dict) -> Storage:
    backend = (settings.get("STORAGE_BACKEND") or "").lower() or ("s3" if settings.get("S3_BUCKET") else "directory")
    if backend == "s3":
        from forumapp.storage.s3 import S3Storage

        if not settings.get("S3_BUCKET"):
            raise RuntimeError("FORUMAPP_STORAGE_BACKEND=s3 needs FORUMAPP_S3_BUCKET")
        return S3Storage(
            settings["S3_BUCKET"],
            endpoint_url=settings.get("S3_ENDPOINT_URL") or None,
            prefix=settings.get("S3_PREFIX") or "",
            region=settings.get("S3_REGION") or None,
        )
    if backend == "directory":
        from forumapp.storage.directory import DirectoryStorage

        if not settings.get("STORAGE_DIR"):
            raise RuntimeError("the directory storage needs STORAGE_DIR (FORUMAPP_STORAGE_DIR)")
        return DirectoryStorage(settings["STORAGE_DIR"])
    raise RuntimeError(f"unknown FORUMAPP_STORAGE_BACKEND {backend!r} (directory or s3)")


def get_storage() -> Storage:
    """The current app's storage, built once per app from its configuration."""
    app = current_app._get_current_object()
    settings = storage_settings(app.config)
    cached = app.extensions.get(_EXTENSION)
    # Tests may change the configuration of a running app; the storage follows it.
    if cached is None or cached[0] != settings:
        cached = (settings, make_storage(settings))
        app.extensions[_EXTENSION] = cached
    return cached[1]
