"""Configuration that cannot split a cluster: one secret key for every process, from the
environment whenever there may be more than one process or host; the instance folder from the
environment; a warning when rate limits are per process."""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forumapp.config import ConfigurationError, cluster_reasons, load_config, shared_key_file

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, TRIALS = 8, 15


def _read_key(key_file, barrier, results):
    barrier.wait()  # all processes start at once, as gunicorn's workers do on a fresh instance
    try:
        results.put(shared_key_file(key_file))
    except Exception as error:  # noqa: BLE001 - reported to the test
        results.put(f"error: {error!r}")


def test_processes_starting_at_once_all_get_the_same_complete_key(tmp_path):
    context = multiprocessing.get_context("fork")
    for trial in range(TRIALS):
        key_file = tmp_path / f"trial-{trial}" / "secret_key"
        key_file.parent.mkdir()
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [context.Process(target=_read_key, args=(key_file, barrier, results)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        keys = [results.get(timeout=30) for _ in workers]
        for worker in workers:
            worker.join()
        assert len(set(keys)) == 1, f"trial {trial}: {keys}"
        assert len(keys[0]) >= 60 and keys[0] == key_file.read_text()
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]  # no temporary left


def test_the_key_file_is_kept_across_starts(tmp_path):
    first = load_config(str(tmp_path), env={})["SECRET_KEY"]
    assert load_config(str(tmp_path), env={})["SECRET_KEY"] == first
    assert load_config(str(tmp_path), env={"FORUMAPP_SECRET_KEY": "from-env"})["SECRET_KEY"] == "from-env"


def test_an_empty_key_file_is_an_error_not_an_empty_key(tmp_path):
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ConfigurationError, match="is empty"):
        load_config(str(tmp_path), env={})


@pytest.mark.parametrize("env, reason", [
    ({"FORUMAPP_DATABASE_URL": "postgresql+psycopg://forumapp@db/forumapp"}, "not SQLite"),
    ({"FORUMAPP_BROKER_URL": "redis://127.0.0.1:6379/0"}, "FORUMAPP_BROKER_URL"),
    ({"FORUMAPP_ENV": "production"}, "FORUMAPP_ENV=production"),
])
def test_a_cluster_needs_the_key_from_the_environment(tmp_path, env, reason):
    with pytest.raises(ConfigurationError, match=f"FORUMAPP_SECRET_KEY must be set.*{reason}"):
        load_config(str(tmp_path), env=env)
    assert not (tmp_path / "secret_key").exists()
    assert load_config(str(tmp_path), env={**env, "FORUMAPP_SECRET_KEY": "k" * 64})["SECRET_KEY"] == "k" * 64


def test_one_process_on_the_embedded_default_is_not_a_cluster(tmp_path):
    assert cluster_reasons({}) == []
    assert cluster_reasons({"FORUMAPP_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}) == []
    assert cluster_reasons({"FORUMAPP_ENV": "development"}) == []


def _start(env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FORUMAPP_")}
    code = "from forumapp import create_app; app = create_app(); print('instance', app.instance_path); " \
           "print('storage', app.config['STORAGE_DIR']); print('db', app.config['SQLALCHEMY_DATABASE_URI'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)


def test_a_production_start_without_a_key_fails_with_a_clear_message(tmp_path):
    started = _start({"FORUMAPP_ENV": "production", "FORUMAPP_INSTANCE_PATH": str(tmp_path)}, tmp_path)
    assert started.returncode != 0
    assert "ConfigurationError: FORUMAPP_SECRET_KEY must be set (FORUMAPP_ENV=production)" in started.stderr


def test_the_instance_folder_comes_from_the_environment(tmp_path):
    started = _start({"FORUMAPP_INSTANCE_PATH": str(tmp_path / "host-a")}, tmp_path)
    assert started.returncode == 0, started.stderr
    assert f"instance {tmp_path / 'host-a'}\n" in started.stdout
    assert f"storage {tmp_path / 'host-a'}\n" in started.stdout
    assert f"sqlite:///{tmp_path / 'host-a' / 'forumapp.sqlite3'}" in started.stdout
    assert (tmp_path / "host-a" / "secret_key").stat().st_size > 0
    moved = _start({"FORUMAPP_INSTANCE_PATH": str(tmp_path / "host-b"), "FORUMAPP_STORAGE_DIR": str(tmp_path / "shared")},
                   tmp_path)
    assert f"storage {tmp_path / 'shared'}\n" in moved.stdout


def test_the_old_media_setting_stops_the_start_with_what_to_do(tmp_path):
    with pytest.raises(ConfigurationError, match="flask storage import-media"):
        load_config(str(tmp_path), env={"FORUMAPP_MEDIA_DIR": "/srv/media"})


def test_per_process_rate_limits_are_warned_about_at_start(tmp_path, caplog):
    from forumapp import create_app

    # (Flask-Limiter is one object for all apps of the process and copies its last "enabled".)
    base = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.sqlite3", "STORAGE_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True}
    with caplog.at_level(logging.WARNING, logger="forumapp.startup"):
        create_app({**base, "RATELIMIT_STORAGE_URI": "memory://"})
    assert any("Rate limits are counted in this process's memory" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="forumapp.startup"):
        create_app({**base, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/7"})
    assert not [r for r in caplog.records if r.name == "forumapp.startup"]
