"""schemathesis against the live app: generated requests (valid and invalid) to every operation
of the OpenAPI document, with a read-write token, on a real port. No answer may be a 500, and
every answer must match the document (status, content type, headers, body schema); requests
the document calls invalid must be refused with a 4xx.

A fixed seed keeps the run reproducible in CI; FORUMAPP_SCHEMATHESIS_SEED=<n> explores others,
FORUMAPP_SCHEMATHESIS_EXAMPLES=<n> more cases per operation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import live_server  # noqa: F401  (fixture)

CHECKS = ",".join((
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection",
))
ST = Path(sys.executable).with_name("st")


def dictionaries(world) -> str:
    """Most generated requests name the seeded event and its real rows (the rest are made up,
    to reach the 404s), so the fuzzing reaches the answers with data in them."""
    values = {
        "slug": ["test-forum", "other-forum", "draft-forum"],
        "item_id": [world.ids[k] for k in ("plenary", "draft", "withdrawn", "ceremony_item", "secret_item")],
        "person_id": [world.ids["speaker"], world.ids["hidden"]],
        "collection_id": [world.ids["collection"]],
        "organisation_id": [world.ids["brand"]],
        "registration_id": [world.ids[k] for k in ("Әсел Нұрланқызы", "Иван Петров", "Dana Waiting")],
    }
    lines = []
    for name, entries in values.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(entries)}", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.8 }}' for name in values]
    lines += ['[dictionaries.codes]', f"values = {json.dumps(list(world.codes.values()))}",
              '[parameters."body.code"]', 'dictionary = "codes"', "probability = 0.5"]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not ST.exists() and not shutil.which("st"), reason="schemathesis is not installed")
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, world, tmp_path):  # noqa: F811
    config = tmp_path / "schemathesis.toml"
    config.write_text(dictionaries(world))
    command = [
        str(ST if ST.exists() else shutil.which("st")), "--config-file", str(config),
        "run", f"{live_server}/api/v1/openapi.json",
        "--url", f"{live_server}/api/v1",
        "--header", f"Authorization: Bearer {world.write_token}",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", os.environ.get("FORUMAPP_SCHEMATHESIS_EXAMPLES", "12"),
        "--seed", os.environ.get("FORUMAPP_SCHEMATHESIS_SEED", "20261130"),
        "--workers", "1",
        "--generation-database", "none",
        "--no-color",
        "--request-timeout", "20",
        "--max-time", "40",
    ]
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    assert "No issues found" in output or "passed" in output, output[-5000:]
    assert time.monotonic() - started < 90
