"""`flask storage ...`: bring files into the storage and look at it."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import click
from flask.cli import AppGroup

from forumapp.storage import InvalidKey, get_storage

storage = AppGroup("storage", help="The shared storage (media, generated documents).")


@storage.command("import-media")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_media(source: Path):
    """Copy uploaded media from a folder (the old FORUMAPP_MEDIA_DIR, or instance/media when the
    storage moves to S3 or another folder) into the storage under media/. The database keeps the
    same paths (logos/ab12.png), so every image keeps working. Safe to run again: objects already
    there with the same size are skipped."""
    target = get_storage()
    present = {obj.key: obj.size for obj in target.list("media/")}
    copied = skipped = refused = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        key = "media/" + path.relative_to(source).as_posix()
        size = path.stat().st_size
        if present.get(key) == size:
            skipped += 1
            continue
        try:
            target.save(key, path.read_bytes(), mimetypes.guess_type(path.name)[0])
        except InvalidKey:
            click.echo(f"not a valid storage key, left out: {path}", err=True)
            refused += 1
            continue
        copied += 1
    click.echo(f"{copied} copied, {skipped} already there, {refused} left out -> {target!r}")


@storage.command("ls")
@click.argument("prefix", default="")
def list_objects(prefix: str):
    """List objects whose key starts with PREFIX."""
    for obj in get_storage().list(prefix):
        click.echo(f"{obj.modified:%Y-%m-%d %H:%M:%S} {obj.size:>12} {obj.key}")
