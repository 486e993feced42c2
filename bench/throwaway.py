"""A database the bench creates and drops itself, so a bench never touches one it was given.

    with throwaway_database(url) as bench_url: ...

A PostgreSQL URL names the server: a database `forumapp_bench_<random>` is created next to the
one named and dropped afterwards (WITH (FORCE)). Anything else (or nothing): SQLite in a new
temporary directory.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import uuid

import sqlalchemy as sa


def psycopg_url(url: str) -> str:
    return re.sub(r"^postgresql(\+psycopg)?://", "postgresql+psycopg://", url)


@contextlib.contextmanager
def throwaway_database(url: str = ""):
    if not url.startswith("postgresql"):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    base = psycopg_url(url)
    name = f"forumapp_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
